"""Fast schedules for large events: greedy construction, then local search objective by objective.

1. Greedy: meetings in order of priority, then of how hard they are to place (participants asked for
   by many, few possible slots), each into the possible slot that keeps the places evenly used and
   its participants' days compact.
2. The first objective: augmenting ejection chains (chains.py) add meetings one at a time; when
   none is left, random moves that lose nothing (``shake``: a meeting to another free slot, or a
   meeting giving way to an unscheduled one of the same participant) change the landscape for the
   next round of chains, until the upper bound is met or nothing improves for a while.
3. Idle time: descent, then simulated annealing, over Kempe-chain swaps of two slots (a meeting
   moves to another slot, and the connected group of meetings sharing participants across the two
   slots changes slot with it), which keep every rule by construction and every meeting scheduled;
   then trades: a meeting out for an unscheduled one of no lower priority of the same participant,
   where that closes a gap (the weight cannot drop; fairness comes after idle time).
4. Fairness: a participant left with no meeting gets one in place of meetings of no higher priority
   whose participants keep one, when idle time does not grow.
"""

from __future__ import annotations

import math
import time

from .assignment import Assignment
from .chains import augment
from .instance import Instance


def greedy(instance: Instance, start: list[int] | None = None) -> Assignment:
    """A first schedule; ``start`` (slot per meeting, -1 for none) is kept where it still fits."""
    ins = instance
    state = Assignment(ins)
    if start is not None:
        for m, s in enumerate(start):
            if s >= 0 and ins.locked_slot[m] < 0 and s in ins.candidates[m] and state.fits(m, s):
                state.place(m, s)
                state.pinned.add(m)
    degree = [len(ms) for ms in ins.meetings_of]
    reach = [max(1, len({s for m in ins.meetings_of[p] for s in ins.candidates[m]})) for p in range(ins.n_participants)]
    pressure = [min(degree[p], ins.max_load[p]) / reach[p] for p in range(ins.n_participants)]
    order = sorted((m for m in ins.free if ins.candidates[m] and state.slot_of[m] < 0),
                   key=lambda m: (-ins.weight[m], -max(pressure[p] for p in ins.parts[m]), len(ins.candidates[m]), m))
    total_cap = [[max(c, 1) for c in row] for row in ins.capacity]
    for m in order:
        best, best_score = -1, None
        k = ins.pool[m]
        for s in ins.candidates[m]:
            if not state.fits(m, s):
                continue
            pts = ins.slot_points[s]
            used = max(state.load[k][t] / total_cap[k][t] for t in pts)
            near = 0
            for p in ins.parts[m]:
                row = state.occ[p]
                for t in (pts[0] - 1, pts[-1] + 1):
                    if 0 <= t < ins.n_points and row[t] >= 0:
                        near += 1
            score = (used - 0.25 * near, s)
            if best_score is None or score < best_score:
                best, best_score = s, score
        if best >= 0:
            state.place(m, best)
    return state


def shake(state: Assignment, rng, moves: int) -> int:
    """Random moves that lose no weight, for a new landscape: a scheduled meeting goes to another free
    slot, or gives way to an unscheduled meeting of one of its participants (of no lower priority)."""
    ins = state.ins
    scheduled = [m for m in ins.free if state.slot_of[m] >= 0]
    if not scheduled:
        return 0
    done = 0
    for _ in range(moves):
        m = rng.choice(scheduled)
        if state.slot_of[m] < 0 or m in state.pinned:
            continue
        if rng.random() < 0.5:
            options = [s for s in ins.candidates[m] if s != state.slot_of[m] and state.fits(m, s)]
            if options:
                state.remove(m)
                state.place(m, rng.choice(options))
                done += 1
            continue
        others = [r for r in ins.meetings_of[rng.choice(ins.parts[m])]
                  if state.slot_of[r] < 0 and ins.candidates[r] and ins.weight[r] >= ins.weight[m]]
        if not others:
            continue
        r = rng.choice(others)
        old = state.remove(m)
        options = [s for s in ins.candidates[r] if state.fits(r, s)]
        if options:
            state.place(r, rng.choice(options))
            scheduled.append(r)
            done += 1
        else:
            state.place(m, old)
    return done


def restore(state: Assignment, start: list[int]) -> int:
    """Move meetings of an earlier schedule back to their slot where they fit; returns how many."""
    back = 0
    for m, s in enumerate(start):
        if s >= 0 and state.slot_of[m] >= 0 and state.slot_of[m] != s and s in state.ins.candidates[m] \
                and state.fits(m, s):
            state.remove(m)
            state.place(m, s)
            state.pinned.add(m)
            back += 1
    return back


def raise_weight(state: Assignment, deadline: float, target: int, rng, patience: float = 1.0) -> None:
    """Augment, then alternate random moves (``shake``) and augmentation until the weight reaches
    ``target`` (an upper bound), the deadline passes, or nothing improved for ``patience`` of the
    time spent so far (at least three seconds)."""
    started = time.perf_counter()
    augment(state, deadline)
    moves = max(10, len(state.ins.free) // 50)
    last_gain = time.perf_counter()
    while state.weight < target and time.perf_counter() < deadline:
        before = state.weight
        shake(state, rng, moves)
        augment(state, deadline)
        now = time.perf_counter()
        if state.weight > before:
            last_gain = now
        elif now - last_gain > max(3.0, patience * (now - started)):
            break


def _descend(state: Assignment, deadline: float, step) -> int:
    """Run ``step(p, idle)`` (the gain it made for participant p, seconds) over the participants by
    decreasing idle time, again while any step gains and time remains; returns the total gain."""
    ins = state.ins
    idle = [state.idle_of(p) for p in range(ins.n_participants)]
    gained = 0
    improved = True
    while improved and time.perf_counter() < deadline:
        improved = False
        for p in sorted(range(ins.n_participants), key=lambda p: -idle[p]):
            if idle[p] == 0 or time.perf_counter() > deadline:
                break
            gain = step(p, idle)
            if gain > 0:
                gained += gain
                improved = True
    return gained


def reduce_idle(state: Assignment, deadline: float) -> int:
    """Move single meetings and swap Kempe chains of two slots while idle time drops; the gain (s)."""
    ins = state.ins

    def step(p: int, idle: list[int]) -> int:
        gained = 0
        for m in ins.meetings_of[p]:
            cur = state.slot_of[m]
            if cur < 0 or ins.locked_slot[m] >= 0 or m in state.pinned:
                continue
            for s in ins.candidates[m]:
                if s == cur:
                    continue
                group = _kempe(state, m, cur, s)
                if group is None:
                    continue
                gain = _try_swap(state, group, cur, s, idle)
                if gain > 0:
                    gained += gain
                    break
        return gained

    return _descend(state, deadline, step)


def _kempe(state: Assignment, m: int, a: int, b: int, limit: int = 12) -> list[int] | None:
    """The meetings that must swap between slots a and b for m to move from a to b (None: cannot)."""
    ins = state.ins
    group = [m]
    seen = {m}
    k = 0
    while k < len(group):
        x = group[k]
        k += 1
        here = state.slot_of[x]
        there = b if here == a else a
        if there not in ins.candidates[x]:
            return None
        for p in ins.parts[x]:
            for t in ins.slot_points[there]:
                y = state.occ[p][t]
                if y < 0 or y in seen:
                    continue
                if ins.locked_slot[y] >= 0 or state.slot_of[y] != there or y in state.pinned:
                    return None
                seen.add(y)
                group.append(y)
                if len(group) > limit:
                    return None
    return group


def _try_swap(state: Assignment, group: list[int], a: int, b: int, idle: list[int]) -> int:
    """Swap ``group`` between slots a and b if that lowers idle time; returns the gain (0: undone)."""
    ins = state.ins
    people = {p for x in group for p in ins.parts[x]}
    before = sum(idle[p] for p in people)
    moves = [(x, -1) for x in group] + [(x, b if state.slot_of[x] == a else a) for x in group]
    done = state.apply(moves)
    if done is None:
        return 0
    after = {p: state.idle_of(p) for p in people}
    gain = before - sum(after.values())
    if gain <= 0:
        state.undo(done)
        return 0
    for p, value in after.items():
        idle[p] = value
    return gain


def improve_idle(state: Assignment, deadline: float, rng) -> int:
    """Descent (a fifth of the time), annealing, then descent again from the best schedule found."""
    now = time.perf_counter()
    gain = reduce_idle(state, now + 0.2 * (deadline - now))
    now = time.perf_counter()
    seconds = sorted(state.ins.point_seconds)
    temperature = seconds[len(seconds) // 2] / 2 if seconds else 0.0
    gain += anneal_idle(state, now + 0.85 * (deadline - now), rng, temperature)
    gain += reduce_idle(state, deadline)
    swapped = exchange_idle(state, deadline)
    if swapped:
        gain += swapped + reduce_idle(state, deadline)
    return gain


def exchange_idle(state: Assignment, deadline: float) -> int:
    """Trade a scheduled meeting for an unscheduled one of no lower priority of the same participant,
    in a slot where it fits once the first is out, while idle time drops (the weight cannot); Kempe
    swaps keep the set of meetings, this changes it. Returns the gain (seconds)."""
    ins = state.ins

    def waiting(p: int) -> list[int]:
        return [r for r in ins.meetings_of[p] if state.slot_of[r] < 0 and ins.candidates[r]]

    def step(p: int, idle: list[int]) -> int:
        gained = 0
        options = waiting(p)
        for o in ins.meetings_of[p]:
            if state.slot_of[o] < 0 or ins.locked_slot[o] >= 0 or o in state.pinned:
                continue
            gain = _trade(state, o, [r for r in options if ins.weight[r] >= ins.weight[o]], idle)
            if gain > 0:
                gained += gain
                options = waiting(p)
        return gained

    return _descend(state, deadline, step)


def _trade(state: Assignment, o: int, options: list[int], idle: list[int]) -> int:
    """Unschedule o and schedule the first of ``options`` (in one of its slots) that lowers idle time."""
    ins = state.ins
    for r in options:
        people = set(ins.parts[o]) | set(ins.parts[r])
        before = sum(idle[q] for q in people)
        for s in ins.candidates[r]:
            done = state.apply([(o, -1), (r, s)])
            if done is None:
                continue
            after = {q: state.idle_of(q) for q in people}
            gain = before - sum(after.values())
            if gain > 0:
                for q, value in after.items():
                    idle[q] = value
                return gain
            state.undo(done)
    return 0


def anneal_idle(state: Assignment, deadline: float, rng, start_temperature: float) -> int:
    """Simulated annealing over Kempe swaps for idle time: a random meeting and slot, the swap kept
    when idle time does not grow, or grows by d seconds with probability exp(-d / temperature), the
    temperature cooling to 0 at the deadline (or after 300 steps a meeting); ends on the best
    schedule seen. Returns the gain."""
    ins = state.ins
    idle = [state.idle_of(p) for p in range(ins.n_participants)]
    movable = [m for m in ins.free if state.slot_of[m] >= 0 and len(ins.candidates[m]) > 1 and m not in state.pinned]
    if not movable:
        return 0
    began = time.perf_counter()
    total = best_total = sum(idle)
    start = total
    best = list(state.slot_of)
    steps = 0
    temperature = start_temperature
    limit = 300 * len(movable)  # enough to settle a small event long before its deadline
    while steps < limit and total > 0:
        steps += 1
        if steps % 200 == 0:
            now = time.perf_counter()
            if now >= deadline:
                break
            temperature = start_temperature * (deadline - now) / max(deadline - began, 1e-9)
        m = rng.choice(movable)
        a = state.slot_of[m]
        if a < 0:
            continue
        b = rng.choice(ins.candidates[m])
        if b == a:
            continue
        group = _kempe(state, m, a, b)
        if group is None:
            continue
        people = {p for x in group for p in ins.parts[x]}
        before = sum(idle[p] for p in people)
        done = state.apply([(x, -1) for x in group] + [(x, b if state.slot_of[x] == a else a) for x in group])
        if done is None:
            continue
        after = {p: state.idle_of(p) for p in people}
        delta = sum(after.values()) - before
        if delta <= 0 or (temperature > 0 and rng.random() < math.exp(-delta / temperature)):
            for p, value in after.items():
                idle[p] = value
            total += delta
            if total < best_total:
                best_total = total
                best = list(state.slot_of)
        else:
            state.undo(done)
    if total > best_total:
        _reset(state, best)
    return start - best_total


def _reset(state: Assignment, slot_of: list[int]) -> None:
    """Bring the schedule back to ``slot_of`` (the same meetings, other slots)."""
    ins = state.ins
    for m in ins.free:
        if state.slot_of[m] >= 0 and state.slot_of[m] != slot_of[m]:
            state.remove(m)
    for m in ins.free:
        if slot_of[m] >= 0 and state.slot_of[m] < 0:
            state.place(m, slot_of[m])


def reduce_without(state: Assignment, deadline: float) -> int:
    """Give participants left with no meeting one, in place of meetings whose participants keep one,
    losing no weight and adding no idle time; returns how many participants got a meeting."""
    ins = state.ins
    locked = [0] * ins.n_participants
    for m, s in enumerate(ins.locked_slot):
        if s >= 0:
            for p in ins.parts[m]:
                locked[p] += 1
    helped = 0
    for z in range(ins.n_participants):
        if time.perf_counter() > deadline:
            break
        if state.count[z] + locked[z] > 0:
            continue
        options = sorted((r for r in ins.meetings_of[z] if ins.candidates[r] and state.slot_of[r] < 0),
                         key=lambda r: -ins.weight[r])
        if any(_give(state, r, s, locked) for r in options for s in ins.candidates[r]):
            helped += 1
    return helped


def _give(state: Assignment, r: int, s: int, locked: list[int]) -> bool:
    """Put r into slot s, dropping what is in its way, if no rule or earlier objective suffers."""
    ins = state.ins
    pts = ins.slot_points[s]
    way = {state.occ[p][t] for p in ins.parts[r] for t in pts} - {-1}
    if any(ins.locked_slot[o] >= 0 or o in state.pinned for o in way):
        return False
    k = ins.pool[r]
    freed = [t for t in pts if any(ins.pool[o] == k and t in ins.slot_points[state.slot_of[o]] for o in way)]
    full = [t for t in pts if t not in freed and state.load[k][t] >= ins.capacity[k][t]]
    victims = [None]
    if full:
        victims = sorted((o for o in state.at[k][full[0]]
                          if o not in way and ins.locked_slot[o] < 0 and o not in state.pinned),
                         key=lambda o: ins.weight[o])[:8]
    for extra in victims:
        drop = way | ({extra} if extra is not None else set())
        if sum(ins.weight[o] for o in drop) > ins.weight[r]:
            continue
        losing: dict[int, int] = {}
        for o in drop:
            for p in ins.parts[o]:
                losing[p] = losing.get(p, 0) + 1
        if any(state.count[p] + locked[p] - n < 1 for p, n in losing.items() if p not in ins.parts[r]):
            continue
        people = set(losing) | set(ins.parts[r])
        before_weight = state.weight
        before = sum(state.idle_of(p) for p in people)
        done = state.apply([(o, -1) for o in drop] + [(r, s)])
        if done is None:
            continue
        if state.weight > before_weight or sum(state.idle_of(p) for p in people) <= before:
            return True
        state.undo(done)
    return False
