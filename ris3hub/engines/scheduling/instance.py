"""The integer form of a Problem that the solvers work on.

Time is cut into *points*: the pieces between consecutive slot boundaries that some slot covers.
Two slots overlap exactly when they share a point, so "no participant in two meetings at once" and
"a place holds at most its capacity at once" become counts per point. With the usual disjoint slots,
each slot is one point (slots with identical times share it).

Places of one kind (physical or virtual) are interchangeable: a meeting needs *a* place of its kind,
so the solvers only count meetings per kind and point against the kinds' total capacity (a *pool*);
``places.assign_places`` picks the concrete places at the end. Locked meetings are taken out of the
search: they occupy their participants and their place's capacity, and every other meeting's
candidate slots already avoid them.

Idle time (the second objective) of participant p on day d is the time p is available, inside the
span from the start of p's first meeting to the end of p's last meeting that day, in which p has no
meeting. Breaks between slots and slots p is not available in do not count.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from .model import Problem

PHYSICAL, VIRTUAL = 0, 1
NO_LIMIT = 1 << 30


@dataclass
class DayLine:
    """A participant's available points of one day, in time order, with a clock that skips the rest."""

    points: tuple[int, ...]
    clock: tuple[int, ...]  # seconds of availability before each point
    seconds: tuple[int, ...]  # length of each point

    def position(self) -> dict[int, int]:
        return {t: k for k, t in enumerate(self.points)}


@dataclass
class Instance:
    problem: Problem
    slot_points: list[tuple[int, ...]]
    slot_start: list[int]
    point_seconds: list[int]
    point_day: list[int]
    parts: list[tuple[int, ...]]  # participant indexes of each meeting
    pool: list[int]  # PHYSICAL or VIRTUAL
    weight: list[int]
    locked_slot: list[int]  # -1 when the meeting is not locked
    candidates: list[tuple[int, ...]]  # slots an unlocked meeting may take; () for locked meetings
    capacity: list[list[int]]  # [pool][point]: meetings the unlocked ones may still hold at once
    max_load: list[int]  # meetings each participant may still take beside its locked ones
    meetings_of: list[list[int]]
    day_lines: list[list[DayLine]]  # per participant, one per day with availability
    point_line: list[dict[int, tuple[int, int]]]  # per participant: point -> (day line index, position)
    by_slot: list[list[int]]  # per slot: the free meetings that may take it

    @property
    def n_meetings(self) -> int:
        return len(self.parts)

    @property
    def n_participants(self) -> int:
        return len(self.meetings_of)

    @property
    def n_slots(self) -> int:
        return len(self.slot_points)

    @property
    def n_points(self) -> int:
        return len(self.point_seconds)

    @cached_property
    def free(self) -> list[int]:
        """Meetings the solvers place (the unlocked ones)."""
        return [m for m in range(self.n_meetings) if self.locked_slot[m] < 0]

    def idle_of(self, p: int, busy: set[int] | dict[int, int]) -> int:
        """Idle seconds of participant ``p`` whose meetings cover the points ``busy``."""
        total = 0
        lines = self.day_lines[p]
        if len(lines) == 1:
            return _line_idle(lines[0], busy)
        for line in lines:
            total += _line_idle(line, busy)
        return total


def _line_idle(line: DayLine, busy) -> int:
    first = last = -1
    used = 0
    for k, t in enumerate(line.points):
        if t in busy:
            if first < 0:
                first = k
            last = k
            used += line.seconds[k]
    if first < 0:
        return 0
    return line.clock[last] + line.seconds[last] - line.clock[first] - used


def build_instance(problem: Problem) -> Instance:
    slots = problem.slots
    if slots:
        base = min(s.start for s in slots)
        starts = [int((s.start - base).total_seconds()) for s in slots]
        ends = [int((s.end - base).total_seconds()) for s in slots]
    else:
        starts, ends = [], []
    bounds = sorted(set(starts) | set(ends))
    covered = [False] * max(len(bounds) - 1, 0)
    for a, b in zip(starts, ends):
        for j in range(bisect_left(bounds, a), bisect_left(bounds, b)):
            covered[j] = True
    point_of_piece: dict[int, int] = {}
    point_seconds: list[int] = []
    point_day: list[int] = []
    for j, used in enumerate(covered):
        if used:
            point_of_piece[j] = len(point_seconds)
            point_seconds.append(bounds[j + 1] - bounds[j])
            point_day.append(-1)
    days = sorted({s.day for s in slots})
    day_index = {d: k for k, d in enumerate(days)}
    slot_points = []
    for s, a, b in zip(slots, starts, ends):
        pts = tuple(point_of_piece[j] for j in range(bisect_left(bounds, a), bisect_left(bounds, b)))
        slot_points.append(pts)
        for t in pts:
            if point_day[t] < 0 or day_index[s.day] < point_day[t]:
                point_day[t] = day_index[s.day]

    slot_index = {s.id: k for k, s in enumerate(slots)}
    place_index = {p.id: k for k, p in enumerate(problem.places)}
    participant_index = {p.id: k for k, p in enumerate(problem.participants)}
    n_points = len(point_seconds)

    capacity = [[0] * n_points for _ in (PHYSICAL, VIRTUAL)]
    for place in problem.places:
        row = capacity[VIRTUAL if place.virtual else PHYSICAL]
        for t in range(n_points):
            row[t] += place.capacity

    available_slots: list[set[int]] = []
    max_load: list[int] = []
    for p in problem.participants:
        available_slots.append(set(range(len(slots))) if p.available is None else {slot_index[s] for s in p.available})
        max_load.append(NO_LIMIT if p.max_meetings is None else p.max_meetings)

    parts, pool, weight, locked_slot = [], [], [], []
    meetings_of: list[list[int]] = [[] for _ in problem.participants]
    locked_busy: list[set[int]] = [set() for _ in problem.participants]
    for m, meeting in enumerate(problem.meetings):
        members = tuple(participant_index[pid] for pid in meeting.participants)
        parts.append(members)
        pool.append(VIRTUAL if meeting.virtual else PHYSICAL)
        weight.append(meeting.priority)
        for p in members:
            meetings_of[p].append(m)
        if meeting.locked:
            s = slot_index[meeting.locked[0]]
            locked_slot.append(s)
            for t in slot_points[s]:
                capacity[pool[-1]][t] -= 1
            for p in members:
                locked_busy[p].update(slot_points[s])
                max_load[p] -= 1
        else:
            locked_slot.append(-1)

    candidates = []
    for m in range(len(parts)):
        if locked_slot[m] >= 0 or any(max_load[p] <= 0 for p in parts[m]):
            candidates.append(())
            continue
        members = parts[m]
        row = capacity[pool[m]]
        ok = []
        for s in range(len(slots)):
            pts = slot_points[s]
            if all(s in available_slots[p] for p in members) and all(row[t] > 0 for t in pts) and \
                    not any(t in locked_busy[p] for p in members for t in pts):
                ok.append(s)
        candidates.append(tuple(ok))

    day_lines: list[list[DayLine]] = []
    point_line: list[dict[int, tuple[int, int]]] = []
    for p in range(len(problem.participants)):
        pts = sorted({t for s in available_slots[p] for t in slot_points[s]})
        by_day: dict[int, list[int]] = {}
        for t in pts:
            by_day.setdefault(point_day[t], []).append(t)
        lines, where = [], {}
        for d in sorted(by_day):
            seq = by_day[d]
            clock, acc = [], 0
            for t in seq:
                clock.append(acc)
                acc += point_seconds[t]
            for k, t in enumerate(seq):
                where[t] = (len(lines), k)
            lines.append(DayLine(tuple(seq), tuple(clock), tuple(point_seconds[t] for t in seq)))
        day_lines.append(lines)
        point_line.append(where)

    by_slot: list[list[int]] = [[] for _ in slots]
    for m, options in enumerate(candidates):
        for s in options:
            by_slot[s].append(m)
    return Instance(problem, slot_points, starts, point_seconds, point_day, parts, pool, weight, locked_slot,
                    candidates, capacity, max_load, meetings_of, day_lines, point_line, by_slot)


@dataclass(frozen=True)
class Objective:
    """The lexicographic objective of a schedule: weight (max), then idle (min), then without (min)."""

    weight: int  # priority-weighted meetings scheduled
    meetings: int
    idle_seconds: int
    without_meeting: int  # participants with a meeting request and no meeting scheduled

    def key(self) -> tuple[int, int, int]:
        """Smaller is better."""
        return (-self.weight, self.idle_seconds, self.without_meeting)


def objective_of(instance: Instance, slot_of: list[int]) -> Objective:
    """``slot_of[m]``: the slot of meeting m, -1 when unscheduled (locked meetings at their slot)."""
    ins = instance
    busy: list[set[int]] = [set() for _ in range(ins.n_participants)]
    weight = meetings = 0
    has = [False] * ins.n_participants
    for m, s in enumerate(slot_of):
        if s < 0:
            continue
        weight += ins.weight[m]
        meetings += 1
        for p in ins.parts[m]:
            busy[p].update(ins.slot_points[s])
            has[p] = True
    idle = sum(ins.idle_of(p, busy[p]) for p in range(ins.n_participants) if has[p])
    without = sum(1 for p in range(ins.n_participants) if ins.meetings_of[p] and not has[p])
    return Objective(weight, meetings, idle, without)
