"""Monitoring a strategy: objectives, indicators with baselines and targets, their values by region
and period (with every change kept), and periodic reporting rounds filled in by network members.

Writes go through ris3hub.monitoring.actions and ris3hub.monitoring.reporting; these models hold the
data and its invariants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import VersionedModel
from ris3hub.monitoring import periods

VALUE_DIGITS = 20
VALUE_PLACES = 4


class Objective(models.Model):
    strategy = models.ForeignKey("strategies.Strategy", on_delete=models.CASCADE, related_name="objectives")
    priority = models.ForeignKey("strategies.Priority", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="objectives", help_text=_("Empty for an objective of the whole strategy"))
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name = _("objective")
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="objective_key")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(models.Model):
    """What is measured, against which baseline and target, and where its values come from."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("output")
        RESULT = "result", _("result")

    class Frequency(models.TextChoices):
        ANNUAL = periods.ANNUAL, _("annual")
        QUARTERLY = periods.QUARTERLY, _("quarterly")

    class Method(models.TextChoices):
        REGISTRY = "registry", _("computed from the registry")
        REPORT = "report", _("from periodic reports")
        MANUAL = "manual", _("entered by hand")

    strategy = models.ForeignKey("strategies.Strategy", on_delete=models.CASCADE, related_name="monitoring_indicators")
    priority = models.ForeignKey("strategies.Priority", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="monitoring_indicators",
                                 help_text=_("Empty for an indicator of the whole strategy"))
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="indicators")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.OUTPUT)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. EUR, projects, contracts"))
    baseline_value = models.DecimalField(_("baseline"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES,
                                         null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES,
                                       null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.ANNUAL)
    cumulative = models.BooleanField(
        _("cumulative"), default=False,
        help_text=_("The target is the running total since the first period, not the value of one period"))
    method = models.CharField(_("values"), max_length=10, choices=Method.choices, default=Method.REGISTRY)
    query = models.CharField(_("registry query"), max_length=40, blank=True,
                             help_text=_("Name of the registry query (ris3hub.monitoring.queries)"))
    query_params = models.JSONField(_("query parameters"), default=dict, blank=True)
    report_field = models.CharField(
        _("report field"), max_length=60, blank=True,
        help_text=_("Field of the reporting rounds' forms whose approved values are summed"))
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the data comes from"))
    responsible = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="monitoring_indicators", verbose_name=_("responsible organisation"))

    class Meta:
        ordering = ["strategy", "priority__code", "code"]
        verbose_name = _("monitoring indicator")
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="monitoring_indicator_key")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:indicator", args=[self.pk])


class IndicatorValue(models.Model):
    """The value of an indicator in a region and period; ``source`` says how it got there."""

    class Source(models.TextChoices):
        COMPUTED = "computed", _("computed")
        REPORT = "report", _("report")
        MANUAL = "manual", _("manual")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="monitoring_values")
    period = models.CharField(_("period"), max_length=7, help_text=_("A year (2021) or a quarter (2021-Q3)"))
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["indicator", "region__code", "period"]
        verbose_name = _("indicator value")
        constraints = [models.UniqueConstraint(fields=["indicator", "region", "period"], name="indicator_value_key")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region.code} {self.period} = {self.value}"


class IndicatorValueChange(models.Model):
    """One change of a value: what it was, what it became (empty when removed), how and by whom."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="changes")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    old_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)
    new_value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)
    source = models.CharField(max_length=8, choices=IndicatorValue.Source.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("indicator value change")


class ReportingRound(models.Model):
    """A coordinator asks the members of a network for the same figures about one period."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    title = models.CharField(_("title"), max_length=300)
    network = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="reporting_rounds",
                                verbose_name=_("network"), help_text=_("Its members report"))
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="coordinated_rounds", verbose_name=_("coordinator"))
    strategy = models.ForeignKey("strategies.Strategy", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reporting_rounds", verbose_name=_("strategy"),
                                 help_text=_("The strategy whose report indicators read the approved values"))
    period = models.CharField(_("period"), max_length=7, help_text=_("A year (2021) or a quarter (2021-Q3)"))
    fields = models.JSONField(_("form"), default=list,
                              help_text=_("The form's fields: name, label, type, required, help, choices"))
    deadline = models.DateField(_("deadline"))
    reminder_days = models.CharField(_("reminders (days before the deadline)"), max_length=40, default="7,1",
                                     help_text=_("Comma-separated, e.g. 7,1"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("reporting round")

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:round", args=[self.pk])


class ReportSubmission(VersionedModel):
    """A member organisation's report in a round; every saved state is kept as a version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        APPROVED = "approved", _("approved")

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="submissions")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE,
                                     related_name="report_submissions")
    status = models.CharField(_("status"), max_length=17, choices=Status.choices, default=Status.DRAFT)
    values = models.JSONField(_("values"), default=dict, blank=True)
    message = models.TextField(_("coordinator's message"), blank=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "organisation__name"]
        verbose_name = _("report submission")
        constraints = [models.UniqueConstraint(fields=["round", "organisation"], name="report_submission_key")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.round}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:submission", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED) and \
            self.round.status == ReportingRound.Status.OPEN


class SubmissionVersion(models.Model):
    """A submission as it was after one action: saved, uploaded, submitted, sent back, approved."""

    class Action(models.TextChoices):
        OPENED = "opened", _("round opened")
        SAVED = "saved", _("saved on the web")
        UPLOADED = "uploaded", _("uploaded a spreadsheet")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("asked for changes")
        APPROVED = "approved", _("approved")

    submission = models.ForeignKey(ReportSubmission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=17, choices=Action.choices)
    status = models.CharField(max_length=17, choices=ReportSubmission.Status.choices)
    values = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submission", "-number"]
        verbose_name = _("submission version")
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="submission_version_key")]


class ReminderSent(models.Model):
    """A reminder sent for a submission, so that the same one is not sent twice."""

    submission = models.ForeignKey(ReportSubmission, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, help_text="'7d' days before the deadline, or 'overdue'")
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["submission", "kind"], name="reminder_key")]
