"""Rescheduling after late requests: new meetings fit around the ones already announced.

Given the event as it is now and the schedule published before (the output document of ``solve``):

- locked meetings stay where the event locks them;
- confirmed meetings (``"confirmed": true`` in the event, or every meeting of the earlier schedule
  with ``freeze``) keep the slot and place they had: they become locked, and if that is no longer
  possible (a participant withdrew that slot, the place is gone...) the event is rejected with an
  error naming the meeting;
- the other meetings of the earlier schedule are moved only when that schedules more (or more
  important) meetings, and then as few as possible; meetings of the earlier schedule no longer in the
  event are dropped (cancelled).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .model import Problem, ProblemError, locked_errors


def previous_assignments(problem: Problem, schedule: Any, name: str = "previous schedule"
                         ) -> dict[str, tuple[str, str]]:
    """meeting id -> (slot id, place id) of an earlier schedule document, for meetings still in the
    event; every malformed entry or unknown slot or place is an error naming it."""
    if not isinstance(schedule, dict) or not isinstance(schedule.get("assignments"), list):
        raise ProblemError([f'{name}: must be a schedule object with an "assignments" list'])
    errors = []
    out: dict[str, tuple[str, str]] = {}
    for k, item in enumerate(schedule["assignments"]):
        where = f"{name}: assignments[{k}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(f), str) for f in ("meeting", "slot", "place")):
            errors.append(f'{where}: needs the strings "meeting", "slot" and "place"')
            continue
        mid, sid, pid = item["meeting"], item["slot"], item["place"]
        if mid not in problem.meetings_by_id:
            continue  # cancelled since
        if mid in out:
            errors.append(f'{where}: meeting "{mid}" is scheduled twice')
        elif sid not in problem.slots_by_id:
            errors.append(f'{where}: slot "{sid}" is not in the event any more')
        elif pid not in problem.places_by_id:
            errors.append(f'{where}: place "{pid}" is not in the event any more')
        else:
            out[mid] = (sid, pid)
    if errors:
        raise ProblemError(errors)
    return out


def keep_confirmed(problem: Problem, previous: dict[str, tuple[str, str]], freeze: bool = False
                   ) -> tuple[Problem, dict[str, tuple[str, str]]]:
    """The event with confirmed meetings locked where ``previous`` had them, and the earlier places
    of the other meetings (to move as little as possible). ProblemError names every confirmed
    meeting that can no longer stay where it was."""
    kept = {mid for mid in previous if freeze or problem.meeting(mid).confirmed}
    meetings = tuple(replace(m, locked=previous[m.id]) if m.id in kept and not m.locked else m
                     for m in problem.meetings)
    fixed = Problem(problem.slots, problem.places, problem.participants, meetings)
    position = {m.id: k for k, m in enumerate(problem.meetings)}

    def name(meeting) -> str:
        how = "confirmed" if meeting.id in kept and not problem.meeting(meeting.id).locked else "locked"
        return f'meetings[{position[meeting.id]}] "{meeting.id}" ({how})'

    errors = locked_errors(fixed, name)
    if errors:
        raise ProblemError(errors)
    return fixed, {mid: where for mid, where in previous.items() if mid not in kept}
