"""NUTS regions of every version, their typologies, shapes and code changes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NUTS_VERSIONS = (2013, 2016, 2021, 2024)


class Region(models.Model):
    """A NUTS region (levels 0-3) as defined in one NUTS version."""

    version = models.PositiveSmallIntegerField(help_text="NUTS version, e.g. 2021")
    code = models.CharField(max_length=9, help_text="NUTS code, e.g. ITH55")
    level = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=2)
    name_latn = models.CharField(_("name (Latin script)"), max_length=200)
    name = models.CharField(_("national name"), max_length=200, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    # NUTS-3 typologies (Eurostat), blank where not published.
    urban_rural = models.CharField(max_length=40, blank=True)
    metropolitan = models.CharField(max_length=60, blank=True)
    coastal = models.CharField(max_length=40, blank=True)
    mountain = models.CharField(max_length=100, blank=True)
    border = models.CharField(max_length=40, blank=True)
    island = models.CharField(max_length=40, blank=True)
    capital = models.CharField(max_length=40, blank=True)
    # GISCO shapes: GeoJSON geometry text (WGS84) and label point.
    geometry = models.TextField(blank=True)
    label_lon = models.FloatField(null=True, blank=True)
    label_lat = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="region_version_code")]
        indexes = [models.Index(fields=["code"]), models.Index(fields=["version", "country", "level"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name_latn}"

    def get_absolute_url(self) -> str:
        return reverse("regions:region", args=[self.code])

    def descendant_codes(self) -> list[str]:
        """Codes of this region and every region below it (NUTS codes nest by prefix)."""
        return list(
            Region.objects.filter(version=self.version, code__startswith=self.code).values_list("code", flat=True)
        )


class NutsChange(models.Model):
    """One line of an official NUTS change table: ``from_code`` (old version) became ``to_code``."""

    from_version = models.PositiveSmallIntegerField()
    from_code = models.CharField(max_length=9, blank=True)
    to_version = models.PositiveSmallIntegerField()
    to_code = models.CharField(max_length=9, blank=True)
    change = models.CharField(max_length=1000, blank=True)
    explanation = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["from_version", "from_code", "to_code"]
        constraints = [
            models.UniqueConstraint(fields=["from_version", "from_code", "to_version", "to_code"], name="nuts_change_key")
        ]

    def __str__(self) -> str:
        return f"{self.from_code or '-'} ({self.from_version}) -> {self.to_code or '-'} ({self.to_version})"
