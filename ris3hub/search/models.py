"""What search and matchmaking store beyond the registry: the queue of records changed since the
index was last updated, and the talent desk's positions and graduates' profiles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexChange(models.Model):
    """A record saved or deleted since the search index last took in changes.

    Filled by signals (ris3hub.search.signals); emptied by ``ris3hub search-index update``, which
    re-reads these records and replaces their documents in the index without rebuilding it.
    """

    model = models.CharField(max_length=60, help_text="app_label.model_name, e.g. registry.organisation")
    object_id = models.BigIntegerField()
    queued = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["queued", "id"]
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="index_change_key")]

    def __str__(self) -> str:
        return f"{self.model}:{self.object_id}"


class Position(models.Model):
    """A job, internship or doctoral position offered by a member of a network (the talent desk)."""

    class Kind(models.TextChoices):
        JOB = "job", _("job")
        INTERNSHIP = "internship", _("internship")
        DOCTORATE = "doctorate", _("doctoral position")

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.JOB)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    skills = models.TextField(blank=True, help_text=_("The skills asked for, one a line or comma-separated"))
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="positions", help_text=_("Where the work is; the organisation's region when empty"))
    deadline = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    def text(self) -> str:
        return "\n".join(part for part in (self.title, self.description, self.skills) if part)


class GraduateProfile(models.Model):
    """A young graduate's profile as the talent desk records it."""

    name = models.CharField(max_length=200)
    degree = models.CharField(max_length=300, help_text=_("e.g. MSc in Mechanical Engineering, Università di Bologna"))
    skills = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text=_("Interests and experience, in Italian or English"))
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="graduates", help_text=_("Where the graduate lives or wants to work"))
    wants = models.CharField(max_length=12, choices=Position.Kind.choices, blank=True,
                             help_text=_("The kind of position sought; any when empty"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def text(self) -> str:
        return "\n".join(part for part in (self.degree, self.skills, self.summary) if part)
