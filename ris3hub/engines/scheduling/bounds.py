"""Upper bounds on the first objective: the priority-weighted number of scheduled meetings.

Every bound here is valid for every schedule that keeps the rules, so ``scheduled / bound`` is a
guaranteed lower estimate of how close a schedule is to optimal. Locked meetings count in full.

- ``schedulable``: the meetings that have at least one possible slot.
- ``capacity``: at any point in time, a kind of place (physical, virtual) holds at most its total
  capacity; each meeting occupies at least one point, so the sum over points bounds the meetings.
- ``participants``: at any point, the meetings running need at least two distinct participants each,
  so at most floor(free participants / 2) run at once (combined with the capacity per point); and
  each participant takes at most min(its meetings, its maximum, its available points) meetings,
  each meeting taking at least two of those places.
- ``lp``: the linear relaxation of the whole model (x[m, s] in [0, 1] for the possible slots of each
  meeting; per meeting, per participant and point, per participant maximum, per kind and point, plus
  the floor(participants / 2) cut per point), certified from PDLP's dual values; the floor of that,
  since priorities are integers.

A count bound N turns into a weight bound by adding the N largest priorities that could be scheduled.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.pdlp import solvers_pb2
from ortools.pdlp.python import pdlp
from scipy.sparse import csc_matrix

from .instance import NO_LIMIT, PHYSICAL, VIRTUAL, Instance


@dataclass(frozen=True)
class Bound:
    value: int
    method: str
    details: dict


def combinatorial_bound(instance: Instance) -> Bound:
    """The smallest of the ``schedulable``, ``capacity`` and ``participants`` bounds."""
    ins = instance
    locked = [m for m in range(ins.n_meetings) if ins.locked_slot[m] >= 0]
    locked_weight = sum(ins.weight[m] for m in locked)
    free = [m for m in ins.free if ins.candidates[m]]
    weights = sorted((ins.weight[m] for m in free), reverse=True)
    prefix = np.concatenate([[0], np.cumsum(weights, dtype=np.int64)])

    def weight_of(count: int) -> int:
        return int(prefix[max(0, min(count, len(weights)))])

    per_pool = {}
    for k in (PHYSICAL, VIRTUAL):
        pool_weights = sorted((ins.weight[m] for m in free if ins.pool[m] == k), reverse=True)
        cap = sum(max(c, 0) for c in ins.capacity[k])
        per_pool[k] = sum(pool_weights[:cap])
    capacity = per_pool[PHYSICAL] + per_pool[VIRTUAL]

    # participants free at each point (with a possible meeting there), by kind of meeting
    reach = [[set() for _ in range(ins.n_points)] for _ in (PHYSICAL, VIRTUAL)]
    for m in free:
        for s in ins.candidates[m]:
            for t in ins.slot_points[s]:
                reach[ins.pool[m]][t].update(ins.parts[m])
    per_point = 0
    for t in range(ins.n_points):
        both = len(reach[PHYSICAL][t] | reach[VIRTUAL][t]) // 2
        split = sum(min(max(ins.capacity[k][t], 0), len(reach[k][t]) // 2) for k in (PHYSICAL, VIRTUAL))
        per_point += min(both, split)
    load = 0
    for p in range(ins.n_participants):
        mine = [m for m in ins.meetings_of[p] if ins.candidates[m]]
        points = len({t for m in mine for s in ins.candidates[m] for t in ins.slot_points[s]})
        load += min(len(mine), ins.max_load[p], points)
    details = {
        "schedulable": locked_weight + weight_of(len(free)),
        "capacity": locked_weight + capacity,
        "participants_per_point": locked_weight + weight_of(per_point),
        "participant_loads": locked_weight + weight_of(load // 2),
    }
    name = min(details, key=details.get)
    return Bound(details[name], name, details)


def lp_bound(instance: Instance, time_limit: float = 10.0, threads: int = 1) -> Bound | None:
    """The linear relaxation's bound, certified from dual values (None when there is no time).

    The relaxation is solved approximately by PDLP (OR-Tools' first-order LP solver, fast on this
    large and degenerate LP where simplex and interior point stall). Its dual values are not trusted
    as such: for any duals y >= 0 of the rows Ax <= b, weak duality with 0 <= x <= 1 and
    sum_s x[m, s] <= 1 kept per meeting gives

        sum_m w_m x_m <= b.y + sum_m max(0, max_s (w_m - (A^T y)[m, s]))

    so the bound holds whatever the solver's accuracy; an accurate solve makes it the LP optimum.
    """
    ins = instance
    started = time.perf_counter()
    locked_weight = sum(ins.weight[m] for m in range(ins.n_meetings) if ins.locked_slot[m] >= 0)
    free = [m for m in ins.free if ins.candidates[m]]
    if not free:
        return Bound(locked_weight, "lp", {"lp": float(locked_weight)})
    if time_limit < 1e-5 * sum(len(ins.candidates[m]) for m in free):  # not even the time to build it
        return None
    cols_m = np.array([m for m in free for _ in ins.candidates[m]], dtype=np.int64)
    cols_s = np.array([s for m in free for s in ins.candidates[m]], dtype=np.int64)
    n = len(cols_m)
    n_points = ins.n_points
    # (column, participant, point) for every participant of a column's meeting and point of its slot
    uses = np.array([(j, p, t) for j, (m, s) in enumerate(zip(cols_m.tolist(), cols_s.tolist()))
                     for p in ins.parts[m] for t in ins.slot_points[s]], dtype=np.int64).reshape(-1, 3)
    spans = np.array([(j, t) for j, s in enumerate(cols_s.tolist()) for t in ins.slot_points[s]],
                     dtype=np.int64).reshape(-1, 2)
    pool = np.array(ins.pool, dtype=np.int64)
    capacity = np.array(ins.capacity, dtype=np.int64).reshape(2, n_points)
    max_load = np.array(ins.max_load, dtype=np.int64)
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (row keys per entry, columns, rhs per key)

    def add(keys: np.ndarray, columns: np.ndarray, limit_of_key, keep_if) -> None:
        """Rows grouping the entries by key, limited by limit_of_key(unique keys, counts)."""
        unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        limits = limit_of_key(unique, counts)
        wanted = keep_if(limits, counts)
        mapping = np.cumsum(wanted) - 1
        chosen = wanted[inverse]
        blocks.append((mapping[inverse[chosen]], columns[chosen], limits[wanted]))

    columns = np.arange(n)
    add(cols_m, columns, lambda u, c: np.ones(len(u)), lambda lim, c: c > 1)
    add(uses[:, 1] * n_points + uses[:, 2], uses[:, 0], lambda u, c: np.ones(len(u)), lambda lim, c: c > 1)
    participants_of_columns = uses[:, 1]
    columns_of_participants = uses[:, 0]
    per_participant = np.unique(np.stack([columns_of_participants, participants_of_columns]), axis=1)
    add(per_participant[1], per_participant[0], lambda u, c: max_load[u], lambda lim, c: lim < c)
    add(pool[cols_m[spans[:, 0]]] * n_points + spans[:, 1], spans[:, 0],
        lambda u, c: capacity[u // n_points, u % n_points], lambda lim, c: lim < c)
    reach = np.zeros(n_points, dtype=np.int64)
    pairs = np.unique(uses[:, 1] * n_points + uses[:, 2])
    np.add.at(reach, pairs % n_points, 1)
    add(spans[:, 1], spans[:, 0], lambda u, c: reach[u] // 2, lambda lim, c: np.ones(len(lim), dtype=bool))
    rows, cols, rhs = [], [], []
    offset = 0
    for row_keys, block_columns, limits in blocks:
        rows.append(row_keys + offset)
        cols.append(block_columns)
        rhs.append(limits.astype(float))
        offset += len(limits)
    matrix = csc_matrix((np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(offset, n))
    weights = np.array(ins.weight, dtype=float)[cols_m]
    b = np.concatenate(rhs)
    left = time_limit - (time.perf_counter() - started)
    if left <= 0.05:
        return None
    qp = pdlp.QuadraticProgram()
    qp.objective_vector = -weights
    qp.constraint_matrix = matrix
    qp.constraint_lower_bounds = np.full(len(b), -np.inf)
    qp.constraint_upper_bounds = b
    qp.variable_lower_bounds = np.zeros(n)
    qp.variable_upper_bounds = np.ones(n)
    params = solvers_pb2.PrimalDualHybridGradientParams()
    params.termination_criteria.time_sec_limit = left
    params.termination_criteria.simple_optimality_criteria.eps_optimal_relative = 1e-6
    params.num_threads = max(1, threads)
    result = pdlp.primal_dual_hybrid_gradient(qp, params)
    duals = np.asarray(result.dual_solution, dtype=float)
    value = certified_value(matrix, b, weights, cols_m, duals)
    return Bound(locked_weight + int(np.floor(value + 1e-6)), "lp", {"lp": locked_weight + value})


def certified_value(matrix, b: np.ndarray, weights: np.ndarray, meeting_of_column: np.ndarray,
                    duals: np.ndarray) -> float:
    """b.y + sum over meetings of the best positive reduced weight, for y = |duals| (valid for any y >= 0)."""
    y = np.abs(duals)
    reduced = weights - matrix.T @ y
    best = np.zeros(int(meeting_of_column.max()) + 1)
    np.maximum.at(best, meeting_of_column, reduced)
    return float(b @ y + best.sum())


def best_bound(instance: Instance, time_limit: float = 10.0, use_lp: bool = True) -> Bound:
    """The tightest of the combinatorial bounds and, when it finishes in time, the LP bound."""
    bound = combinatorial_bound(instance)
    if use_lp:
        lp = lp_bound(instance, time_limit)
        if lp is not None:
            details = {**bound.details, **lp.details}
            if lp.value < bound.value:
                return Bound(lp.value, "lp", details)
            return Bound(bound.value, bound.method, details)
    return bound
