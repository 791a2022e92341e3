"""The event in the database as the scheduling engine's input, and the engine's answer as meeting placements.

Ids in the engine document: ``s<slot id>``, ``t<place id>``, ``p<registration id>``, ``m<meeting id>``.
A participant is available in the slots of the sessions they attend (ris3hub.events.checks); their
maximum is their participation's meeting limit; a meeting is virtual when a participant attends
online; locked and confirmed meetings that have a slot and a place go in as ``locked`` there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ris3hub.events.checks import available_session_ids, load_meetings
from ris3hub.events.models import Event, Meeting, Registration, Slot

_ID = re.compile(r'"([stpm])(\d+)"')
_POSITION = re.compile(r"\b(?:slots|places|participants|meetings)\[\d+\]\s*")


@dataclass
class BuiltProblem:
    document: dict
    meetings: dict[int, Meeting]
    names: dict[str, str] = field(default_factory=dict)  # engine id -> what a person calls it

    def explain(self, text: str) -> str:
        """An engine message with its ids replaced by names ("m12" -> meeting #12 ...)."""
        text = _POSITION.sub("", text)  # positions in the engine's document mean nothing to an organiser
        return _ID.sub(lambda match: self.names.get(match.group(1) + match.group(2), match.group(0)), text)


@dataclass
class Outcome:
    placement: dict[int, tuple[int, int]]  # meeting id -> (slot id, place id), for meetings the run placed
    pinned: set[int]  # meetings kept where they were (locked or confirmed)
    upper_bound: float
    value: float
    proven_optimal: bool
    objective: dict


def build_problem(event: Event) -> BuiltProblem:
    tz = ZoneInfo(event.timezone)
    slots = list(Slot.objects.filter(session__event=event).select_related("session").order_by("start"))
    sessions = list(event.sessions.all())
    places = list(event.places.all())
    meetings = load_meetings(event)
    names: dict[str, str] = {}
    slot_ids_by_session: dict[int, list[str]] = {}
    slot_documents = []
    for slot in slots:
        sid = f"s{slot.pk}"
        start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
        slot_documents.append({"id": sid, "start": start.isoformat(timespec="minutes"),
                               "end": end.isoformat(timespec="minutes"), "session": slot.session.name})
        slot_ids_by_session.setdefault(slot.session_id, []).append(sid)
        names[sid] = f"{start:%a %d %b %H:%M}"
    place_documents = []
    for place in places:
        names[f"t{place.pk}"] = place.name
        place_documents.append({"id": f"t{place.pk}", "name": place.name, "capacity": place.capacity,
                                "virtual": place.virtual})
    registrations: dict[int, Registration] = {}
    for meeting in meetings:
        for registration in meeting.participants.all():
            registrations.setdefault(registration.pk, registration)
    participant_documents = []
    for registration in sorted(registrations.values(), key=lambda r: r.pk):
        pid = f"p{registration.pk}"
        names[pid] = str(registration)
        item = {"id": pid, "name": str(registration), "max_meetings": registration.meeting_limit()}
        attended = available_session_ids(registration, sessions)
        if len(attended) < len(sessions):
            item["available"] = [sid for s in sessions if s.pk in attended for sid in slot_ids_by_session.get(s.pk, [])]
        participant_documents.append(item)
    meeting_documents = []
    for meeting in meetings:
        mid = f"m{meeting.pk}"
        names[mid] = _("meeting #%(id)s") % {"id": meeting.pk}
        item = {"id": mid, "participants": [f"p{r.pk}" for r in meeting.participants.all()],
                "virtual": meeting.is_virtual, "priority": meeting.priority, "confirmed": meeting.confirmed}
        if meeting.pinned:
            item["locked"] = {"slot": f"s{meeting.slot_id}", "place": f"t{meeting.place_id}"}
        meeting_documents.append(item)
    document = {"event": event.slug, "slots": slot_documents, "places": place_documents,
                "participants": participant_documents, "meetings": meeting_documents}
    return BuiltProblem(document, {m.pk: m for m in meetings}, names)


def _number(engine_id: str, prefix: str) -> int:
    if not engine_id.startswith(prefix) or not engine_id[1:].isdigit():
        raise ValueError(f"the scheduler answered an id {engine_id!r} it was not given")
    return int(engine_id[1:])


def previous_schedule(built: BuiltProblem) -> dict | None:
    """Where the movable meetings are now, as an earlier schedule for the engine to change as little as it
    can (late requests fit around the plan); None when none is placed."""
    placed = [{"meeting": f"m{m.pk}", "slot": f"s{m.slot_id}", "place": f"t{m.place_id}"}
              for m in built.meetings.values() if m.is_scheduled and not m.pinned]
    return {"assignments": placed, "unscheduled": []} if placed else None


def run_scheduler(event: Event, time_limit: float = 10.0) -> Outcome:
    """Solve the event with the engine (ris3hub.engines.scheduling.solve).

    Locked and confirmed meetings go in locked; the other placed meetings as the previous schedule, so
    they move only when that places more meetings. ValidationError, naming the meetings, when the locked
    ones break a rule or the engine's answer fails its independent check (nothing is stored then).
    """
    from ris3hub.engines.scheduling.model import ProblemError
    from ris3hub.engines.scheduling.solve import solve
    from ris3hub.engines.scheduling.verify import ScheduleCheckError

    built = build_problem(event)
    if not built.meetings:
        return Outcome({}, set(), 0.0, 0.0, True, {})
    try:
        answer = solve(built.document, time_limit=time_limit, previous=previous_schedule(built))
    except ProblemError as error:
        raise ValidationError(_("The scheduler cannot run: %(reasons)s. Unlock or move these meetings.") % {
            "reasons": "; ".join(built.explain(e) for e in error.errors)}) from error
    except ScheduleCheckError as error:
        raise ValidationError(_("The scheduler's plan failed the independent check, so nothing was changed: "
                                "%(reasons)s") % {"reasons": "; ".join(built.explain(v) for v in error.violations)}
                              ) from error
    pinned = {m.pk for m in built.meetings.values() if m.pinned}
    placement: dict[int, tuple[int, int]] = {}
    value = 0.0
    for assignment in answer["assignments"]:
        meeting_id = _number(assignment["meeting"], "m")
        value += built.meetings[meeting_id].priority
        if meeting_id not in pinned:
            placement[meeting_id] = (_number(assignment["slot"], "s"), _number(assignment["place"], "t"))
    objective = dict(answer["objective"])
    objective.update(method=answer["method"], proven=answer["proven"], bound_method=answer["bound_method"],
                     moved=len(answer.get("moved", [])))
    return Outcome(placement, pinned, float(answer["upper_bound"]), value, bool(answer["proven_optimal"]),
                   objective)
