"""Funding programmes, calls, projects, participations of organisations in them."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    code = models.CharField(max_length=60, unique=True, help_text="e.g. H2020, FP7, HORIZON, H2020-EU.1.1.")
    name = models.CharField(max_length=400)
    framework = models.CharField(max_length=20, blank=True, help_text="FP7, H2020, HORIZON, regional ...")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Call(models.Model):
    identifier = models.CharField(max_length=120, unique=True)
    title = models.CharField(max_length=500, blank=True)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    opening = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["-deadline", "identifier"]

    def __str__(self) -> str:
        return self.identifier


class Project(models.Model):
    number = models.CharField(max_length=20, unique=True, help_text="CORDIS project number or the funder's id")
    framework = models.CharField(max_length=20, blank=True)
    acronym = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=600)
    abstract = models.TextField(blank=True)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    topic_code = models.CharField(max_length=120, blank=True)
    topic_title = models.CharField(max_length=600, blank=True)
    type_of_action = models.CharField(max_length=200, blank=True)
    thematic_priority = models.CharField(max_length=300, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    signature_date = models.DateField(null=True, blank=True)
    total_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    eu_contribution = models.DecimalField(_("EU contribution"), max_digits=16, decimal_places=2, null=True, blank=True)
    participant_count = models.PositiveIntegerField(null=True, blank=True)
    url = models.URLField(max_length=300, blank=True)
    concepts = models.ManyToManyField("taxonomy.Concept", blank=True, related_name="projects")

    class Meta:
        ordering = ["-start", "number"]
        indexes = [models.Index(fields=["framework"]), models.Index(fields=["acronym"])]

    def __str__(self) -> str:
        return self.acronym or self.title or self.number

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.number])


class Participation(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        PARTICIPANT = "participant", _("participant")
        PARTNER = "partner", _("partner")
        THIRD_PARTY = "third_party", _("third party")
        ASSOCIATED = "associated", _("associated partner")
        INTERNATIONAL = "international", _("international partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    eu_contribution = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    net_eu_contribution = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    total_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="participations",
        help_text="Where the participant was when it took part (NUTS of the current version)",
    )

    class Meta:
        ordering = ["project", "role"]
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="participation_key")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project}"
