"""The scheduling problem: slots, places, participants and meetings, validated at the boundary.

``parse_problem`` turns the JSON document of docs/scheduling.md into a :class:`Problem`, or raises
:class:`ProblemError` listing every problem found, each naming the element (``meetings[3] "m4"``)
and the field. Nothing downstream re-validates: a Problem is consistent by construction, locked
meetings included (they keep every rule among themselves).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any


class ProblemError(Exception):
    """The event cannot be scheduled as given; ``errors`` lists every reason, one element each."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()

    def overlaps(self, other: Slot) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Place:
    id: str
    capacity: int
    virtual: bool


@dataclass(frozen=True)
class Participant:
    id: str
    available: frozenset[str] | None  # None: every slot
    max_meetings: int | None  # None: no limit

    def is_available(self, slot_id: str) -> bool:
        return self.available is None or slot_id in self.available


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, ...]
    virtual: bool = False
    priority: int = 1
    locked: tuple[str, str] | None = None  # (slot id, place id)
    confirmed: bool = False


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    places: tuple[Place, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]

    def slot(self, slot_id: str) -> Slot:
        return self.slots_by_id[slot_id]

    def place(self, place_id: str) -> Place:
        return self.places_by_id[place_id]

    def participant(self, participant_id: str) -> Participant:
        return self.participants_by_id[participant_id]

    def meeting(self, meeting_id: str) -> Meeting:
        return self.meetings_by_id[meeting_id]

    @cached_property
    def slots_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def places_by_id(self) -> dict[str, Place]:
        return {p.id: p for p in self.places}

    @cached_property
    def participants_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def meetings_by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}


def load_problem(path: str | Path) -> Problem:
    """Read and validate an event file (UTF-8 JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProblemError([f"{path}: cannot read the file: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise ProblemError([f"{path}: byte {exc.start} is not valid UTF-8"]) from exc
    return parse_problem(loads_json(text, str(path)))


def loads_json(text: str, name: str) -> Any:
    """JSON text -> Python value; a syntax error names the line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProblemError([f"{name}: line {exc.lineno}, column {exc.colno}: malformed JSON: {exc.msg}"]) from exc


def parse_problem(data: Any) -> Problem:
    """Validate a decoded event document; raise ProblemError with every error found."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ProblemError([f"the event must be a JSON object, not {_type_name(data)}"])
    lists = {}
    for key in ("slots", "places", "participants", "meetings"):
        value = data.get(key)
        if value is None:
            errors.append(f'"{key}" is missing (a list, possibly empty)')
        elif not isinstance(value, list):
            errors.append(f'"{key}" must be a list, not {_type_name(value)}')
        lists[key] = value if isinstance(value, list) else []
    # ids of items with other errors stay known, so that references to them add no errors
    slots, slot_ids = _parse_items(lists["slots"], "slots", _parse_slot, errors)
    places, place_ids = _parse_items(lists["places"], "places", _parse_place, errors)
    participants, participant_ids = _parse_items(
        lists["participants"], "participants", lambda item, where, errs: _parse_participant(item, where, errs, slot_ids),
        errors)
    meetings, _ = _parse_items(
        lists["meetings"], "meetings",
        lambda item, where, errs: _parse_meeting(item, where, errs, participant_ids, slot_ids, place_ids), errors)
    _check_time_zones(slots, errors)
    if errors:
        raise ProblemError(errors)
    problem = Problem(tuple(slots), tuple(places), tuple(participants), tuple(meetings))
    position = {m["id"]: k for k, m in enumerate(lists["meetings"])
                if isinstance(m, dict) and isinstance(m.get("id"), str)}
    errors.extend(locked_errors(problem, lambda m: f'meetings[{position[m.id]}] "{m.id}"'))
    if errors:
        raise ProblemError(errors)
    return problem


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _where(kind: str, index: int, item: Any) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f'{kind}[{index}] "{item["id"]}"'
    return f"{kind}[{index}]"


def _parse_items(items: list, kind: str, parse, errors: list[str]) -> tuple[list, set[str]]:
    parsed = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        where = _where(kind, index, item)
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object, not {_type_name(item)}")
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            errors.append(f"{where}: \"id\" must be a non-empty string, not {_type_name(ident)}"
                          if not isinstance(ident, str) else f"{where}: \"id\" is empty")
            continue
        if ident in first_index:
            errors.append(f'{where}: duplicate id "{ident}" (first used by {kind}[{first_index[ident]}])')
            continue
        first_index[ident] = index
        before = len(errors)
        value = parse(item, where, errors)
        if len(errors) == before:
            parsed.append(value)
    return parsed, set(first_index)


def _optional(item: dict, key: str, kind: type | tuple, where: str, errors: list[str], default: Any) -> Any:
    if key not in item or item[key] is None:
        return default
    value = item[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        name = {bool: "a boolean (true or false)", int: "an integer", list: "a list", dict: "an object",
                str: "a string"}[kind]
        errors.append(f'{where}: "{key}" must be {name}, not {_type_name(value)} {json.dumps(value)}')
        return default
    return value


def _parse_time(item: dict, key: str, where: str, errors: list[str]) -> datetime | None:
    value = item.get(key)
    if not isinstance(value, str):
        errors.append(f'{where}: "{key}" must be an ISO 8601 date-time string such as "2026-03-01T09:00", '
                      f"not {_type_name(value)}")
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        errors.append(f'{where}: "{key}" {json.dumps(value)} is not an ISO 8601 date-time such as "2026-03-01T09:00"')
        return None


def _parse_slot(item: dict, where: str, errors: list[str]) -> Slot | None:
    start = _parse_time(item, "start", where, errors)
    end = _parse_time(item, "end", where, errors)
    if start is None or end is None:
        return None
    if (start.tzinfo is None) != (end.tzinfo is None):
        errors.append(f'{where}: "start" and "end" must both have a time zone offset or both have none')
        return None
    if end <= start:
        errors.append(f'{where}: "end" {item["end"]} is not after "start" {item["start"]}')
        return None
    return Slot(item["id"], start, end)


def _check_time_zones(slots: list[Slot], errors: list[str]) -> None:
    aware = {s.start.tzinfo is not None for s in slots}
    if len(aware) > 1:
        errors.append("slots: some times have a time zone offset and others do not; use one form for every slot")


def _parse_place(item: dict, where: str, errors: list[str]) -> Place | None:
    capacity = _optional(item, "capacity", int, where, errors, 1)
    virtual = _optional(item, "virtual", bool, where, errors, False)
    if capacity < 0:
        errors.append(f'{where}: "capacity" must be 0 or more, not {capacity}')
    return Place(item["id"], capacity, virtual)


def _parse_participant(item: dict, where: str, errors: list[str], slot_ids: set[str]) -> Participant | None:
    available = _optional(item, "available", list, where, errors, None)
    max_meetings = _optional(item, "max_meetings", int, where, errors, None)
    if max_meetings is not None and max_meetings < 0:
        errors.append(f'{where}: "max_meetings" must be 0 or more, not {max_meetings}')
    if available is None:
        return Participant(item["id"], None, max_meetings)
    seen: set[str] = set()
    for k, slot_id in enumerate(available):
        if not isinstance(slot_id, str):
            errors.append(f'{where}: "available"[{k}] must be a slot id (a string), not {_type_name(slot_id)}')
        elif slot_id not in slot_ids:
            errors.append(f'{where}: "available"[{k}] "{slot_id}" is not a known slot')
        elif slot_id in seen:
            errors.append(f'{where}: "available"[{k}] "{slot_id}" is listed twice')
        else:
            seen.add(slot_id)
    return Participant(item["id"], frozenset(seen), max_meetings)


def _parse_meeting(item: dict, where: str, errors: list[str], participant_ids: set[str], slot_ids: set[str],
                   place_ids: set[str]) -> Meeting | None:
    members = item.get("participants")
    if not isinstance(members, list):
        errors.append(f'{where}: "participants" must be a list of participant ids, not {_type_name(members)}')
        members = []
    seen: list[str] = []
    for k, pid in enumerate(members):
        if not isinstance(pid, str):
            errors.append(f'{where}: "participants"[{k}] must be a participant id (a string), not {_type_name(pid)}')
        elif pid not in participant_ids:
            errors.append(f'{where}: "participants"[{k}] "{pid}" is not a known participant')
        elif pid in seen:
            errors.append(f'{where}: "participants"[{k}] "{pid}" is listed twice')
        else:
            seen.append(pid)
    if isinstance(item.get("participants"), list) and len(members) < 2:
        errors.append(f'{where}: a meeting needs at least two participants, "participants" has {len(members)}')
    virtual = _optional(item, "virtual", bool, where, errors, False)
    priority = _optional(item, "priority", int, where, errors, 1)
    if priority < 1:
        errors.append(f'{where}: "priority" must be 1 or more, not {priority}')
    confirmed = _optional(item, "confirmed", bool, where, errors, False)
    locked_value = _optional(item, "locked", dict, where, errors, None)
    locked = None
    if locked_value is not None:
        slot_id, place_id = locked_value.get("slot"), locked_value.get("place")
        ok = True
        if not isinstance(slot_id, str) or slot_id not in slot_ids:
            errors.append(f'{where}: "locked"."slot" {json.dumps(slot_id)} is not a known slot')
            ok = False
        if not isinstance(place_id, str) or place_id not in place_ids:
            errors.append(f'{where}: "locked"."place" {json.dumps(place_id)} is not a known place')
            ok = False
        locked = (slot_id, place_id) if ok else None
    return Meeting(item["id"], tuple(seen), virtual, priority, locked, confirmed)


def locked_errors(problem: Problem, name) -> list[str]:
    """A locked meeting must keep every rule: availability, place kind, capacity, conflicts, maximums.

    ``name(meeting)`` says how to name a meeting in the messages.
    """
    errors: list[str] = []
    locked = [m for m in problem.meetings if m.locked]
    by_place: dict[str, list[Meeting]] = defaultdict(list)
    by_participant: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in locked:
        slot_id, place_id = meeting.locked
        place = problem.place(place_id)
        if place.virtual != meeting.virtual:
            kind = "virtual" if meeting.virtual else "physical"
            errors.append(f'{name(meeting)}: locked in place "{place_id}", but a {kind} meeting needs a '
                          f'{kind} place')
        for pid in meeting.participants:
            if not problem.participant(pid).is_available(slot_id):
                errors.append(f'{name(meeting)}: locked in slot "{slot_id}", when participant "{pid}" is not available')
            by_participant[pid].append(meeting)
        by_place[place_id].append(meeting)
    for place_id, meetings in by_place.items():
        capacity = problem.place(place_id).capacity
        for meeting in meetings:
            slot = problem.slot(meeting.locked[0])
            at_once = [m for m in meetings if problem.slot(m.locked[0]).start <= slot.start < problem.slot(m.locked[0]).end]
            if len(at_once) > capacity and meeting is at_once[-1]:
                errors.append(f'{name(meeting)}: locked in place "{place_id}" in slot "{slot.id}" with '
                              f'{", ".join(name(m) for m in at_once[:-1])}; the place holds {capacity} at once')
    for pid, meetings in by_participant.items():
        for i, a in enumerate(meetings):
            for b in meetings[i + 1:]:
                if problem.slot(a.locked[0]).overlaps(problem.slot(b.locked[0])):
                    errors.append(f'{name(b)}: locked at the same time as {name(a)}, and participant "{pid}" is in both')
        limit = problem.participant(pid).max_meetings
        if limit is not None and len(meetings) > limit:
            errors.append(f'{name(meetings[-1])}: participant "{pid}" has {len(meetings)} locked meetings, more than '
                          f'its "max_meetings" {limit}')
    return errors
