"""Classification schemes as trees (EuroSciVoc, NACE, CORDIS priorities, network tags) and mappings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.Model):
    code = models.SlugField(max_length=50, unique=True, help_text="e.g. euroscivoc, nace2, h2020-priority, er-rat")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Concept(models.Model):
    """A node of a scheme's tree."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="concepts")
    code = models.CharField(max_length=200)
    label = models.CharField(max_length=300)
    label_it = models.CharField(_("label (Italian)"), max_length=300, blank=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    path = models.CharField(max_length=500, blank=True, help_text="Labels from the root, '/'-separated")
    level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="concept_scheme_code")]

    def __str__(self) -> str:
        return self.label


class ConceptMapping(models.Model):
    """A link between concepts of two schemes (SKOS-like relations)."""

    class Relation(models.TextChoices):
        EXACT = "exact", _("exact match")
        CLOSE = "close", _("close match")
        BROAD = "broad", _("broader")
        NARROW = "narrow", _("narrower")
        RELATED = "related", _("related")

    source = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="mappings_out")
    target = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="mappings_in")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.CLOSE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="concept_mapping_key")]

    def __str__(self) -> str:
        return f"{self.source} {self.relation} {self.target}"
