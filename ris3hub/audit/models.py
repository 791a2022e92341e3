"""Import runs: a bulk import writes thousands of rows without a log entry each; the run is the audit entry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One `ris3hub import` (or demo build step): what was imported, by whom, what it changed."""

    kind = models.CharField(_("kind"), max_length=40)
    files = models.JSONField(_("files"), default=list)
    started = models.DateTimeField(_("started"))
    finished = models.DateTimeField(_("finished"))
    committed = models.BooleanField(_("written"), help_text=_("False: rolled back, nothing was written"))
    skip_invalid = models.BooleanField(_("skipped invalid rows"), default=False)
    counts = models.JSONField(_("counts"), default=dict, help_text=_("model -> created / updated / unchanged"))
    rejected_rows = models.PositiveIntegerField(_("rejected rows"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    run_by = models.CharField(_("run by"), max_length=200, blank=True,
                              help_text=_("The site user, or the system account of the command line"))

    class Meta:
        ordering = ["-started"]
        verbose_name = _("import run")

    def __str__(self) -> str:
        return f"{self.kind} import of {self.started:%Y-%m-%d %H:%M}"

    @property
    def changed(self) -> int:
        return sum(c.get("created", 0) + c.get("updated", 0) for c in self.counts.values())
