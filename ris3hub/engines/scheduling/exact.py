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
3. minimise idle time: for each participant p and day, S <= clock(t) and E >= clock(t) + length(t)
   for every point t of its meetings (clock: p's available time of the day before t), and
   idle >= E - S - busy time;
4. minimise the participants with a meeting request and no meeting.

Each stage starts from the best schedule so far as a complete hint. The LP relaxation of stage 3 is
0 (fractional meetings spread everywhere), so CP-SAT proves idle time optimal only on small events.
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
        ins, model = self.ins, self.model
        # per participant and day line: the points of its possible and locked meetings
        uses: dict[tuple[int, int], list[tuple[int, int, object]]] = {}
        for (m, s), var in self.x.items():
            for p in ins.parts[m]:
                self._note(uses, p, s, var)
        for m, s in enumerate(ins.locked_slot):
            if s >= 0:
                for p in ins.parts[m]:
                    self._note(uses, p, s, 1)
        terms = []
        self.spans: list[tuple[int, int, object, object, object]] = []  # (p, day, first, last, idle)
        for (p, d), items in uses.items():
            line = ins.day_lines[p][d]
            if len({(a, b) for a, b, _ in items}) < 2:
                continue  # one possible position: never idle
            span = line.clock[-1] + line.seconds[-1]
            first = model.new_int_var(0, span, f"first_{p}_{d}")
            last = model.new_int_var(0, span, f"last_{p}_{d}")
            idle = model.new_int_var(0, span, f"idle_{p}_{d}")
            busy = []
            for a, b, lit in items:
                start, end = line.clock[a], line.clock[b] + line.seconds[b]
                if isinstance(lit, int):
                    model.add(first <= start)
                    model.add(last >= end)
                else:
                    model.add(first <= start).only_enforce_if(lit)
                    model.add(last >= end).only_enforce_if(lit)
                busy.append((end - start) * lit)
            model.add(idle >= last - first - sum(busy))
            terms.append(idle)
            self.spans.append((p, d, first, last, idle))
        return sum(terms)

    def _note(self, uses: dict, p: int, s: int, lit) -> None:
        where = self.ins.point_line[p]
        pts = self.ins.slot_points[s]
        d, a = where[pts[0]]
        _, b = where[pts[-1]]
        uses.setdefault((p, d), []).append((a, b, lit))

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
        for p, d, first, last, idle in self.spans:
            line = ins.day_lines[p][d]
            used = [k for k, t in enumerate(line.points) if t in busy[p]]
            if used:
                a, b = used[0], used[-1]
                start, end = line.clock[a], line.clock[b] + line.seconds[b]
                taken = sum(line.seconds[k] for k in used)
                model.add_hint(first, start)
                model.add_hint(last, end)
                model.add_hint(idle, end - start - taken)
            else:
                model.add_hint(first, 0)
                model.add_hint(last, 0)
                model.add_hint(idle, 0)
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
        share = left * (0.6 if name != todo[-1] else 1.0)
        if sense < 0:
            model.maximize(expr)
        else:
            model.minimize(expr)
        built.hint(current)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = share
        solver.parameters.num_workers = workers or default_workers()
        solver.parameters.random_seed = seed
        status = solver.solve(model)
        result.status[name] = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = built.read(solver)
            if _better(built, name, found, current, sense):
                current = found
            result.optimal[name] = status == cp_model.OPTIMAL
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
