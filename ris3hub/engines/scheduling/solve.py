"""The entry point: schedule an event within a time limit, and say how good the schedule is.

1. Bounds (bounds.py): the counting bounds, then the LP relaxation certified from PDLP's duals
   (at most a fifth of the time).
2. The first objective: the heuristic (heuristic.py, chains.py) until the weight meets the bound,
   stops improving, or half the remaining time is spent. Meeting the bound proves it optimal. If it
   does not and the event is small (``EXACT_LIMIT`` slot choices), CP-SAT tries to raise it or
   prove it (exact.py) from the heuristic's schedule.
3. Idle time: descent and annealing over Kempe swaps; then fairness moves.
4. Small events: CP-SAT stages prove or improve the later objectives (moves of an earlier
   schedule, idle time, fairness) with the weight fixed.
5. Places (places.py), and the independent check (verify.py) before the document is returned.

``proven`` says, per objective, whether optimality is proven: the weight when it meets an upper
bound (CP-SAT's bound included); the later objectives (moves of an earlier schedule, idle time,
fairness) when every objective before them is proven and CP-SAT proves them or they are 0.
``proven_optimal`` is true only when all are. ``idle_bound``: CP-SAT's lower bound on idle time
when the objectives before it are proven (0 otherwise, always valid), so that the idle gap is said.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from .bounds import Bound, combinatorial_bound, lp_bound
from .exact import default_workers, solve_exact
from .heuristic import greedy, improve_idle, raise_weight, reduce_without, restore
from .assignment import Assignment
from .instance import Objective, build_instance, objective_of
from .incremental import keep_confirmed, previous_assignments
from .model import Problem, parse_problem
from .places import assign_places
from .verify import ScheduleCheckError, check_schedule

# slot choices (meeting x possible slot) up to which CP-SAT stages run by default (an event of 200
# participants and 1,000 meetings over 16 slots has 11,000 to 16,000; its model takes 0.5 s to build):
# there CP-SAT's large-neighbourhood search lowers idle time well below the heuristic's (4,300
# against 5,100 minutes in 60 s on the benchmark's 200/1,000 event). Beyond, building the model and
# a few LNS rounds cost more than they bring, so the time goes to the heuristic
EXACT_LIMIT = 20_000
DEFAULT_TIME_LIMIT = 20.0


@dataclass
class Schedule:
    problem: Problem
    assignments: list[tuple[str, str, str]]  # (meeting, slot, place)
    unscheduled: list[str]
    objective: Objective
    bound: Bound
    proven: dict[str, bool]
    method: str
    seconds: float
    moved: list[str] | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    idle_bound: int = 0  # a proven lower bound on idle seconds, given the objectives before it

    @property
    def proven_optimal(self) -> bool:
        return all(self.proven.values())

    @property
    def gap(self) -> float:
        """(upper bound - weight) / upper bound: 0 when the weight is proven optimal."""
        if self.bound.value <= 0:
            return 0.0
        return (self.bound.value - self.objective.weight) / self.bound.value

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "assignments": [{"meeting": m, "slot": s, "place": p} for m, s, p in self.assignments],
            "unscheduled": list(self.unscheduled),
            "upper_bound": self.bound.value,
            "gap": self.gap,
            "objective": {
                "weight": self.objective.weight,
                "meetings": self.objective.meetings,
                "idle_minutes": _minutes(self.objective.idle_seconds),
                "participants_without_meeting": self.objective.without_meeting,
            },
            "idle_lower_bound_minutes": _minutes(self.idle_bound),
            "proven_optimal": self.proven_optimal,
            "proven": dict(self.proven),
            "bound_method": self.bound.method,
            "bounds": self.bound.details,
            "method": self.method,
            "seconds": self.seconds,
            "stats": self.stats,
        }
        if self.moved is not None:
            out["moved"] = list(self.moved)
        return out


def _share(deadline: float, fraction: float) -> float:
    """A deadline ``fraction`` of the way from now to ``deadline``."""
    now = time.perf_counter()
    return now + fraction * max(deadline - now, 0.0)


def _minutes(seconds: int) -> int | float:
    return seconds // 60 if seconds % 60 == 0 else seconds / 60


def solve(document: Any, time_limit: float = DEFAULT_TIME_LIMIT, *, previous: Any = None, freeze: bool = False,
          **options) -> dict[str, Any]:
    """Schedule an event document (docs/scheduling.md) and return the schedule document.

    ``previous``: an earlier schedule document for incremental rescheduling: confirmed meetings (all
    of its meetings with ``freeze``) keep their slot and place, the others move as little as
    possible (incremental.py). ``options`` go to ``solve_problem``. Raises ProblemError for invalid
    input (nothing is scheduled) and ScheduleCheckError if the result fails the independent check.
    """
    began = time.perf_counter()
    problem = parse_problem(document)
    movable = None
    if previous is not None:
        problem, movable = keep_confirmed(problem, previous_assignments(problem, previous), freeze)
    # the independent check takes about 30 microseconds a meeting; keep that out of the search's time
    left = time_limit - (time.perf_counter() - began) - 3e-5 * len(problem.meetings)
    schedule = solve_problem(problem, max(left, 0.05), previous=movable or None, **options)
    out = schedule.as_dict()
    if previous is not None:
        before = previous_assignments(problem, previous)
        now = {m: (s, p) for m, s, p in schedule.assignments}
        out["moved"] = sorted(mid for mid, where in before.items() if now.get(mid) != where)
    violations = check_schedule(problem, out)
    if violations:
        raise ScheduleCheckError(violations)
    out["seconds"] = time.perf_counter() - began
    return out


def solve_problem(problem: Problem, time_limit: float = DEFAULT_TIME_LIMIT, *, method: str = "auto", seed: int = 0,
                  workers: int | None = None, previous: dict[str, tuple[str, str]] | None = None) -> Schedule:
    """Schedule ``problem`` within ``time_limit`` seconds (wall clock, all included).

    ``method``: "auto" (CP-SAT stages when the event is small enough), "exact" (CP-SAT stages
    whatever the size) or "heuristic" (no CP-SAT).
    ``previous``: meeting id -> (slot id, place id) of an earlier schedule (incremental.py): its
    meetings stay where they still fit; after the first objective, as few of them as possible move
    (proven with CP-SAT; the heuristic moves them only to add meetings, and moves back the ones it
    can); they keep their place when it has room.
    """
    if method not in ("auto", "exact", "heuristic"):
        raise ValueError(f"unknown method {method!r}")
    began = time.perf_counter()
    ins = build_instance(problem)
    # placing the meetings and counting the objective at the end take about 20 microseconds a meeting
    deadline = began + max(time_limit - 2e-5 * ins.n_meetings, 0.05)
    rng = random.Random(seed)
    slot_index = {s.id: k for k, s in enumerate(problem.slots)}
    meeting_index = {m.id: k for k, m in enumerate(problem.meetings)}
    start_slots = None
    if previous:
        start_slots = [-1] * ins.n_meetings
        for mid, (sid, _) in previous.items():
            if mid in meeting_index and sid in slot_index:
                start_slots[meeting_index[mid]] = slot_index[sid]
    size = sum(len(c) for c in ins.candidates)
    use_cp_sat = method == "exact" or (method == "auto" and size <= EXACT_LIMIT)

    bound = combinatorial_bound(ins)
    lp = lp_bound(ins, time_limit=min(0.2 * time_limit, deadline - time.perf_counter()))
    if lp is not None and lp.value < bound.value:
        bound = Bound(lp.value, "lp", {**bound.details, **lp.details})
    elif lp is not None:
        bound = Bound(bound.value, bound.method, {**bound.details, **lp.details})
    stats: dict[str, Any] = {"bound_seconds": time.perf_counter() - began}
    workers = workers or default_workers()

    state = greedy(ins, start_slots)
    stats["greedy_weight"] = state.weight
    raise_weight(state, _share(deadline, 0.55), bound.value, rng)
    if start_slots is not None:
        restore(state, start_slots)
    stats["heuristic_weight"] = state.weight
    stats["heuristic_seconds"] = time.perf_counter() - began
    optimal: dict[str, bool] = {}
    cp_status: dict[str, str] = {}
    cp_seconds: dict[str, float] = {}
    cp_bounds: dict[str, int] = {}
    if use_cp_sat and state.weight < bound.value and deadline - time.perf_counter() > 0.2:
        result = solve_exact(ins, state.slot_of, _share(deadline, 0.5), optimise=("weight",), previous=start_slots,
                             workers=workers, seed=seed)
        cp_status["weight"] = result.status["weight"]
        cp_seconds.update(result.seconds)
        if result.weight_bound is not None and result.weight_bound < bound.value:
            bound = Bound(result.weight_bound, "cp-sat", {**bound.details, "cp-sat": result.weight_bound})
        if objective_of(ins, result.slot_of).weight > state.weight:
            state = Assignment.of(ins, result.slot_of, start_slots)
    improve_idle(state, _share(deadline, 0.5 if use_cp_sat else 0.95), rng)
    reduce_without(state, deadline)
    slot_of = list(state.slot_of)
    levels = ["weight", *(["moves"] if start_slots is not None else []), "idle", "without_meeting"]
    if use_cp_sat and deadline - time.perf_counter() > 0.2:
        # CP-SAT stops up to a few tenths of a second after its limit on a loaded machine
        result = solve_exact(ins, slot_of, deadline - min(0.5, 0.02 * time_limit), optimise=tuple(levels[1:]), previous=start_slots,
                             workers=workers, seed=seed)
        slot_of = result.slot_of
        optimal.update(result.optimal)
        cp_status.update({k: v for k, v in result.status.items() if k != "weight"})
        cp_seconds.update(result.seconds)
        cp_bounds.update(result.bounds)
    if cp_status:
        stats["cp_sat"] = cp_status
        stats["cp_sat_seconds"] = cp_seconds
    value = objective_of(ins, slot_of)
    moves = None if start_slots is None else \
        sum(1 for m, s in enumerate(start_slots) if s >= 0 and ins.locked_slot[m] < 0 and slot_of[m] != s)
    reached = {"weight": value.weight >= bound.value, "moves": moves == 0, "idle": value.idle_seconds == 0,
               "without_meeting": value.without_meeting == 0}
    # a level is proven when every level before it is, and CP-SAT proved it or it meets its bound
    proven: dict[str, bool] = {}
    for level in levels:
        earlier = all(proven.values())
        proven[level] = earlier and (reached[level] or (level != "weight" and optimal.get(level, False)))
    # CP-SAT's bound on idle time holds for the lexicographic optimum only when the levels before are proven
    idle_floor = value.idle_seconds if proven["idle"] else \
        max(cp_bounds.get("idle", 0), 0) if all(proven[level] for level in levels[:levels.index("idle")]) else 0

    place_of_meeting = {}
    if previous:
        place_index = {p.id: k for k, p in enumerate(problem.places)}
        place_of_meeting = {meeting_index[mid]: place_index[pid] for mid, (_, pid) in previous.items()
                            if mid in meeting_index and pid in place_index}
    chosen, unplaced = assign_places(ins, slot_of, place_of_meeting)
    if unplaced:
        for m in unplaced:
            slot_of[m] = -1
        value = objective_of(ins, slot_of)
        proven = {level: False for level in levels}
        idle_floor = 0
        stats["unplaced"] = len(unplaced)
    assignments = sorted(((problem.meetings[m].id, problem.slots[s].id, problem.places[chosen[m]].id)
                          for m, s in enumerate(slot_of) if s >= 0),
                         key=lambda a: (slot_index[a[1]], a[2], a[0]))
    unscheduled = [problem.meetings[m].id for m, s in enumerate(slot_of) if s < 0]
    moved = None
    if previous:
        now = {m: (s, p) for m, s, p in assignments}
        moved = sorted(mid for mid, where in previous.items() if mid in meeting_index and now.get(mid) != tuple(where))
    return Schedule(problem, assignments, unscheduled, value, bound, proven,
                    "heuristic+cp-sat" if cp_status else "heuristic",
                    time.perf_counter() - began, moved, stats, idle_floor)

