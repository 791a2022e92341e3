"""Concrete places for scheduled meetings, once the solvers have fixed the slots.

The solvers only count meetings per kind of place and point in time against the kind's total
capacity. With disjoint slots that is exact: any meeting fits any place of its kind with room left,
so places are filled first-fit in the order of the event file (t1, t2, ...). Meetings that had a
place before (incremental rescheduling) keep it when it has room. With slots of different lengths
that overlap, meetings are placed in order of start time (optimal for intervals), but a locked
meeting starting later can block a place; a meeting that then finds no place is returned as unplaced.
"""

from __future__ import annotations

from .instance import VIRTUAL, Instance


def assign_places(instance: Instance, slot_of: list[int], preferred: dict[int, int] | None = None
                  ) -> tuple[dict[int, int], list[int]]:
    """Place index per scheduled meeting, and the meetings that found no place."""
    ins = instance
    places = ins.problem.places
    place_index = {p.id: k for k, p in enumerate(places)}
    used = [[0] * ins.n_points for _ in places]
    chosen: dict[int, int] = {}
    for m, s in enumerate(ins.locked_slot):
        if s >= 0:
            k = place_index[ins.problem.meetings[m].locked[1]]
            chosen[m] = k
            for t in ins.slot_points[s]:
                used[k][t] += 1

    def room(k: int, s: int) -> bool:
        return all(used[k][t] < places[k].capacity for t in ins.slot_points[s])

    def take(m: int, k: int) -> None:
        chosen[m] = k
        for t in ins.slot_points[slot_of[m]]:
            used[k][t] += 1

    todo = sorted((m for m, s in enumerate(slot_of) if s >= 0 and m not in chosen),
                  key=lambda m: (ins.slot_start[slot_of[m]], ins.slot_points[slot_of[m]][-1], m))
    rest = []
    for m in todo:
        k = (preferred or {}).get(m, -1)
        if k >= 0 and places[k].virtual == (ins.pool[m] == VIRTUAL) and room(k, slot_of[m]):
            take(m, k)
        else:
            rest.append(m)
    unplaced = []
    of_kind = [[k for k, place in enumerate(places) if place.virtual == virtual] for virtual in (False, True)]
    # places only fill up, so a place without room for a slot never has room for it again
    scan_from: dict[tuple[int, int], int] = {}
    for m in rest:
        s = slot_of[m]
        kinds = of_kind[ins.pool[m] == VIRTUAL]
        i = scan_from.get((s, ins.pool[m]), 0)
        while i < len(kinds) and not room(kinds[i], s):
            i += 1
        scan_from[s, ins.pool[m]] = i
        if i < len(kinds):
            take(m, kinds[i])
        else:
            unplaced.append(m)
    return chosen, unplaced
