"""Smart Specialisation Strategies: a region's priority areas per programming period."""

from __future__ import annotations

from django.db import models


class Strategy(models.Model):
    class Period(models.TextChoices):
        P2014 = "2014-2020", "2014-2020"
        P2021 = "2021-2027", "2021-2027"

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="strategies")
    period = models.CharField(max_length=9, choices=Period.choices)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    url = models.URLField(max_length=300, blank=True)

    class Meta:
        ordering = ["region", "period"]
        verbose_name_plural = "strategies"
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="strategy_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    title_it = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    concepts = models.ManyToManyField("taxonomy.Concept", blank=True, related_name="priorities")

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="priority_key")]

    def __str__(self) -> str:
        return self.title


class PriorityDomain(models.Model):
    """A priority's link to an analytics domain that is not a taxonomy concept.

    The S3 analytics count CORDIS thematic priorities, call topics and EURITO preprint topics as
    domains (ris3hub.analytics.matrices.SCHEMES); a priority names the ones it covers here, as it
    names EuroSciVoc fields or its own region's tags through ``Priority.concepts``.
    """

    class Scheme(models.TextChoices):
        THEMATIC = "thematic", "CORDIS thematic priority"
        TOPIC = "topic", "call topic"
        EURITO = "eurito", "EURITO preprint topic"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="domains")
    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    code = models.CharField(max_length=300)

    class Meta:
        ordering = ["priority", "scheme", "code"]
        constraints = [models.UniqueConstraint(fields=["priority", "scheme", "code"], name="priority_domain_key")]

    def __str__(self) -> str:
        return f"{self.priority.code} {self.scheme}:{self.code}"
