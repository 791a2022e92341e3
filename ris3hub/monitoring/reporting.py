"""Periodic reports: a round's form, the values members give, and the round's life.

A round's form is a list of fields (``FieldSpec``): a name, a label, a type (whole number,
decimal, text, date, choice), whether it is required, a help text and, for a choice, the choices.
``FieldSpec.parse`` is the one place a value a person typed or a spreadsheet cell is checked,
for the web form and for uploads alike; values are stored as JSON (decimals as text, so that
no digit is lost; dates as ISO text).

The life of a submission: draft -> submitted -> approved, or -> changes requested -> submitted
again. Every action keeps a ``SubmissionVersion`` (the values, the status, who and when).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ris3hub.importers.base import parse_date
from ris3hub.monitoring.models import (
    ReminderSent,
    ReportingRound,
    ReportSubmission,
    SubmissionVersion,
)
from ris3hub.monitoring.periods import parse_period
from ris3hub.registry.models import Membership, Organisation

FIELD_TYPES = {
    "int": "whole number",
    "decimal": "number",
    "text": "text",
    "date": "date",
    "choice": "choice",
}
NUMERIC_TYPES = ("int", "decimal")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_TEXT = 2000
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # Django's default


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FieldSpec:
        return cls(name=str(data.get("name", "")), label=str(data.get("label", "")), type=str(data.get("type", "")),
                   required=bool(data.get("required", False)), help=str(data.get("help", "") or ""),
                   choices=tuple(str(c) for c in data.get("choices") or ()))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["choices"] = list(self.choices)
        return data

    @property
    def type_label(self) -> str:
        return FIELD_TYPES.get(self.type, self.type)

    def parse(self, raw: Any) -> Any:
        """The value to store for ``raw`` (None when empty); ValueError with the reason otherwise."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if self.type == "int":
            return _parse_int(raw)
        if self.type == "decimal":
            return _parse_decimal(raw)
        if self.type == "date":
            if isinstance(raw, (int, float)):
                raise ValueError(f"'{raw}' is not a date (write YYYY-MM-DD)")
            return parse_date(raw).isoformat()
        text = str(raw).strip()
        if self.type == "choice":
            for choice in self.choices:
                if choice.casefold() == text.casefold():
                    return choice
            raise ValueError(f"'{text}' is not one of the choices: {', '.join(self.choices)}")
        if len(text) > MAX_TEXT:
            raise ValueError(f"the text is {len(text)} characters long; at most {MAX_TEXT} are kept")
        return text


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"'{raw}' is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise ValueError(f"{raw} is not a whole number")
    text = str(raw).strip().replace(" ", "")
    if not re.fullmatch(r"[-+]?\d+", text):
        raise ValueError(f"'{raw}' is not a whole number")
    return int(text)


def _decimal_text(number: Decimal) -> str:
    """Plain digits, no exponent, no trailing zeros: 1000, 12.5, -0.25."""
    return format(number.normalize(), "f") if number else "0"


def _parse_decimal(raw: Any) -> str:
    if isinstance(raw, bool):
        raise ValueError(f"'{raw}' is not a number")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ValueError(f"{raw} is not a number")
    if isinstance(raw, (int, float, Decimal)):
        return _decimal_text(Decimal(str(raw)))
    text = str(raw).strip().replace(" ", "")
    if re.fullmatch(r"[-+]?\d+,\d+", text):  # a decimal comma, as Italian spreadsheets write it
        text = text.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(f"'{raw}' is not a number (write it like 1234.56, without thousands separators)")
    return _decimal_text(Decimal(text))


def numeric_value(spec: FieldSpec, stored: Any) -> Decimal | None:
    """A stored value of a numeric field as a Decimal (None when empty or not numeric)."""
    if stored is None or spec.type not in NUMERIC_TYPES:
        return None
    return Decimal(str(stored))


def parse_form(definition: Iterable[dict[str, Any]]) -> list[FieldSpec]:
    """A round's fields, checked; ValidationError naming each problem by field position."""
    specs, problems, names = [], [], set()
    for i, data in enumerate(definition, start=1):
        spec = FieldSpec.from_dict(data)
        where = f"field {i}" + (f" ({spec.name})" if spec.name else "")
        if not NAME.match(spec.name):
            problems.append(f"{where}: the name must start with a lower-case letter and hold only a-z, 0-9 and _ "
                            "(at most 60 characters)")
        elif spec.name in names:
            problems.append(f"{where}: the name {spec.name} is used twice")
        names.add(spec.name)
        if not spec.label.strip():
            problems.append(f"{where}: the label is empty")
        if spec.type not in FIELD_TYPES:
            problems.append(f"{where}: the type '{spec.type}' is not one of {', '.join(FIELD_TYPES)}")
        if spec.type == "choice" and not spec.choices:
            problems.append(f"{where}: a choice field needs its choices")
        if spec.type != "choice" and spec.choices:
            problems.append(f"{where}: only a choice field has choices")
        specs.append(spec)
    if not specs:
        problems.append("the form has no field")
    if problems:
        raise ValidationError(problems)
    return specs


def round_fields(round: ReportingRound) -> list[FieldSpec]:
    return [FieldSpec.from_dict(f) for f in round.fields]


def check_values(specs: list[FieldSpec], raw: dict[str, Any], *,
                 complete: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """(values to store, {field name: reason}) for the ``raw`` values of a form.

    With ``complete`` a required field left empty is a problem (submitting); a draft may be partial.
    """
    values, problems = {}, {}
    for spec in specs:
        try:
            value = spec.parse(raw.get(spec.name))
        except ValueError as exc:
            problems[spec.name] = str(exc)
            continue
        if value is None and spec.required and complete:
            problems[spec.name] = "this field is required"
        values[spec.name] = value
    return values, problems


def parse_reminder_days(text: str) -> list[int]:
    days = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValidationError({"reminder_days": f"'{part}' is not a number of days"})
        days.append(int(part))
    return sorted(set(days), reverse=True)


# ---- actions


def current_members(network: Organisation, on: date | None = None) -> list[Organisation]:
    """Direct members of ``network`` whose membership has not ended or expired."""
    on = on or timezone.localdate()
    memberships = (Membership.objects.filter(network=network)
                   .exclude(status=Membership.Status.EXPIRED)
                   .filter(Q(end__isnull=True) | Q(end__gte=on)))
    return list(Organisation.objects.filter(pk__in=memberships.values("member_id")).order_by("name"))


def _version(submission: ReportSubmission, action: str, by, message: str = "") -> SubmissionVersion:
    number = (submission.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return SubmissionVersion.objects.create(submission=submission, number=number, action=action,
                                            status=submission.status, values=submission.values,
                                            message=message, by=by)


@transaction.atomic
def do_open_round(title: str, network: Organisation, coordinator, period: str, fields: list[dict[str, Any]],
                  deadline: date, *, strategy=None, reminder_days: str = "7,1",
                  members: Iterable[Organisation] | None = None) -> ReportingRound:
    """Open a round and give each member of ``network`` (or each of ``members``) an empty draft."""
    problems: dict[str, Any] = {}
    try:
        period = str(parse_period(period))
    except ValueError as exc:
        problems["period"] = str(exc)
    try:
        specs = parse_form(fields)
    except ValidationError as exc:
        problems["fields"] = exc.messages
    if not (title or "").strip():
        problems["title"] = "the round needs a title"
    reminder_days = ",".join(str(d) for d in parse_reminder_days(reminder_days))
    organisations = list(members) if members is not None else current_members(network)
    if not organisations:
        problems["network"] = f"{network} has no current member to report"
    if problems:
        raise ValidationError(problems)
    round = ReportingRound.objects.create(
        title=title.strip(), network=network, coordinator=coordinator, strategy=strategy, period=period,
        fields=[s.as_dict() for s in specs], deadline=deadline, reminder_days=reminder_days)
    for organisation in organisations:
        submission = ReportSubmission.objects.create(round=round, organisation=organisation,
                                                     values={s.name: None for s in specs})
        _version(submission, SubmissionVersion.Action.OPENED, coordinator)
    return round


def _check_editable(submission: ReportSubmission) -> None:
    if submission.round.status != ReportingRound.Status.OPEN:
        raise ValidationError("the round is closed")
    if not submission.editable:
        raise ValidationError(f"the report is {submission.get_status_display()}: it cannot be changed now")


@transaction.atomic
def do_save_values(submission: ReportSubmission, raw: dict[str, Any], by, *,
                   action: str = SubmissionVersion.Action.SAVED) -> ReportSubmission:
    """Store a draft's values (checked, partial allowed); ValidationError {field: reason} on any problem."""
    _check_editable(submission)
    values, problems = check_values(round_fields(submission.round), raw, complete=False)
    if problems:
        raise ValidationError(problems)
    submission.values = values
    submission.save(update_fields=["values", "updated"])
    _version(submission, action, by)
    return submission


@transaction.atomic
def do_submit(submission: ReportSubmission, by) -> ReportSubmission:
    """Send the report to the coordinator: every required field must be filled."""
    _check_editable(submission)
    _values, problems = check_values(round_fields(submission.round), submission.values, complete=True)
    if problems:
        raise ValidationError(problems)
    submission.status = ReportSubmission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated"])
    _version(submission, SubmissionVersion.Action.SUBMITTED, by)
    return submission


@transaction.atomic
def do_request_changes(submission: ReportSubmission, by, message: str) -> ReportSubmission:
    """Send a submitted report back to its organisation with what to correct."""
    if submission.status != ReportSubmission.Status.SUBMITTED:
        raise ValidationError("only a submitted report can be sent back; "
                              f"this one is {submission.get_status_display()}")
    if not (message or "").strip():
        raise ValidationError({"message": "say what should be corrected"})
    submission.status = ReportSubmission.Status.CHANGES_REQUESTED
    submission.message = message.strip()
    submission.save(update_fields=["status", "message", "updated"])
    _version(submission, SubmissionVersion.Action.CHANGES_REQUESTED, by, submission.message)
    _notify(submission, f"Changes requested: {submission.round.title}",
            f"The coordinator of '{submission.round.title}' ({submission.round.period}) asks for changes to the "
            f"report of {submission.organisation}:\n\n{submission.message}\n")
    return submission


@transaction.atomic
def do_approve(submission: ReportSubmission, by) -> ReportSubmission:
    """Accept a submitted report; the strategy's report indicators are computed again."""
    if submission.status != ReportSubmission.Status.SUBMITTED:
        raise ValidationError(f"only a submitted report can be approved; this one is {submission.get_status_display()}")
    submission.status = ReportSubmission.Status.APPROVED
    submission.message = ""
    submission.save(update_fields=["status", "message", "updated"])
    _version(submission, SubmissionVersion.Action.APPROVED, by)
    if submission.round.strategy_id:
        from ris3hub.monitoring.compute import compute_indicator
        from ris3hub.monitoring.models import Indicator

        names = [f["name"] for f in submission.round.fields]
        for indicator in Indicator.objects.filter(strategy_id=submission.round.strategy_id,
                                                  method=Indicator.Method.REPORT, report_field__in=names):
            compute_indicator(indicator, by)
    return submission


@transaction.atomic
def do_close_round(round: ReportingRound) -> ReportingRound:
    round.status = ReportingRound.Status.CLOSED
    round.save(update_fields=["status"])
    return round


# ---- e-mail: reminders and notices


def mail_connection():
    """The configured e-mail backend; the console (messages printed) while the settings name none."""
    backend = settings.EMAIL_BACKEND
    if backend == SMTP_BACKEND and not settings.is_overridden("EMAIL_BACKEND"):
        backend = CONSOLE_BACKEND
    return get_connection(backend)


def recipients(organisation: Organisation) -> list[str]:
    """The e-mail addresses of the organisation's editors (the people who fill its reports)."""
    from ris3hub.accounts.models import Role, RoleAssignment

    return sorted({a.user.email for a in RoleAssignment.objects.filter(organisation=organisation, role=Role.EDITOR)
                   .select_related("user") if a.user.email and a.user.is_active})


def _notify(submission: ReportSubmission, subject: str, body: str) -> int:
    to = recipients(submission.organisation)
    if not to:
        return 0
    return EmailMessage(subject, body, to=to, connection=mail_connection()).send()


@dataclass(frozen=True)
class Reminder:
    submission: ReportSubmission
    kind: str  # "7d" (days before the deadline) or "overdue"
    recipients: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        s = self.submission
        return {"round": s.round_id, "round_title": s.round.title, "submission": s.pk,
                "organisation": s.organisation.name, "status": s.status, "deadline": s.round.deadline.isoformat(),
                "kind": self.kind, "recipients": list(self.recipients)}


def reminders_due(today: date | None = None) -> list[Reminder]:
    """For each report not yet sent in an open round: the reminder due today, if any and not sent before.

    Reminders fall the round's ``reminder_days`` before its deadline; when the command did not run
    for a while only the latest one due is sent; after the deadline, one overdue notice.
    """
    today = today or timezone.localdate()
    due = []
    pending = (ReportSubmission.objects
               .filter(round__status=ReportingRound.Status.OPEN,
                       status__in=[ReportSubmission.Status.DRAFT, ReportSubmission.Status.CHANGES_REQUESTED])
               .select_related("round", "organisation").order_by("round__deadline", "round_id", "organisation__name"))
    for submission in pending:
        deadline = submission.round.deadline
        sent = set(submission.reminders.values_list("kind", flat=True))
        if today > deadline:
            kind = "overdue"
        else:
            days_left = (deadline - today).days
            offsets = [d for d in parse_reminder_days(submission.round.reminder_days) if d >= days_left]
            if not offsets:
                continue
            kind = f"{min(offsets)}d"
        if kind not in sent:
            due.append(Reminder(submission, kind, tuple(recipients(submission.organisation))))
    return due


def _reminder_text(reminder: Reminder) -> tuple[str, str]:
    s = reminder.submission
    if reminder.kind == "overdue":
        subject = f"Overdue report: {s.round.title}"
        lead = f"The report of {s.organisation} for '{s.round.title}' ({s.round.period}) was due on {s.round.deadline}."
    else:
        subject = f"Reminder: {s.round.title} is due on {s.round.deadline}"
        lead = f"The report of {s.organisation} for '{s.round.title}' ({s.round.period}) is due on {s.round.deadline}."
    status = "It has changes to make." if s.status == ReportSubmission.Status.CHANGES_REQUESTED else \
        "It has not been submitted yet."
    return subject, f"{lead}\n{status}\n\nFill it in or upload the spreadsheet: {s.get_absolute_url()}\n"


@transaction.atomic
def send_reminders(today: date | None = None, *, dry_run: bool = False) -> list[Reminder]:
    """Send the reminders due (to the people linked to each organisation) and record them."""
    due = reminders_due(today)
    if dry_run or not due:
        return due
    connection = mail_connection()
    messages = []
    for reminder in due:
        if reminder.recipients:
            subject, body = _reminder_text(reminder)
            messages.append(EmailMessage(subject, body, to=list(reminder.recipients), connection=connection))
        ReminderSent.objects.create(submission=reminder.submission, kind=reminder.kind,
                                    recipients=", ".join(reminder.recipients))
    connection.send_messages(messages)
    return due
