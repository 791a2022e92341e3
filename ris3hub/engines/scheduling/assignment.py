"""A schedule under construction, with the counts that make every move check O(participants)."""

from __future__ import annotations

from .instance import Instance


class Assignment:
    """A schedule under construction: slot per meeting, participants' occupation, loads per point."""

    def __init__(self, instance: Instance):
        ins = self.ins = instance
        n_points = ins.n_points
        self.slot_of = list(ins.locked_slot)
        self.occ = [[-1] * n_points for _ in range(ins.n_participants)]
        self.load = [[0] * n_points for _ in ins.capacity]
        self.at = [[set() for _ in range(n_points)] for _ in ins.capacity]  # meetings per pool and point
        self.count = [0] * ins.n_participants
        self.weight = 0
        self.pinned: set[int] = set()  # meetings at their slot of an earlier schedule: moved only to add one
        for m, s in enumerate(ins.locked_slot):
            if s >= 0:
                self.weight += ins.weight[m]
                for p in ins.parts[m]:
                    for t in ins.slot_points[s]:
                        self.occ[p][t] = m

    @classmethod
    def of(cls, instance: Instance, slot_of: list[int], start: list[int] | None = None) -> Assignment:
        """The assignment of a valid schedule; meetings where ``start`` had them are pinned."""
        state = cls(instance)
        for m in instance.free:
            if slot_of[m] >= 0:
                state.place(m, slot_of[m])
                if start is not None and start[m] == slot_of[m]:
                    state.pinned.add(m)
        return state

    # moves -----------------------------------------------------------------------------------
    def fits(self, m: int, s: int) -> bool:
        """Can free meeting m go to slot s, given everything else (m itself excluded)?"""
        ins = self.ins
        pts = ins.slot_points[s]
        k = ins.pool[m]
        load, cap = self.load[k], ins.capacity[k]
        cur = self.slot_of[m]
        own = ins.slot_points[cur] if cur >= 0 else ()
        for t in pts:
            if load[t] - (t in own) >= cap[t]:
                return False
        occ = self.occ
        for p in ins.parts[m]:
            row = occ[p]
            for t in pts:
                o = row[t]
                if o >= 0 and o != m:
                    return False
            if cur < 0 and self.count[p] >= ins.max_load[p]:
                return False
        return True

    def place(self, m: int, s: int) -> None:
        ins = self.ins
        pts = ins.slot_points[s]
        k = ins.pool[m]
        self.slot_of[m] = s
        for t in pts:
            self.load[k][t] += 1
            self.at[k][t].add(m)
        for p in ins.parts[m]:
            row = self.occ[p]
            for t in pts:
                row[t] = m
            self.count[p] += 1
        self.weight += ins.weight[m]

    def remove(self, m: int) -> int:
        ins = self.ins
        s = self.slot_of[m]
        pts = ins.slot_points[s]
        k = ins.pool[m]
        self.slot_of[m] = -1
        for t in pts:
            self.load[k][t] -= 1
            self.at[k][t].discard(m)
        for p in ins.parts[m]:
            row = self.occ[p]
            for t in pts:
                row[t] = -1
            self.count[p] -= 1
        self.weight -= ins.weight[m]
        return s

    def apply(self, moves: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
        """Carry out (meeting, new slot) moves in order (-1: unschedule), checking every rule.

        All or nothing: returns the log to give to ``undo``, or None (and nothing changed) when a
        move breaks a rule.
        """
        done: list[tuple[int, int]] = []
        for m, s in moves:
            old = self.slot_of[m]
            if old >= 0:
                self.remove(m)
            done.append((m, old))
            if s >= 0:
                if not self.fits(m, s):
                    self.undo(done)
                    return None
                self.place(m, s)
        return done

    def undo(self, done: list[tuple[int, int]]) -> None:
        for m, old in reversed(done):
            if self.slot_of[m] >= 0:
                self.remove(m)
            if old >= 0:
                self.place(m, old)

    # idle ---------------------------------------------------------------------------------------
    def idle_of(self, p: int) -> int:
        """Idle seconds of participant p (see instance.py)."""
        row = self.occ[p]
        total = 0
        for line in self.ins.day_lines[p]:
            first = last = -1
            used = 0
            seconds = line.seconds
            for k, t in enumerate(line.points):
                if row[t] >= 0:
                    if first < 0:
                        first = k
                    last = k
                    used += seconds[k]
            if first >= 0:
                total += line.clock[last] + seconds[last] - line.clock[first] - used
        return total


