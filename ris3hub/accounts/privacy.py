"""A person's own data: export everything tied to them, delete (anonymise) their account, purge past retention.

Deleting an account keeps the user row, emptied and unusable ("deleted-<id>"), so that the records of what
happened (report versions, value changes, the audit log, rounds they coordinated) still say "someone, since
deleted" instead of losing their author or blocking the deletion. Everything that identifies the person goes:
name, e-mail, password, roles, requests, tokens, follows; consultation responses are unlinked from the account;
registrations to past events are anonymised, registrations to future ones cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from ris3hub import conf
from ris3hub.accounts import roles

DELETED_NAME = "Deleted participant"
# Fields never exported, whatever the model (secrets and their digests).
SECRET_FIELDS = {"password", "key_hash", "secret", "token", "digest"}
# Rows tied to the user by a cascading key that deleting the account keeps (anonymised above, not deleted).
KEPT = {"events.registration", "admin.logentry"}


class AccountDeletionRefused(Exception):
    """The account cannot be deleted now; the message says why and what to do."""


def deleted_username(user) -> str:
    return f"deleted-{user.pk}"


def is_deleted(user) -> bool:
    return user.username == deleted_username(user) and not user.is_active


# ---- export


def _rows(queryset) -> list[dict]:
    rows = []
    for item in serializers.serialize("python", queryset):
        fields = {k: v for k, v in item["fields"].items() if k not in SECRET_FIELDS}
        rows.append({"id": item["pk"], **fields})
    return rows


def _user_relations():
    """Every foreign key and many-to-many field of another model that points at the user model."""
    User = get_user_model()
    for relation in User._meta.get_fields(include_hidden=True):  # hidden: related_name="+" (report versions, ...)
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        if relation.related_model is User or relation.related_model._meta.auto_created:
            continue
        yield relation.related_model, relation.field


def _consents(user) -> dict:
    from ris3hub.consultation.models import Response
    from ris3hub.events.models import Registration

    responses = []
    for r in (Response.objects.filter(user=user).select_related("consultation")
              .prefetch_related("answers__question").order_by("submitted")):
        responses.append({
            "consultation": r.consultation.title, "consultation_id": r.consultation_id, "submitted": r.submitted,
            "consent_given": r.consent_given, "consent_text": r.consent_text, "language": r.language,
            "answers": [{"question": a.question.text, "text": a.text, "choices": a.choices} for a in r.answers.all()],
        })
    registrations = []
    for g in (Registration.objects.filter(user=user).select_related("event", "participation_type")
              .order_by("created")):
        registrations.append({
            "event": g.event.name, "event_id": g.event_id, "status": g.status, "registered": g.created,
            "person_name": g.person_name, "email": g.email, "organisation_name": g.organisation_name,
            "participation_type": g.participation_type.name, "attendance": g.attendance, "profile": g.bio,
            "consent_terms": g.consent_terms, "consent_listing": g.consent_listing,
            "consent_contact": g.consent_contact,
        })
    return {"consultation_responses": responses, "event_registrations": registrations}


def _event_activity(user) -> dict:
    from ris3hub.events.models import MarketplaceEntry, Meeting, MeetingRequest

    entries = MarketplaceEntry.objects.filter(registration__user=user)
    requests = MeetingRequest.objects.filter(models.Q(requester__user=user) | models.Q(recipient__user=user))
    meetings = []
    for m in (Meeting.objects.filter(participants__user=user).select_related("event", "slot", "place")
              .prefetch_related("participants").distinct()):
        meetings.append({
            "event": m.event.name, "start": m.slot.start if m.slot_id else None,
            "place": m.place.name if m.place_id else None,
            "with": [p.organisation_name for p in m.participants.all() if p.user_id != user.pk],
        })
    return {"marketplace_entries": _rows(entries), "meeting_requests": _rows(requests), "meetings": meetings}


def export_user_data(user) -> dict:
    """Everything tied to ``user``, as JSON-ready data (dates as datetime; json.dumps with default=str)."""
    from ris3hub.accounts.models import EditorRequest, RoleAssignment

    account = {
        "id": user.pk, "username": user.get_username(), "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "date_joined": user.date_joined, "last_login": user.last_login,
        "is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser,
    }
    records: dict[str, list] = {}
    for model, fk in _user_relations():
        key = f"{model._meta.label_lower} ({fk.name})"
        rows = _rows(model._default_manager.filter(**{fk.name: user}).order_by("pk"))
        if rows:
            records[key] = rows
    return {
        "exported": timezone.now(),
        "account": account,
        "roles": [{"role": a.role, "organisation": a.organisation.name if a.organisation_id else None,
                   "organisation_id": a.organisation_id, "since": a.created}
                  for a in RoleAssignment.objects.filter(user=user).select_related("organisation")],
        "editor_requests": [{"organisation": r.organisation.name, "organisation_id": r.organisation_id,
                             "status": r.status, "message": r.message, "created": r.created,
                             "decided_at": r.decided_at, "note": r.decision_note}
                            for r in EditorRequest.objects.filter(user=user).select_related("organisation")],
        "consents": _consents(user),
        "events": _event_activity(user),
        "records": records,
    }


# ---- anonymising


def event_last_day(event) -> date | None:
    return event.sessions.aggregate(last=Max("day"))["last"]


def forget_in_audit(instance, pk=None) -> None:
    """Blank the before/after values the audit log holds for a record whose person was anonymised: the log
    keeps that the record changed, when and by whom, not the personal data it carried."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                            object_pk=str(pk if pk is not None else instance.pk)).update(
        changes={}, changes_text="", serialized_data=None, object_repr=DELETED_NAME)


def _anonymise_registration(registration) -> None:
    """Keep the registration (the event's figures count it) without the person: name, e-mail, profile, messages."""
    registration.person_name = DELETED_NAME
    registration.email = ""
    registration.bio = ""
    registration.validation_note = ""
    registration.consent_listing = False
    registration.consent_contact = False
    registration.save(update_fields=["person_name", "email", "bio", "validation_note", "consent_listing",
                                     "consent_contact"])
    registration.requests_sent.update(message="")
    registration.requests_received.update(response_message="")
    registration.entries.all().delete()
    forget_in_audit(registration)


def _cancel_registration(registration) -> None:
    """A future event: the registration and the meetings it was in go (the partners' requests go with it)."""
    from ris3hub.events.models import Meeting

    Meeting.objects.filter(participants=registration).delete()
    pk = registration.pk
    registration.delete()
    forget_in_audit(registration, pk)


def _anonymise_workshop_registration(registration) -> None:
    registration.user = None
    registration.name = DELETED_NAME
    registration.email = f"deleted-{registration.pk}@invalid"
    registration.organisation = ""
    registration.save(update_fields=["user", "name", "email", "organisation"])
    forget_in_audit(registration)


@dataclass
class DeletionReport:
    responses_unlinked: int = 0
    registrations_anonymised: int = 0
    registrations_cancelled: int = 0
    workshop_registrations: int = 0
    roles_removed: int = 0
    other_rows_deleted: dict[str, int] = field(default_factory=dict)


def refusal(user) -> str | None:
    """Why the account cannot be deleted, or None."""
    if roles.is_administrator(user) and not roles.administrators().exclude(pk=user.pk).exists():
        return ("You are the last administrator of the platform: make another person an administrator "
                "before deleting your account.")
    return None


@transaction.atomic
def do_delete_account(user, today: date | None = None) -> DeletionReport:
    """Remove the person from the platform (see the module's docstring); AccountDeletionRefused for the last
    administrator."""
    from ris3hub.accounts.models import EditorRequest, RoleAssignment
    from ris3hub.consultation.models import Response
    from ris3hub.events.models import Registration
    from ris3hub.practices.models import WorkshopRegistration

    reason = refusal(user)
    if reason:
        raise AccountDeletionRefused(reason)
    today = today or timezone.localdate()
    report = DeletionReport()
    report.responses_unlinked = Response.objects.filter(user=user).update(user=None)
    for registration in Registration.objects.filter(user=user).select_related("event"):
        last = event_last_day(registration.event)
        if last is not None and last < today:
            _anonymise_registration(registration)
            report.registrations_anonymised += 1
        else:
            _cancel_registration(registration)
            report.registrations_cancelled += 1
    now = timezone.now()
    for registration in WorkshopRegistration.objects.filter(user=user).select_related("workshop"):
        if registration.workshop.starts > now:
            pk = registration.pk
            registration.delete()
            forget_in_audit(registration, pk)
        else:
            _anonymise_workshop_registration(registration)
        report.workshop_registrations += 1
    report.roles_removed, _ = RoleAssignment.objects.filter(user=user).delete()
    EditorRequest.objects.filter(user=user).delete()
    user.organised_events.clear()
    # What remains pointing at the user with CASCADE is the person's own (tokens, follows, ...): it goes.
    for model, fk in _user_relations():
        if fk.many_to_many or fk.remote_field.on_delete is not models.CASCADE or model._meta.label_lower in KEPT:
            continue
        deleted, _ = model._default_manager.filter(**{fk.name: user}).delete()
        if deleted:
            report.other_rows_deleted[model._meta.label_lower] = deleted
    # The audit log keeps who changed what (the user row stays, emptied), not the person's address or e-mail.
    from auditlog.models import LogEntry

    LogEntry.objects.filter(actor=user).update(actor_email=None, remote_addr=None, remote_port=None)
    user.username = deleted_username(user)
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    forget_in_audit(user)
    roles.forget(user)
    return report


# ---- retention


def retention_days(name: str) -> int | None:
    """Days a setting keeps data; None when the setting is 0 (kept for ever)."""
    raw = conf.get(name).strip()
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number of days (0 keeps the data for ever)") from None
    if days < 0:
        raise ValueError(f"{name}={raw!r}: expected 0 or more days")
    return days or None


@dataclass
class PurgeReport:
    registrations: list[str] = field(default_factory=list)
    workshop_registrations: list[str] = field(default_factory=list)
    responses: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would " if dry_run else ""
        out = []
        for label, items in (("anonymise event registrations", self.registrations),
                             ("anonymise workshop registrations", self.workshop_registrations),
                             ("unlink consultation responses from their accounts", self.responses),
                             ("delete inactive accounts", self.accounts)):
            out.append(f"{verb}{label}: {len(items)}")
            out += [f"  {item}" for item in items]
        return out


def purge(now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Anonymise the personal data kept past the retention settings; with ``dry_run`` only say what would go."""
    from ris3hub.consultation.models import Response
    from ris3hub.events.models import Event, Registration
    from ris3hub.practices.models import WorkshopRegistration

    now = now or timezone.now()
    report = PurgeReport()
    event_days = retention_days("RIS3HUB_RETENTION_EVENT_DAYS")
    consultation_days = retention_days("RIS3HUB_RETENTION_CONSULTATION_DAYS")
    account_days = retention_days("RIS3HUB_RETENTION_INACTIVE_ACCOUNT_DAYS")
    with transaction.atomic():
        if event_days:
            limit = timezone.localdate(now) - timedelta(days=event_days)
            ended = Event.objects.annotate(last=Max("sessions__day")).filter(last__lt=limit)
            for registration in (Registration.objects.filter(event__in=ended).exclude(person_name=DELETED_NAME)
                                 .select_related("event").order_by("event_id", "pk")):
                report.registrations.append(f"{registration.event.name}: registration #{registration.pk}")
                if not dry_run:
                    _anonymise_registration(registration)
            for registration in (WorkshopRegistration.objects.filter(workshop__ends__lt=now - timedelta(days=event_days))
                                 .exclude(name=DELETED_NAME).select_related("workshop").order_by("pk")):
                report.workshop_registrations.append(f"{registration.workshop.title}: registration #{registration.pk}")
                if not dry_run:
                    _anonymise_workshop_registration(registration)
        if consultation_days:
            limit = now - timedelta(days=consultation_days)
            old = (Response.objects.filter(user__isnull=False, consultation__closes__lt=limit)
                   .select_related("consultation").order_by("pk"))
            report.responses = [f"{r.consultation.title}: response #{r.pk}" for r in old]
            if not dry_run:
                old.update(user=None)
        if account_days:
            limit = now - timedelta(days=account_days)
            User = get_user_model()
            stale = (User.objects.filter(is_active=True)
                     .filter(models.Q(last_login__lt=limit) | models.Q(last_login__isnull=True, date_joined__lt=limit))
                     .order_by("pk"))
            for user in stale:
                if roles.is_administrator(user):
                    continue  # the managing authority's accounts are closed by hand
                report.accounts.append(f"{user.get_username()} (last seen {(user.last_login or user.date_joined):%Y-%m-%d})")
                if not dry_run:
                    do_delete_account(user, today=timezone.localdate(now))
    return report
