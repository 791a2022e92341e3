"""Writes to brokerage events: atomic, checked, named for what they do. Pages, the API, the demo and the
tests all go through them.

Each action raises django.core.exceptions.ValidationError with messages a person can act on (keyed by
field where there is one); nothing is written when it raises.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ris3hub.events.checks import check_slot_free, slot_label
from ris3hub.events.models import (
    CheckIn,
    Cooperation,
    Event,
    FollowUp,
    MarketplaceEntry,
    Meeting,
    MeetingRequest,
    ParticipationType,
    Place,
    Registration,
    ScheduleRun,
    Session,
    SessionBreak,
    Slot,
)

# Event addresses the events section uses for its own pages (ris3hub/events/urls.py).
RESERVED_SLUGS = {"login", "logout"}


@dataclass(frozen=True)
class Entry:
    """A marketplace entry to publish with a registration."""

    kind: str
    title: str
    description: str = ""
    cooperation: str = Cooperation.TECHNICAL


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# Events, sessions, places -------------------------------------------------------------------------

@transaction.atomic
def do_create_event(name: str, slug: str, *, organisers: Iterable = (), **fields) -> Event:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("“%(slug)s” is a page of the events section; choose another address")
                               % {"slug": slug}})
    if Event.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("an event with the address “%(slug)s” exists already") % {"slug": slug}})
    event = Event(name=name, slug=slug, **fields)
    event.full_clean()
    event.save()
    event.organisers.set(list(organisers))
    return event


def session_windows(day: date, start: clock, end: clock, meeting_minutes: int, changeover_minutes: int = 0,
                    breaks: Sequence[tuple[clock, clock]] = ()) -> list[tuple[datetime, datetime]]:
    """The slots of a session as naive (start, end) pairs: back to back from ``start``, ``changeover_minutes``
    apart, none overlapping a break, the last ending by ``end``.

    >>> [f"{a:%H:%M}-{b:%H:%M}" for a, b in session_windows(date(2026, 3, 1), clock(9), clock(10, 30), 20,
    ...                                                      breaks=[(clock(9, 40), clock(10))])]
    ['09:00-09:20', '09:20-09:40', '10:00-10:20']
    """
    if meeting_minutes < 5:
        raise ValidationError({"meeting_minutes": _("a meeting lasts at least 5 minutes")})
    if end <= start:
        raise ValidationError({"end": _("the session ends (%(end)s) before it starts (%(start)s)")
                               % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}})
    pauses = []
    for b_start, b_end in breaks:
        if b_end <= b_start:
            raise ValidationError({"breaks": _("the break %(start)s-%(end)s ends before it starts")
                                   % {"start": f"{b_start:%H:%M}", "end": f"{b_end:%H:%M}"}})
        pauses.append((datetime.combine(day, b_start), datetime.combine(day, b_end)))
    length, step = timedelta(minutes=meeting_minutes), timedelta(minutes=meeting_minutes + changeover_minutes)
    t, finish, windows = datetime.combine(day, start), datetime.combine(day, end), []
    while t + length <= finish:
        clash = [b_end for b_start, b_end in pauses if t < b_end and b_start < t + length]
        if clash:
            t = max(clash)
            continue
        windows.append((t, t + length))
        t += step
    return windows


@transaction.atomic
def do_add_session(event: Event, name: str, day: date, start: clock, end: clock, *, meeting_minutes: int = 20,
                   changeover_minutes: int = 0, mode: str = Session.Mode.ONSITE,
                   breaks: Sequence[tuple[clock, clock] | tuple[clock, clock, str]] = ()) -> Session:
    """A session with its breaks and the slots cut from it."""
    if mode not in Session.Mode.values:
        raise ValidationError({"mode": _("'%(mode)s' is not a session mode; use one of %(modes)s")
                               % {"mode": mode, "modes": ", ".join(Session.Mode.values)}})
    windows = session_windows(day, start, end, meeting_minutes, changeover_minutes, [b[:2] for b in breaks])
    if not windows:
        raise ValidationError({"end": _("no meeting of %(minutes)d minutes fits in the session") % {
            "minutes": meeting_minutes}})
    tz = ZoneInfo(event.timezone)
    session = Session.objects.create(event=event, name=name, day=day, start=start, end=end, mode=mode,
                                     meeting_minutes=meeting_minutes, changeover_minutes=changeover_minutes)
    for b in breaks:
        SessionBreak.objects.create(session=session, start=b[0], end=b[1], label=b[2] if len(b) > 2 else "")
    Slot.objects.bulk_create([Slot(session=session, start=a.replace(tzinfo=tz), end=b.replace(tzinfo=tz))
                              for a, b in windows])
    return session


@transaction.atomic
def do_add_place(event: Event, name: str, *, capacity: int = 1, virtual: bool = False, link: str = "") -> Place:
    if capacity < 1:
        raise ValidationError({"capacity": _("a place holds at least one meeting at once")})
    if Place.objects.filter(event=event, name=name).exists():
        raise ValidationError({"name": _("the event has a place named “%(name)s” already") % {"name": name}})
    position = Place.objects.filter(event=event).count()
    return Place.objects.create(event=event, name=name, capacity=capacity, virtual=virtual, link=link,
                                position=position)


def do_add_places(event: Event, count: int, prefix: str, *, capacity: int = 1, virtual: bool = False) -> list[Place]:
    """``count`` places named "<prefix> 1", "<prefix> 2", ..."""
    return [do_add_place(event, f"{prefix} {i}", capacity=capacity, virtual=virtual) for i in range(1, count + 1)]


@transaction.atomic
def do_add_participation_type(event: Event, name: str, *, meets: Iterable[ParticipationType] = (),
                              **fields) -> ParticipationType:
    """A participation type; ``meets``: the types its participants may meet (none: every type)."""
    kind = ParticipationType(event=event, name=name, **fields)
    kind.full_clean()
    meets = list(meets)
    if any(t.event_id != event.pk for t in meets):
        raise ValidationError({"meets": _("a type to meet is not a participation type of this event")})
    kind.save()
    kind.meets.set(meets)
    return kind


# Registration -------------------------------------------------------------------------------------

def _check_entries(entries: Sequence[Entry]) -> None:
    for i, entry in enumerate(entries, start=1):
        if entry.kind not in MarketplaceEntry.Kind.values:
            raise ValidationError({"entries": _("entry %(n)d: '%(kind)s' is neither an offer nor a request")
                                   % {"n": i, "kind": entry.kind}})
        if entry.cooperation not in Cooperation.values:
            raise ValidationError({"entries": _("entry %(n)d: '%(value)s' is not a kind of cooperation")
                                   % {"n": i, "value": entry.cooperation}})
        if not entry.title.strip():
            raise ValidationError({"entries": _("entry %(n)d has no title") % {"n": i}})


@transaction.atomic
def do_register(event: Event, participation_type: ParticipationType, *, person_name: str, email: str,
                organisation_name: str, consent_terms: bool, user=None, password: str | None = None,
                organisation=None, bio: str = "", attendance: str = Registration.Attendance.ONSITE,
                sessions: Iterable[Session] = (), consent_listing: bool = True, consent_contact: bool = False,
                entries: Sequence[Entry] = ()) -> Registration:
    """Register a person with their profile and marketplace entries.

    Without ``user`` an account is made for the email (with ``password``, or none usable when it is
    None: the organiser registered them); with it, the logged-in user registers.
    """
    if not event.registration_open:
        raise ValidationError(_("registration to %(event)s is closed") % {"event": event})
    if participation_type.event_id != event.pk:
        raise ValidationError({"participation_type": _("“%(type)s” is not a participation type of this event")
                               % {"type": participation_type}})
    if not consent_terms:
        raise ValidationError({"consent_terms": _("the event cannot register you without your consent to the "
                                                  "processing of your data")})
    email = email.strip()
    validate_email(email)
    if not person_name.strip() or not organisation_name.strip():
        raise ValidationError(_("a registration needs the person's and the organisation's names"))
    if attendance not in Registration.Attendance.values:
        raise ValidationError({"attendance": _("'%(value)s' is not a way to attend") % {"value": attendance}})
    _check_entries(entries)
    limit = participation_type.max_participants
    if limit is not None:
        taken = participation_type.registrations.exclude(status=Registration.Status.REJECTED).count()
        if taken >= limit:
            raise ValidationError({"participation_type": _("the %(limit)d places for “%(type)s” are taken")
                                   % {"limit": limit, "type": participation_type}})
    sessions = list(sessions)
    if any(s.event_id != event.pk for s in sessions):
        raise ValidationError({"sessions": _("a chosen session is not a session of this event")})
    if user is None:
        User = get_user_model()
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise ValidationError({"email": _("an account with the email %(email)s exists: log in to register "
                                              "with it") % {"email": email}})
        user = User(username=email.lower(), email=email, first_name=person_name.strip()[:150])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif Registration.objects.filter(event=event, user=user).exists():
        raise ValidationError(_("you are registered to %(event)s already") % {"event": event})
    registration = Registration.objects.create(
        event=event, user=user, participation_type=participation_type, organisation=organisation,
        organisation_name=organisation_name.strip(), person_name=person_name.strip(), email=email, bio=bio,
        attendance=attendance, consent_terms=True, consent_listing=consent_listing,
        consent_contact=consent_contact,
        status=(Registration.Status.PENDING if participation_type.needs_validation
                else Registration.Status.VALIDATED),
    )
    registration.sessions.set(sessions)
    MarketplaceEntry.objects.bulk_create([
        MarketplaceEntry(registration=registration, kind=e.kind, cooperation=e.cooperation, title=e.title.strip(),
                         description=e.description.strip()) for e in entries])
    return registration


@transaction.atomic
def do_update_profile(registration: Registration, *, person_name: str, organisation_name: str, bio: str,
                      attendance: str, sessions: Iterable[Session], consent_listing: bool, consent_contact: bool,
                      entries: Sequence[Entry]) -> Registration:
    """A participant changes their profile and entries. Accepted meetings stay; the organisers' grid shows
    the ones that no longer fit (a changed attendance or session), for them to move."""
    if not person_name.strip() or not organisation_name.strip():
        raise ValidationError(_("a registration needs the person's and the organisation's names"))
    if attendance not in Registration.Attendance.values:
        raise ValidationError({"attendance": _("'%(value)s' is not a way to attend") % {"value": attendance}})
    sessions = list(sessions)
    if any(s.event_id != registration.event_id for s in sessions):
        raise ValidationError({"sessions": _("a chosen session is not a session of this event")})
    registration.person_name, registration.organisation_name = person_name.strip(), organisation_name.strip()
    registration.bio, registration.attendance = bio, attendance
    registration.consent_listing, registration.consent_contact = consent_listing, consent_contact
    registration.save(update_fields=["person_name", "organisation_name", "bio", "attendance", "consent_listing",
                                     "consent_contact"])
    registration.sessions.set(sessions)
    do_replace_entries(registration, entries)
    return registration


@transaction.atomic
def do_replace_entries(registration: Registration, entries: Sequence[Entry]) -> list[MarketplaceEntry]:
    """The participant's marketplace entries become ``entries``."""
    _check_entries(entries)
    registration.entries.all().delete()
    return MarketplaceEntry.objects.bulk_create([
        MarketplaceEntry(registration=registration, kind=e.kind, cooperation=e.cooperation, title=e.title.strip(),
                         description=e.description.strip()) for e in entries])


@transaction.atomic
def do_validate_registration(registration: Registration, by=None, *, approve: bool = True, note: str = "",
                             now: datetime | None = None) -> Registration:
    """The organiser accepts (or rejects) a profile; only validated participants meet."""
    if not approve and registration.meetings.exists():
        raise ValidationError(_("%(who)s has meetings: cancel them before rejecting the registration")
                              % {"who": registration})
    registration.status = Registration.Status.VALIDATED if approve else Registration.Status.REJECTED
    registration.validation_note = note
    registration.validated_at = _now(now)
    registration.validated_by = by
    registration.save(update_fields=["status", "validation_note", "validated_at", "validated_by"])
    if not approve:
        (MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration),
                                       status=MeetingRequest.Status.REQUESTED)
         .update(status=MeetingRequest.Status.CANCELLED, answered_at=_now(now)))
    return registration


# Meeting requests ---------------------------------------------------------------------------------

def _meeting_room(registration: Registration) -> str | None:
    """Why ``registration`` cannot take one more meeting; None when they can."""
    count, limit = registration.meetings.count(), registration.meeting_limit()
    if count >= limit:
        return _("%(who)s has %(count)d meetings, the most their participation allows (%(limit)d)") % {
            "who": registration, "count": count, "limit": limit}
    return None


def _create_meeting(request: MeetingRequest) -> Meeting:
    meeting = Meeting.objects.create(event=request.event, request=request)
    meeting.participants.set([request.requester, request.recipient])
    return meeting


def _lock_pair(*registrations: Registration) -> None:
    """Serialise concurrent requests of the same participants (a no-op on SQLite, which locks the database)."""
    list(Registration.objects.select_for_update().filter(pk__in=[r.pk for r in registrations]).order_by("pk"))


@transaction.atomic
def do_request_meeting(requester: Registration, recipient: Registration, message: str = "",
                       now: datetime | None = None) -> MeetingRequest:
    """``requester`` asks ``recipient`` for a meeting.

    Opt-in events wait for the guest's answer until the request expires; opt-out events accept it at
    once (the guest may still decline).
    """
    event = requester.event
    if recipient.event_id != event.pk:
        raise ValidationError(_("%(who)s is not a participant of %(event)s") % {"who": recipient, "event": event})
    if requester.pk == recipient.pk:
        raise ValidationError(_("you cannot request a meeting with yourself"))
    _lock_pair(requester, recipient)
    for registration in (requester, recipient):
        if not registration.is_validated:
            raise ValidationError(_("the registration of %(who)s is not validated") % {"who": registration})
    if not requester.participation_type.can_request:
        raise ValidationError(_("participants of type “%(type)s” cannot request meetings; they answer requests")
                              % {"type": requester.participation_type})
    if not requester.participation_type.may_meet(recipient.participation_type):
        raise ValidationError(_("at this event participants of type “%(mine)s” do not meet participants of type "
                                "“%(theirs)s”") % {"mine": requester.participation_type,
                                                   "theirs": recipient.participation_type})
    existing = (MeetingRequest.objects
                .filter(Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester),
                        status__in=MeetingRequest.OPEN).first())
    if existing is not None:
        if existing.requester_id == requester.pk:
            raise ValidationError(_("you have asked %(who)s for a meeting already (%(status)s)")
                                  % {"who": recipient, "status": existing.get_status_display()})
        raise ValidationError(_("%(who)s has asked you for a meeting already: answer it in your requests")
                              % {"who": recipient})
    sent = requester.requests_sent.filter(status__in=MeetingRequest.OPEN).count()
    if sent >= requester.request_limit():
        raise ValidationError(_("you have %(count)d requests waiting or accepted, the most your participation "
                                "allows") % {"count": sent})
    for registration in (requester, recipient):
        reason = _meeting_room(registration)
        if reason:
            raise ValidationError(reason)
    now = _now(now)
    request = MeetingRequest(event=event, requester=requester, recipient=recipient, message=message.strip())
    if event.request_mode == Event.RequestMode.OPT_OUT:
        request.status = MeetingRequest.Status.ACCEPTED
        request.save()
        _create_meeting(request)
    else:
        request.expires_at = now + timedelta(hours=event.request_expiry_hours)
        request.save()
    return request


def do_accept_request(request: MeetingRequest, message: str = "", now: datetime | None = None) -> Meeting:
    """The guest accepts: the request becomes a meeting for the scheduler to place.

    A request past its expiry is marked expired and refused.
    """
    now = _now(now)
    with transaction.atomic():
        request = MeetingRequest.objects.select_for_update().select_related("requester", "recipient").get(pk=request.pk)
        if request.status == MeetingRequest.Status.REQUESTED and request.expires_at and request.expires_at <= now:
            request.status = MeetingRequest.Status.EXPIRED
            request.save(update_fields=["status"])
        else:
            if request.status != MeetingRequest.Status.REQUESTED:
                raise ValidationError(_("this request is %(status)s: it cannot be accepted")
                                      % {"status": request.get_status_display()})
            for registration in (request.requester, request.recipient):
                reason = _meeting_room(registration)
                if reason:
                    raise ValidationError(reason)
            request.status = MeetingRequest.Status.ACCEPTED
            request.response_message = message.strip()
            request.answered_at = now
            request.save(update_fields=["status", "response_message", "answered_at"])
            return _create_meeting(request)
    # Outside the block, so the request stays expired.
    raise ValidationError(_("the request of %(who)s expired on %(when)s") % {
        "who": request.requester, "when": timezone.localtime(request.expires_at).strftime("%d %b %H:%M")})


@transaction.atomic
def do_decline_request(request: MeetingRequest, message: str = "", now: datetime | None = None) -> MeetingRequest:
    """The guest declines; in opt-out events also a request accepted for them, while its meeting is not confirmed."""
    now = _now(now)
    request = MeetingRequest.objects.select_for_update().select_related("event").get(pk=request.pk)
    meeting = Meeting.objects.filter(request=request).first()
    if request.status == MeetingRequest.Status.ACCEPTED and request.event.request_mode == Event.RequestMode.OPT_OUT:
        if meeting is not None and meeting.confirmed:
            raise ValidationError(_("the meeting is confirmed in the agenda: ask the organisers to cancel it"))
    elif request.status != MeetingRequest.Status.REQUESTED:
        raise ValidationError(_("this request is %(status)s: it cannot be declined")
                              % {"status": request.get_status_display()})
    if meeting is not None:
        meeting.delete()
    request.status = MeetingRequest.Status.DECLINED
    request.response_message = message.strip()
    request.answered_at = now
    request.save(update_fields=["status", "response_message", "answered_at"])
    return request


@transaction.atomic
def do_cancel_request(request: MeetingRequest, now: datetime | None = None) -> MeetingRequest:
    """The requester withdraws a request, or either side cancels an accepted meeting not yet confirmed."""
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in MeetingRequest.OPEN:
        raise ValidationError(_("this request is %(status)s already") % {"status": request.get_status_display()})
    meeting = Meeting.objects.filter(request=request).first()
    if meeting is not None:
        if meeting.confirmed:
            raise ValidationError(_("the meeting is confirmed in the agenda: ask the organisers to cancel it"))
        meeting.delete()
    request.status = MeetingRequest.Status.CANCELLED
    request.answered_at = _now(now)
    request.save(update_fields=["status", "answered_at"])
    return request


def expire_requests(event: Event | None = None, now: datetime | None = None) -> int:
    """Mark the unanswered requests past their expiry as expired (they stop blocking the guest); how many."""
    requests = MeetingRequest.objects.filter(status=MeetingRequest.Status.REQUESTED, expires_at__lte=_now(now))
    if event is not None:
        requests = requests.filter(event=event)
    return requests.update(status=MeetingRequest.Status.EXPIRED)


# Meetings on the grid -----------------------------------------------------------------------------

@transaction.atomic
def do_create_meeting(event: Event, participants: Sequence[Registration], *, priority: int = 1) -> Meeting:
    """A meeting the organiser sets up directly (two or more participants, no request)."""
    if len({p.pk for p in participants}) < 2:
        raise ValidationError(_("a meeting needs at least two different participants"))
    for registration in participants:
        if registration.event_id != event.pk:
            raise ValidationError(_("%(who)s is not a participant of %(event)s")
                                  % {"who": registration, "event": event})
        if not registration.is_validated:
            raise ValidationError(_("the registration of %(who)s is not validated") % {"who": registration})
    meeting = Meeting.objects.create(event=event, priority=priority)
    meeting.participants.set(participants)
    return meeting


@transaction.atomic
def do_move_meeting(meeting: Meeting, slot: Slot, place: Place, *, lock: bool = True) -> Meeting:
    """Put ``meeting`` in ``slot`` at ``place`` (a drag on the organiser's grid), locked there by default.

    Refused, naming the reason, when a participant is busy or unavailable then, the place is full or
    of the wrong kind.
    """
    current = Meeting.objects.select_for_update().select_related("event").get(pk=meeting.pk)
    problems = check_slot_free(current, slot, place)
    if problems:
        raise ValidationError(_("meeting #%(id)s cannot go to %(place)s at %(slot)s: %(problems)s") % {
            "id": current.pk, "place": place.name, "slot": slot_label(slot, current.event),
            "problems": "; ".join(problems)})
    for instance in (current, meeting):
        instance.slot, instance.place, instance.locked = slot, place, lock
    current.save(update_fields=["slot", "place", "locked"])
    return meeting


@transaction.atomic
def do_unschedule_meeting(meeting: Meeting) -> Meeting:
    """Take ``meeting`` off the grid (it waits for the next scheduler run)."""
    if meeting.confirmed:
        raise ValidationError(_("meeting #%(id)s is confirmed in the agenda: unconfirm it first") % {"id": meeting.pk})
    meeting.slot = meeting.place = None
    meeting.locked = False
    meeting.save(update_fields=["slot", "place", "locked"])
    return meeting


def do_lock_meeting(meeting: Meeting, locked: bool = True) -> Meeting:
    """A locked meeting stays in its slot and place when the scheduler runs again."""
    if locked and not meeting.is_scheduled:
        raise ValidationError(_("meeting #%(id)s has no slot yet: place it on the grid before locking it")
                              % {"id": meeting.pk})
    meeting.locked = locked
    meeting.save(update_fields=["locked"])
    return meeting


def do_set_priority(meeting: Meeting, priority: int) -> Meeting:
    if priority < 1:
        raise ValidationError({"priority": _("the priority is a whole number from 1")})
    meeting.priority = priority
    meeting.save(update_fields=["priority"])
    return meeting


@transaction.atomic
def do_confirm_schedule(event: Event) -> int:
    """Announce the plan: every scheduled meeting is confirmed and kept in place by later runs; how many."""
    return Meeting.objects.filter(event=event, slot__isnull=False, place__isnull=False).update(confirmed=True)


def do_schedule_event(event: Event, *, time_limit: float = 10.0, by=None, now: datetime | None = None) -> ScheduleRun:
    """Run the scheduler on the event's accepted meetings and store each one's slot and place.

    Locked and confirmed meetings stay where they are; the others are placed anew (or left out when
    they do not fit). The run is recorded with the upper bound the engine proved.
    """
    from ris3hub.events.scheduling import run_scheduler

    started = _now(now)
    clock_start = time.monotonic()
    outcome = run_scheduler(event, time_limit=time_limit)
    with transaction.atomic():
        # Ordered by pk: the default ordering's outer joins (slot, place) cannot be locked on PostgreSQL.
        meetings = {m.pk: m for m in Meeting.objects.select_for_update().filter(event=event).order_by("pk")}
        changed = []
        for meeting_id, meeting in meetings.items():
            if meeting_id in outcome.pinned:
                continue
            slot_id, place_id = outcome.placement.get(meeting_id, (None, None))
            if (meeting.slot_id, meeting.place_id) != (slot_id, place_id):
                meeting.slot_id, meeting.place_id = slot_id, place_id
                changed.append(meeting)
        Meeting.objects.bulk_update(changed, ["slot", "place"])
        run = ScheduleRun.objects.create(
            event=event, started=started, by=by, seconds=time.monotonic() - clock_start, meetings=len(meetings),
            scheduled=len(outcome.placement) + len(outcome.pinned), kept=len(outcome.pinned),
            upper_bound=outcome.upper_bound, value=outcome.value, proven_optimal=outcome.proven_optimal,
            objective=outcome.objective)
    return run


# The day and after --------------------------------------------------------------------------------

def do_check_in(registration: Registration, by=None, now: datetime | None = None) -> CheckIn:
    """The participant arrived; checking in twice keeps the first arrival."""
    if not registration.is_validated:
        raise ValidationError(_("the registration of %(who)s is not validated") % {"who": registration})
    check_in, _created = CheckIn.objects.get_or_create(registration=registration,
                                                       defaults={"at": _now(now), "by": by})
    return check_in


def do_undo_check_in(registration: Registration) -> None:
    CheckIn.objects.filter(registration=registration).delete()


@transaction.atomic
def do_record_follow_up(meeting: Meeting, registration: Registration, *, held: bool, agreement: bool = False,
                        agreement_type: str = "", next_step: str = "") -> FollowUp:
    """A participant's answer after the event about one of their meetings (answering again replaces it)."""
    if not meeting.participants.filter(pk=registration.pk).exists():
        raise ValidationError(_("%(who)s is not a participant of meeting #%(id)s") % {"who": registration,
                                                                                     "id": meeting.pk})
    if agreement and not held:
        raise ValidationError({"agreement": _("an agreement needs the meeting to have been held")})
    if agreement_type and agreement_type not in Cooperation.values:
        raise ValidationError({"agreement_type": _("'%(value)s' is not a kind of cooperation")
                               % {"value": agreement_type}})
    if agreement_type and not agreement:
        raise ValidationError({"agreement_type": _("a kind of agreement needs an agreement")})
    follow_up, _created = FollowUp.objects.update_or_create(
        meeting=meeting, registration=registration,
        defaults={"held": held, "agreement": agreement, "agreement_type": agreement_type,
                  "next_step": next_step.strip()})
    return follow_up
