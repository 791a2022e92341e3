"""An independent check of a schedule against the event: every rule, and the objective it claims.

It reads only the validated Problem and the schedule document (docs/scheduling.md), with its own
plain arithmetic on date-times: none of the solvers' integer structures, so a bug there cannot hide
itself here. ``check_schedule`` returns the violations, one sentence each; an empty list means valid.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from .model import Meeting, Problem, Slot


class ScheduleCheckError(Exception):
    """A schedule breaks a rule: a bug in a solver, caught by the independent check."""

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__("the schedule failed the independent check: " + "; ".join(violations[:10]))


def check_schedule(problem: Problem, schedule: Any) -> list[str]:
    errors: list[str] = []
    if not isinstance(schedule, dict):
        return ["the schedule must be a JSON object"]
    assignments = schedule.get("assignments")
    unscheduled = schedule.get("unscheduled")
    if not isinstance(assignments, list) or not isinstance(unscheduled, list):
        return ['the schedule needs the lists "assignments" and "unscheduled"']

    placed: dict[str, tuple[Slot, str]] = {}
    for k, item in enumerate(assignments):
        where = f"assignments[{k}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in ("meeting", "slot", "place")):
            errors.append(f'{where}: needs the strings "meeting", "slot" and "place"')
            continue
        mid, sid, pid = item["meeting"], item["slot"], item["place"]
        if mid not in problem.meetings_by_id:
            errors.append(f'{where}: meeting "{mid}" is not in the event')
        elif mid in placed:
            errors.append(f'{where}: meeting "{mid}" is scheduled twice')
        elif sid not in problem.slots_by_id:
            errors.append(f'{where}: slot "{sid}" is not in the event')
        elif pid not in problem.places_by_id:
            errors.append(f'{where}: place "{pid}" is not in the event')
        else:
            placed[mid] = (problem.slot(sid), pid)
    left = set()
    for k, mid in enumerate(unscheduled):
        if not isinstance(mid, str) or mid not in problem.meetings_by_id:
            errors.append(f"unscheduled[{k}]: {mid!r} is not a meeting of the event")
        elif mid in placed or mid in left:
            errors.append(f'unscheduled[{k}]: meeting "{mid}" is listed twice')
        else:
            left.add(mid)
    for meeting in problem.meetings:
        if meeting.id not in placed and meeting.id not in left:
            errors.append(f'meeting "{meeting.id}" is neither scheduled nor unscheduled')
    if errors:
        return errors

    by_participant: dict[str, list[tuple[Slot, Meeting]]] = defaultdict(list)
    by_place: dict[str, list[Slot]] = defaultdict(list)
    for meeting in problem.meetings:
        if meeting.id not in placed:
            if meeting.locked:
                errors.append(f'meeting "{meeting.id}" is locked but unscheduled')
            continue
        slot, pid = placed[meeting.id]
        place = problem.place(pid)
        if meeting.locked and meeting.locked != (slot.id, pid):
            errors.append(f'meeting "{meeting.id}" is locked in {meeting.locked[0]}/{meeting.locked[1]} '
                          f"but scheduled in {slot.id}/{pid}")
        if place.virtual != meeting.virtual:
            errors.append(f'meeting "{meeting.id}" is {"virtual" if meeting.virtual else "physical"} '
                          f'but place "{pid}" is {"virtual" if place.virtual else "physical"}')
        for person in meeting.participants:
            if not problem.participant(person).is_available(slot.id):
                errors.append(f'meeting "{meeting.id}": participant "{person}" is not available in slot "{slot.id}"')
            by_participant[person].append((slot, meeting))
        by_place[pid].append(slot)

    for person, items in by_participant.items():
        items.sort(key=lambda item: item[0].start)
        for i, (a, ma) in enumerate(items):
            for b, mb in items[i + 1:]:
                if b.start >= a.end:
                    break
                errors.append(f'participant "{person}" is in meetings "{ma.id}" ({a.id}) and "{mb.id}" ({b.id}) at once')
        limit = problem.participant(person).max_meetings
        if limit is not None and len(items) > limit:
            errors.append(f'participant "{person}" has {len(items)} meetings, more than its max_meetings {limit}')
    for pid, slots in by_place.items():
        capacity = problem.place(pid).capacity
        running = 0
        # ends sort before starts at the same instant: back-to-back slots are not at once
        for instant, change in sorted([(s.start, 1) for s in slots] + [(s.end, -1) for s in slots]):
            running += change
            if change > 0 and running > capacity:
                errors.append(f'place "{pid}" holds {running} meetings at {instant.isoformat()}, '
                              f"more than its capacity {capacity}")

    claimed = schedule.get("objective")
    if isinstance(claimed, dict):
        actual = objective_values(problem, {mid: slot for mid, (slot, _) in placed.items()})
        for key, value in actual.items():
            if key in claimed and claimed[key] != value:
                errors.append(f'objective "{key}" is {claimed[key]!r}, but the schedule gives {value!r}')
        bound = schedule.get("upper_bound")
        if isinstance(bound, (int, float)) and bound < actual["weight"]:
            errors.append(f"upper_bound {bound} is below the weight {actual['weight']} of the schedule")
    return errors


def objective_values(problem: Problem, slot_of: dict[str, Slot]) -> dict[str, Any]:
    """weight, meetings, idle_minutes and participants_without_meeting of a schedule."""
    busy: dict[str, list[Slot]] = defaultdict(list)
    weight = 0
    for meeting in problem.meetings:
        if meeting.id in slot_of:
            weight += meeting.priority
            for person in meeting.participants:
                busy[person].append(slot_of[meeting.id])
    requested = {person for meeting in problem.meetings for person in meeting.participants}
    idle_seconds = 0.0
    for person, slots in busy.items():
        participant = problem.participant(person)
        available = [s for s in problem.slots if participant.is_available(s.id)]
        for day in {s.day for s in slots}:
            mine = [(s.start, s.end) for s in slots if s.day == day]
            first, last = min(a for a, _ in mine), max(b for _, b in mine)
            window = [(max(a.start, first), min(a.end, last)) for a in available
                      if a.day == day and a.start < last and a.end > first]
            idle_seconds += _length(window) - _length(mine)
    minutes = idle_seconds / 60
    return {
        "weight": weight,
        "meetings": len(slot_of),
        "idle_minutes": int(minutes) if minutes == int(minutes) else minutes,
        "participants_without_meeting": len(requested - set(busy)),
    }


def _length(intervals: list[tuple[datetime, datetime]]) -> float:
    """Seconds covered by the union of the intervals."""
    total = 0.0
    end: datetime | None = None
    for a, b in sorted(intervals):
        if end is None or a >= end:
            total += (b - a).total_seconds()
            end = b
        elif b > end:
            total += (b - end).total_seconds()
            end = b
    return total

