"""Exact lexicographic optimisation with OR-Tools CP-SAT.

One Boolean x[m, s] per free meeting m and possible slot s (places are pooled per kind, see
instance.py), and these rules:

- each meeting at most once: sum_s x[m, s] <= 1;
- each participant in at most one meeting at any point in time: for each participant p and point t,
  the x[m, s] with p in m and s covering t sum to at most 1 (locked meetings are already out of the
  possible slots);
- each participant at most its remaining ``max_meetings``;
- each kind of place at each point at most its remaining capacity.

The objectives are optimised one after the other, each stage keeping the optimum of the previous
ones as a constraint (or the best value found, when the stage runs out of time):

1. maximise sum_m priority_m * x_m;
2. (rescheduling) minimise the meetings of the earlier schedule not in their earlier slot;
3. minimise idle time. For each participant p and day, over the positions k of p's day line (its
   available points in time order) between the first and the last where p may be busy:
   busy[k] = the slot choices keeping p busy at k (a sum of at most one, locked meetings count 1),
   started[k] = busy somewhere at or before k, ahead[k] = busy somewhere at or after k (both
   Booleans defined exactly: started[k] >= busy[k], started[k] >= started[k-1],
   started[k] <= started[k-1] + busy[k], the same for ahead from the end), and a Boolean idle[k] >=
   started[k-1] + ahead[k+1] - 1 - busy[k]; idle time is sum_k length(k) * idle[k]. Unlike a
   first/last start-time pair with conditional bounds, every idle position is a literal, which CP-SAT
   propagates and its local search and LNS move directly (on a 200-participant event, 4,280 minutes
   of idle time instead of 4,700 in the same run);
4. minimise the participants with a meeting request and no meeting.

Each stage starts from the best schedule so far as a complete hint.

Idle time is proven optimal only on small events. Its LP relaxation is 0 in this model, in a
first/last-time model and in one choosing a span per participant: a fractional schedule spreads
each meeting evenly over its slots, so every participant looks evenly busy and never idle. Deciding
whether idle time 0 is possible contains the interval edge-colouring problem (NP-complete), so the
bound can only come from search. On the realistic events of benchmarks/scheduling.py, CP-SAT's
lower bound on idle time stays 0 for 60 s at 50 participants and 250 meetings as at 200 and 1,000,
while the best idle time found is far from 0: every table is full in every slot there, and the
participants' requests leave little choice.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .instance import NO_LIMIT, Instance, objective_of

STAGES = ("weight", "moves", "idle", "without_meeting")


@dataclass
class ExactResult:
    slot_of: list[int]
    optimal: dict[str, bool] = field(default_factory=dict)  # per stage: proven optimal
    weight_bound: int | None = None  # CP-SAT's proven bound on the first objective
    status: dict[str, str] = field(default_factory=dict)
    # per stage: CP-SAT's proven bound on it (model units, locked weight excluded), given the stages
    # before it at the values kept; and the seconds CP-SAT spent on it
    bounds: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


class ExactModel:
    """The CP-SAT model of an instance, with the objectives as linear expressions."""

    def __init__(self, instance: Instance, moves_from: list[int] | None = None):
        ins = self.ins = instance
        model = self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        per_meeting: dict[int, list] = {}
        per_part_point: dict[tuple[int, int], list] = {}
        per_part: dict[int, list] = {}
        per_pool_point: dict[tuple[int, int], list] = {}
        for m in ins.free:
            for s in ins.candidates[m]:
                var = model.new_bool_var(f"x_{m}_{s}")
                self.x[m, s] = var
                per_meeting.setdefault(m, []).append(var)
                for p in ins.parts[m]:
                    per_part.setdefault(p, []).append(var)
                    for t in ins.slot_points[s]:
                        per_part_point.setdefault((p, t), []).append(var)
                for t in ins.slot_points[s]:
                    per_pool_point.setdefault((ins.pool[m], t), []).append(var)
        for group in per_meeting.values():
            if len(group) > 1:
                model.add_at_most_one(group)
        for group in per_part_point.values():
            if len(group) > 1:
                model.add_at_most_one(group)
        for p, group in per_part.items():
            if ins.max_load[p] < NO_LIMIT and ins.max_load[p] < len(group):
                model.add(sum(group) <= ins.max_load[p])
        for (k, t), group in per_pool_point.items():
            if ins.capacity[k][t] < len(group):
                model.add(sum(group) <= ins.capacity[k][t])
        self.per_meeting = per_meeting
        self.per_part = per_part
        self.locked_weight = sum(ins.weight[m] for m in range(ins.n_meetings) if ins.locked_slot[m] >= 0)
        self.weight = sum(ins.weight[m] * var for (m, _), var in self.x.items())
        self.previous = moves_from
        self.moves = self._moves(moves_from) if moves_from is not None else None
        self.idle = self._idle()
        self.without = self._without()

    def _moves(self, previous: list[int]) -> cp_model.LinearExpr:
        """Meetings of a previous schedule not kept in their slot (for incremental rescheduling)."""
        kept = [self.x[m, s] for m, s in enumerate(previous) if s >= 0 and (m, s) in self.x]
        return len(kept) - sum(kept)

    def _idle(self) -> cp_model.LinearExpr:
        """Idle time with Booleans per position of a participant's day line (see the module docstring)."""
        ins, model = self.ins, self.model
        # busy[p, d][k]: the slot choices (and locked meetings, as 1) that keep p busy at position k
        busy: dict[tuple[int, int], dict[int, list]] = {}
        for (m, s), var in self.x.items():
            for p in ins.parts[m]:
                self._note(busy, p, s, var)
        for m, s in enumerate(ins.locked_slot):
            if s >= 0:
                for p in ins.parts[m]:
                    self._note(busy, p, s, 1)
        terms = []
        self.lines: list[tuple[int, int, int, list, list, list]] = []  # (p, day, first position, a, z, idle)
        for (p, d), at in busy.items():
            if len(at) < 2:
                continue  # one possible position: never idle
            line = ins.day_lines[p][d]
            lo, hi = min(at), max(at)
            expr = [sum(at[k]) if k in at else 0 for k in range(lo, hi + 1)]
            size = hi - lo + 1
            started = [model.new_bool_var(f"started_{p}_{d}_{k}") for k in range(size)]
            ahead = [model.new_bool_var(f"ahead_{p}_{d}_{k}") for k in range(size)]
            for k in range(size):
                before = started[k - 1] if k else 0
                after = ahead[k + 1] if k + 1 < size else 0
                model.add(started[k] >= expr[k])
                model.add(started[k] >= before)
                model.add(started[k] <= before + expr[k])
                model.add(ahead[k] >= expr[k])
                model.add(ahead[k] >= after)
                model.add(ahead[k] <= after + expr[k])
            idle = []
            for k in range(1, size - 1):
                if isinstance(expr[k], int) and expr[k] == 1:
                    idle.append(None)
                    continue
                var = model.new_bool_var(f"idle_{p}_{d}_{lo + k}")
                model.add(var >= started[k - 1] + ahead[k + 1] - 1 - expr[k])
                terms.append(line.seconds[lo + k] * var)
                idle.append(var)
            self.lines.append((p, d, lo, started, ahead, idle))
        return sum(terms)

    def _note(self, busy: dict, p: int, s: int, lit) -> None:
        """lit keeps p busy at the positions of slot s in p's day line."""
        where = self.ins.point_line[p]
        for t in self.ins.slot_points[s]:
            d, k = where[t]
            busy.setdefault((p, d), {}).setdefault(k, []).append(lit)

    def _without(self) -> cp_model.LinearExpr:
        ins, model = self.ins, self.model
        locked_in = {p for m, s in enumerate(ins.locked_slot) if s >= 0 for p in ins.parts[m]}
        terms = []
        self.has: list[tuple[int, object]] = []
        for p in range(ins.n_participants):
            if not ins.meetings_of[p] or p in locked_in:
                continue
            group = self.per_part.get(p, [])
            if not group:
                terms.append(1)
                continue
            has = model.new_bool_var(f"has_{p}")
            model.add(has <= sum(group))
            terms.append(1 - has)
            self.has.append((p, has))
        return sum(terms)

    def hint(self, slot_of: list[int]) -> None:
        """Hint every variable from a schedule, so that CP-SAT starts from a complete solution."""
        ins, model = self.ins, self.model
        model.clear_hints()
        for (m, s), var in self.x.items():
            model.add_hint(var, slot_of[m] == s)
        busy: list[set[int]] = [set() for _ in range(ins.n_participants)]
        for m, s in enumerate(slot_of):
            if s >= 0:
                for p in ins.parts[m]:
                    busy[p].update(ins.slot_points[s])
        for p, d, lo, started, ahead, idle in self.lines:
            line = ins.day_lines[p][d]
            used = [k - lo for k, t in enumerate(line.points) if t in busy[p]]
            first, last = (used[0], used[-1]) if used else (len(started), -1)
            for k in range(len(started)):
                model.add_hint(started[k], k >= first)
                model.add_hint(ahead[k], k <= last)
            for k, var in enumerate(idle, start=1):
                if var is not None:
                    model.add_hint(var, first < k < last and k + lo < len(line.points)
                                   and line.points[k + lo] not in busy[p])
        for p, has in self.has:
            model.add_hint(has, bool(busy[p]))

    def read(self, solver: cp_model.CpSolver) -> list[int]:
        slot_of = list(self.ins.locked_slot)
        for (m, s), var in self.x.items():
            if solver.boolean_value(var):
                slot_of[m] = s
        return slot_of


def solve_exact(instance: Instance, start: list[int], deadline: float, *, optimise: tuple[str, ...] = STAGES,
                previous: list[int] | None = None, workers: int | None = None, seed: int = 0) -> ExactResult:
    """Run the stages named in ``optimise`` until each is optimal or ``deadline`` (perf_counter) passes.

    ``start``: a feasible schedule (slot per meeting). The stages not optimised keep the value they
    have in ``start`` as a constraint. With ``previous`` (a slot per meeting of an earlier schedule),
    a "moves" stage after the first minimises the meetings of that schedule that move.
    """
    built = ExactModel(instance, moves_from=previous)
    model = built.model
    result = ExactResult(list(start))
    stages = [("weight", -1, built.weight)]
    if built.moves is not None:
        stages.append(("moves", 1, built.moves))
    stages += [("idle", 1, built.idle), ("without_meeting", 1, built.without)]
    todo = [name for name, _, _ in stages if name in optimise]
    current = list(start)
    for name, sense, expr in stages:
        left = deadline - time.perf_counter()
        if name not in todo or left <= 0.05:
            _keep(model, expr, sense, _value(built, name, current))
            result.status[name] = "kept" if name not in todo else "no time"
            continue
        # the stages after idle time are quick (fairness) or come first (weight, moves)
        share = left * (1.0 if name == todo[-1] else 0.85 if name == "idle" else 0.6)
        if sense < 0:
            model.maximize(expr)
        else:
            model.minimize(expr)
        built.hint(current)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = share
        solver.parameters.num_workers = workers or default_workers()
        solver.parameters.random_seed = seed
        if name != "weight":
            # every stage presolves the whole model again; probing is most of that (3 of 5 s at 200
            # participants and 1,000 meetings, 1.3 s without), and after the first stage its
            # deductions do not bring the bounds that are missing (see the module docstring)
            solver.parameters.cp_model_probing_level = 0
        status = solver.solve(model)
        result.status[name] = solver.status_name(status)
        result.seconds[name] = solver.wall_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = built.read(solver)
            if _better(built, name, found, current, sense):
                current = found
            result.optimal[name] = status == cp_model.OPTIMAL
            result.bounds[name] = int(round(solver.best_objective_bound))
            if name == "weight":
                result.weight_bound = built.locked_weight + int(round(solver.best_objective_bound))
        _keep(model, expr, sense, _value(built, name, current))
    result.slot_of = current
    return result


def _value(built: ExactModel, name: str, slot_of: list[int]) -> int:
    """The objective ``name`` of a schedule, as the model counts it (locked weight excluded)."""
    if name == "moves":
        return sum(1 for m, s in enumerate(built.previous)
                   if s >= 0 and built.ins.locked_slot[m] < 0 and (m, s) in built.x and slot_of[m] != s)
    value = objective_of(built.ins, slot_of)
    return {"weight": value.weight - built.locked_weight, "idle": value.idle_seconds,
            "without_meeting": value.without_meeting}[name]


def _better(built: ExactModel, name: str, found: list[int], current: list[int], sense: int) -> bool:
    a, b = _value(built, name, found), _value(built, name, current)
    return a > b if sense < 0 else a < b


def _keep(model: cp_model.CpModel, expr, sense: int, value: int) -> None:
    if sense < 0:
        model.add(expr >= value)
    else:
        model.add(expr <= value)
