"""Augmenting ejection chains: add one meeting at a time, moving or replacing the ones in its way.

A chain starts from an unscheduled meeting m0. Putting a meeting into a slot meets at most one
meeting in its way (more and the slot is skipped), which is one of:

- *moved*: it goes to another of its slots, and is in turn a meeting to be placed;
- *replaced*: it is dropped, and an unscheduled meeting of one of its other participants comes into
  the same slot beside the newcomer (the alternating path of a matching in that slot);
- for a newcomer with a participant at its ``max_meetings``, only a meeting of that participant in
  the way can make room, and it is replaced.

A breadth-first search over meetings finds the shortest chain whose last meeting goes into a slot
with nothing in its way; a chain adds its first meeting and keeps the count of the others, so it
schedules one more meeting (with priorities, only chains that raise the weight are taken). The
search reads the current schedule and ignores the chain's own earlier steps, so a chain is carried
out step by step with every rule checked, and undone if a step fails.
"""

from __future__ import annotations

import time
from collections import deque

from .assignment import Assignment


def augment(state: Assignment, deadline: float) -> int:
    """Add meetings by ejection chains until a phase finds none or time runs out; returns how many.

    A phase searches from every unscheduled meeting in turn, sharing the visited marks across those
    searches (as Hopcroft-Karp does), which keeps a phase linear in the size of the event.
    """
    ins = state.ins
    added = 0
    while time.perf_counter() < deadline:
        found = 0
        visited = bytearray(ins.n_meetings)
        slot_seen: set[tuple[int, int]] = set()
        sources = sorted((m for m in ins.free if state.slot_of[m] < 0 and ins.candidates[m]),
                         key=lambda m: (-ins.weight[m], len(ins.candidates[m])))
        for m0 in sources:
            if visited[m0] or state.slot_of[m0] >= 0:
                continue
            if time.perf_counter() > deadline:
                break
            before = state.weight
            chain = _chain(state, m0, visited, slot_seen)
            done = state.apply(chain) if chain else None
            if done is not None:
                if state.weight > before:
                    found += 1
                else:
                    state.undo(done)
        added += found
        if not found:
            break
    return added


def _chain(state: Assignment, m0: int, visited: bytearray, slot_seen: set) -> list[tuple[int, int]] | None:
    """The moves of the shortest chain found that schedules ``m0``, or None."""
    ins = state.ins
    occ, slot_of, load, cap, at, count = state.occ, state.slot_of, state.load, ins.capacity, state.at, state.count
    slot_points, pool, parts, weight, max_load = ins.slot_points, ins.pool, ins.parts, ins.weight, ins.max_load
    locked_slot, candidates = ins.locked_slot, ins.candidates
    # parent[x] = (m, s, o): m goes into slot s, and x is the meeting in its way that moves (o = -1),
    # or x comes into s beside m once the meeting o in m's way is dropped
    parent: dict[int, tuple[int, int, int] | None] = {m0: None}
    gain = {m0: weight[m0]}
    visited[m0] = 1
    queue = deque([(m0, -1, -1)])  # (meeting, only this slot or -1, dropped meeting it relies on or -1)

    def enqueue(x: int, step: tuple[int, int, int], value: int, only: int, gone: int) -> None:
        visited[x] = 1
        parent[x] = step
        gain[x] = value
        queue.append((x, only, gone))

    while queue:
        m, only, gone = queue.popleft()
        cur = slot_of[m]
        own = slot_points[cur] if cur >= 0 else ()
        gone_parts = parts[gone] if gone >= 0 else ()
        gone_pts = slot_points[slot_of[gone]] if gone >= 0 else ()
        k = pool[m]
        members = parts[m]
        saturated = [u for u in members if count[u] - (u in gone_parts) >= max_load[u]] if cur < 0 else []
        if len(saturated) > 1:
            continue
        for s in (candidates[m] if only < 0 else (only,)):
            if s == cur:
                continue
            pts = slot_points[s]
            obstacle = -1
            blocked = False
            for p in members:
                row = occ[p]
                for t in pts:
                    o = row[t]
                    if o >= 0 and o != m and o != gone and o != obstacle:
                        if obstacle >= 0:
                            blocked = True
                            break
                        obstacle = o
                if blocked:
                    break
            if blocked or (obstacle >= 0 and locked_slot[obstacle] >= 0):
                continue
            same = gone >= 0 and pool[gone] == k
            full = [t for t in pts if load[k][t] - (t in own) - (same and t in gone_pts) >= cap[k][t]]
            if full and obstacle >= 0 and (pool[obstacle] != k or
                                           not all(t in slot_points[slot_of[obstacle]] for t in full)):
                continue
            if saturated:
                u = saturated[0]
                if obstacle >= 0:
                    if u in parts[obstacle]:  # dropping it frees both the slot and u's count
                        _replacements(state, m, s, obstacle, members, gain, visited, enqueue)
                    continue
                continue
            if not full and obstacle < 0:
                if gain[m] > 0:
                    return _unwind(parent, m, s)
                continue
            if obstacle < 0:  # a full slot: any meeting of this kind there may move out
                if (s, k) in slot_seen:
                    continue
                slot_seen.add((s, k))
                for o in at[k][full[0]]:
                    if o != m and o != gone and not visited[o] and all(t in slot_points[slot_of[o]] for t in full):
                        enqueue(o, (m, s, -1), gain[m], -1, -1)
                continue
            if not visited[obstacle]:
                enqueue(obstacle, (m, s, -1), gain[m], -1, -1)
            _replacements(state, m, s, obstacle, members, gain, visited, enqueue)
    return None


def _replacements(state: Assignment, m: int, s: int, o: int, members: tuple[int, ...], gain: dict,
                  visited: bytearray, enqueue) -> None:
    """o is dropped from slot s for m; an unscheduled meeting of o's other participants may join s."""
    ins = state.ins
    for q in ins.parts[o]:
        if q in members:
            continue
        for r in ins.meetings_of[q]:
            if visited[r] or state.slot_of[r] >= 0 or s not in ins.candidates[r]:
                continue
            enqueue(r, (m, s, o), gain[m] - ins.weight[o] + ins.weight[r], s, o)


def _unwind(parent: dict, last: int, slot: int) -> list[tuple[int, int]]:
    """The moves of a chain ending with ``last`` going into ``slot``, in the order to carry them out."""
    moves = []
    node, node_slot = last, slot
    while True:
        step = parent[node]
        if step is not None and step[2] >= 0:
            moves.append((step[2], -1))
        moves.append((node, node_slot))
        if step is None:
            return moves
        node, node_slot = step[0], step[1]
