"""REST API of brokerage events: the public programme, and for organisers the meetings, the scheduler's
input, moves on the grid, scheduler runs and the follow-up outcomes.

Organiser operations need a signed-in organiser: an API token (``Authorization: Bearer``; the ``read``
scope to read, ``write`` to change) or the site's session (writes need the CSRF token of the
``csrftoken`` cookie in ``X-CSRFToken``). A move the rules forbid answers 409 with the reasons.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ris3hub.core.api_lists import LimitOffsetPagination
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError, ErrorOut
from ris3hub.events import actions, indicators
from ris3hub.events.checks import load_meetings, schedule_conflicts
from ris3hub.events.models import Event, Meeting, ParticipationType, Place, Session, Slot
from ris3hub.events.permissions import is_organiser
from ris3hub.events.scheduling import build_problem
from ris3hub.tokens.auth import SIGNED_IN, api_user, require_scope

router = Router(tags=["events"])

ORGANISER_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class EventItem(Schema):
    id: int
    slug: str
    name: str
    venue: str
    request_mode: Event.RequestMode
    registration_open: bool
    participants: int = Field(description="Validated participants")
    url: str = Field(description="Path of the event's page")

    @staticmethod
    def resolve_url(obj: Event) -> str:
        return obj.get_absolute_url()


class SlotOut(Schema):
    id: int
    start: datetime
    end: datetime


class BreakOut(Schema):
    start: time
    end: time
    label: str


class SessionOut(Schema):
    id: int
    name: str
    day: date
    start: time
    end: time
    mode: Session.Mode
    meeting_minutes: int
    changeover_minutes: int
    breaks: list[BreakOut]
    slots: list[SlotOut]

    @staticmethod
    def resolve_breaks(obj: Session):
        return list(obj.breaks.all())

    @staticmethod
    def resolve_slots(obj: Session):
        return list(obj.slots.all())


class PlaceOut(Schema):
    id: int
    name: str
    virtual: bool
    capacity: int


class ParticipationTypeOut(Schema):
    id: int
    name: str
    description: str
    max_participants: int | None
    max_meetings: int | None
    max_requests: int | None
    can_request: bool
    meets: list[int] = Field(description="Ids of the types these participants may meet; empty: every type")

    @staticmethod
    def resolve_meets(obj: ParticipationType) -> list[int]:
        return sorted(obj.met_ids())


class EventOut(EventItem):
    description: str
    timezone: str
    request_expiry_hours: int
    max_meetings: int
    max_requests: int
    sessions: list[SessionOut]
    places: list[PlaceOut]
    participation_types: list[ParticipationTypeOut]

    @staticmethod
    def resolve_sessions(obj: Event):
        return list(obj.sessions.prefetch_related("breaks", "slots"))

    @staticmethod
    def resolve_places(obj: Event):
        return list(obj.places.all())

    @staticmethod
    def resolve_participation_types(obj: Event):
        return list(obj.participation_types.all())


class ParticipantRef(Schema):
    id: int
    person_name: str
    organisation_name: str
    organisation_id: int | None = Field(description="The organisation in the registry, where linked")


class MeetingOut(Schema):
    id: int
    participants: list[ParticipantRef]
    priority: int
    virtual: bool
    slot: int | None = Field(description="Slot id; null when not placed")
    place: int | None = Field(description="Place id; null when not placed")
    locked: bool
    confirmed: bool
    conflicts: list[str] = Field(description="Rules the meeting breaks where it is (empty when none)")

    @staticmethod
    def resolve_participants(obj: Meeting):
        return list(obj.participants.all())

    @staticmethod
    def resolve_virtual(obj: Meeting) -> bool:
        return obj.is_virtual

    @staticmethod
    def resolve_slot(obj: Meeting) -> int | None:
        return obj.slot_id

    @staticmethod
    def resolve_place(obj: Meeting) -> int | None:
        return obj.place_id

    @staticmethod
    def resolve_conflicts(obj: Meeting) -> list[str]:
        return getattr(obj, "conflicts", [])


class MoveIn(Schema):
    slot: int | None = Field(description="Slot id; null (with place null) takes the meeting off the grid")
    place: int | None = None
    lock: bool = Field(True, description="Lock the meeting where it goes")


class LockIn(Schema):
    locked: bool


class ScheduleIn(Schema):
    time_limit: float = Field(10.0, gt=0, le=600, description="Seconds the scheduler may search")


class RunOut(Schema):
    started: datetime
    seconds: float
    meetings: int
    scheduled: int
    kept: int
    upper_bound: float
    value: float = Field(description="Priority-weighted meetings placed")
    gap: float = Field(description="(upper_bound - value) / upper_bound")
    proven_optimal: bool
    objective: dict


class OutcomeOut(Schema):
    event_id: int
    event: str
    participants: int
    checked_in: int
    meetings: int
    scheduled: int
    answered: int
    held: int
    agreements: int


def _events():
    return Event.objects.annotate(participants=Count("registrations", filter=Q(registrations__status="validated"),
                                                     distinct=True))


def _event(request, slug: str) -> Event:
    event = _events().filter(slug=slug).first()
    if event is None or not (event.published or is_organiser(api_user(request), event)):
        raise ApiError(404, f"no event {slug!r}")
    return event


def _organiser_event(request, slug: str, scope: str = "read") -> Event:
    """The event, for its organisers; with an API token, one that has ``scope``."""
    require_scope(request, scope)
    event = _event(request, slug)
    if not is_organiser(request.user, event):
        raise ApiError(403, f"only the organisers of {slug!r} may do this")
    return event


def _meeting_out(event: Event, meeting_id: int) -> Meeting:
    meetings = load_meetings(event)
    conflicts = schedule_conflicts(event, meetings)
    for meeting in meetings:
        if meeting.pk == meeting_id:
            meeting.conflicts = conflicts.get(meeting.pk, [])
            return meeting
    raise ApiError(404, f"no meeting {meeting_id} in {event.slug!r}")


def _refused(error: ValidationError, status: int = 409) -> ApiError:
    return ApiError(status, " ".join(error.messages), code="conflict" if status == 409 else None)


@router.get("/", response={200: list[EventItem], **INVALID}, summary="List events")
@paginate(LimitOffsetPagination)
def list_events(request):
    """Published events, the latest first."""
    return _events().filter(published=True).order_by("-created", "pk")


@router.get("/{slug}", response={200: EventOut, **NOT_FOUND}, summary="One event")
def event_detail(request, slug: str):
    """An event's sessions with their slots, places and participation types."""
    return _event(request, slug)


@router.get("/{slug}/problem", response={200: dict, **ORGANISER_ERRORS}, auth=SIGNED_IN,
            summary="The event as the scheduler's input")
def event_problem(request, slug: str):
    """The JSON document `ris3hub schedule` reads (docs/scheduling.md): slots, places, participants and the
    accepted meetings, locked and confirmed ones with their slot and place."""
    return build_problem(_organiser_event(request, slug)).document


@router.get("/{slug}/meetings", response={200: list[MeetingOut], **ORGANISER_ERRORS}, auth=SIGNED_IN,
            summary="Accepted meetings")
def list_meetings(request, slug: str):
    """Every accepted meeting with its slot, place and the rules it breaks there."""
    event = _organiser_event(request, slug)
    meetings = load_meetings(event)
    conflicts = schedule_conflicts(event, meetings)
    for meeting in meetings:
        meeting.conflicts = conflicts.get(meeting.pk, [])
    return meetings


@router.post("/{slug}/meetings/{meeting_id}/move", response={200: MeetingOut, 409: ErrorOut, **ORGANISER_ERRORS},
             auth=SIGNED_IN, url_name="event_move_meeting", summary="Move a meeting on the grid")
def move_meeting(request, slug: str, meeting_id: int, payload: MoveIn):
    """Put a meeting in a slot and a place (locked there unless `lock` is false), or off the grid with
    both null. Refused with 409 and the reasons when a participant is busy or absent then, the place
    is full or of the wrong kind."""
    event = _organiser_event(request, slug, "write")
    meeting = Meeting.objects.filter(pk=meeting_id, event=event).first()
    if meeting is None:
        raise ApiError(404, f"no meeting {meeting_id} in {slug!r}")
    try:
        if payload.slot is None and payload.place is None:
            actions.do_unschedule_meeting(meeting)
        elif payload.slot is None or payload.place is None:
            raise ApiError(422, "give both a slot and a place, or neither to take the meeting off the grid")
        else:
            slot = Slot.objects.filter(pk=payload.slot, session__event=event).select_related("session").first()
            place = Place.objects.filter(pk=payload.place, event=event).first()
            if slot is None or place is None:
                raise ApiError(422, f"slot {payload.slot} or place {payload.place} is not in {slug!r}")
            actions.do_move_meeting(meeting, slot, place, lock=payload.lock)
    except ValidationError as error:
        raise _refused(error) from None
    return _meeting_out(event, meeting.pk)


@router.post("/{slug}/meetings/{meeting_id}/lock", response={200: MeetingOut, 409: ErrorOut, **ORGANISER_ERRORS},
             auth=SIGNED_IN, summary="Lock or unlock a meeting")
def lock_meeting(request, slug: str, meeting_id: int, payload: LockIn):
    event = _organiser_event(request, slug, "write")
    meeting = Meeting.objects.filter(pk=meeting_id, event=event).select_related("slot", "place").first()
    if meeting is None:
        raise ApiError(404, f"no meeting {meeting_id} in {slug!r}")
    try:
        actions.do_lock_meeting(meeting, payload.locked)
    except ValidationError as error:
        raise _refused(error) from None
    return _meeting_out(event, meeting.pk)


@router.post("/{slug}/schedule", response={200: RunOut, 409: ErrorOut, **ORGANISER_ERRORS}, auth=SIGNED_IN,
             summary="Run the scheduler")
def schedule(request, slug: str, payload: ScheduleIn):
    """Place the accepted meetings (locked and confirmed ones stay); answers the run with its upper bound."""
    event = _organiser_event(request, slug, "write")
    try:
        run = actions.do_schedule_event(event, time_limit=payload.time_limit, by=request.user)
    except ValidationError as error:
        raise _refused(error) from None
    return run


@router.get("/{slug}/outcomes", response={200: OutcomeOut, **ORGANISER_ERRORS}, auth=SIGNED_IN,
            summary="Follow-up outcomes")
def outcomes(request, slug: str):
    """Participants, check-ins, meetings, and the meetings held and agreements reached by the follow-up answers."""
    return indicators.event_outcomes([_organiser_event(request, slug)])[0].as_dict()

