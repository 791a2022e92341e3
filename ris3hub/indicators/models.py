"""Statistical indicators by region and year (Eurostat tables, Nesta EURITO, user files)."""

from __future__ import annotations

from django.db import models


class Indicator(models.Model):
    """One measured quantity, e.g. Eurostat nama_10r_3gdp in unit PPS_EU27_2020_HAB."""

    code = models.CharField(max_length=200, unique=True, help_text="dataset[:dimension=value,...]")
    dataset = models.CharField(max_length=100)
    unit = models.CharField(max_length=60, blank=True)
    label = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=300, blank=True)
    topic = models.CharField(max_length=120, blank=True, help_text="The domain an indicator counts, if any")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    region_code = models.CharField(max_length=20, help_text="Geo code as published (NUTS code or an aggregate such as EU27_2020)")
    nuts_version = models.PositiveSmallIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True, blank=True, help_text="Empty where the source says ':' (not available)")
    flags = models.CharField(max_length=10, blank=True, help_text="Eurostat flags: p provisional, e estimated, ...")

    class Meta:
        ordering = ["indicator", "region_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region_code", "year"], name="observation_key")
        ]
        indexes = [models.Index(fields=["region_code", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region_code} {self.year}={self.value}"
