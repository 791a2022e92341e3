"""Computed region x domain panels kept in the database, so that a new server process does not
count the registry again (see ``cache``)."""

from __future__ import annotations

from django.db import models


class StoredPanel(models.Model):
    """The counts of one matrix (scheme, level, weight, depth) for one version of the data."""

    key = models.CharField(max_length=100, unique=True, help_text="scheme:level:weight:depth")
    version = models.CharField(max_length=400, help_text="matrices.data_version() when it was counted")
    counts = models.BinaryField(help_text="region, domain, year, value, records as Parquet")
    labels = models.JSONField(default=dict)
    computed = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
