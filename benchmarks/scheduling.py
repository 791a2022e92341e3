"""Brokerage-event scheduling: ris3hub against a greedy first-fit baseline, on the same random events.

    .venv/bin/python benchmarks/scheduling.py                 # every size, once
    .venv/bin/python benchmarks/scheduling.py --repeat 2      # measure twice (the machine is shared)
    .venv/bin/python benchmarks/scheduling.py --sizes 200x1000x16x40 --time-limit 60 --seeds 3

Events come from ris3hub.engines.scheduling.generate.random_event: skewed (log-normal) popularity,
partial availability (morning, afternoon or a window), 30% of participants with a maximum, 10%
virtual meetings with virtual rooms, 2% three-person meetings, 16 slots of 20 minutes.

The baseline is what a spreadsheet or a naive tool does: meetings in the order they were accepted,
each into the first slot where its participants are free and available and a place of its kind is
free. Both schedules are checked with the independent checker (verify.py); the upper bound is the
one ris3hub reports (the LP relaxation, certified from its duals, or a counting bound when smaller).
Timings are wall-clock seconds on a shared machine: noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ris3hub.engines.scheduling.generate import random_event  # noqa: E402
from ris3hub.engines.scheduling.model import Problem, parse_problem  # noqa: E402
from ris3hub.engines.scheduling.solve import solve  # noqa: E402
from ris3hub.engines.scheduling.verify import check_schedule, objective_values  # noqa: E402

SIZES = ["200x1000x16x40", "500x2500x16x100", "1000x5000x16x200", "2000x10000x16x400", "2000x10000x16x1000"]


def first_fit(problem: Problem) -> dict:
    """Each meeting in order into the first slot and place that are free (the baseline)."""
    busy: dict[str, list] = defaultdict(list)
    used: dict[str, list] = defaultdict(list)
    count: dict[str, int] = defaultdict(int)
    assignments, unscheduled = [], []
    for meeting in problem.meetings:
        if meeting.locked:
            slot, place = problem.slot(meeting.locked[0]), problem.place(meeting.locked[1])
        else:
            slot = place = None
            for candidate in problem.slots:
                people = [problem.participant(p) for p in meeting.participants]
                if any(not p.is_available(candidate.id) or (p.max_meetings is not None and count[p.id] >= p.max_meetings)
                       or any(candidate.overlaps(s) for s in busy[p.id]) for p in people):
                    continue
                place = next((pl for pl in problem.places if pl.virtual == meeting.virtual and
                              sum(1 for s in used[pl.id] if s.overlaps(candidate)) < pl.capacity), None)
                if place is not None:
                    slot = candidate
                    break
        if slot is None:
            unscheduled.append(meeting.id)
            continue
        assignments.append({"meeting": meeting.id, "slot": slot.id, "place": place.id})
        used[place.id].append(slot)
        for p in meeting.participants:
            busy[p].append(slot)
            count[p] += 1
    return {"assignments": assignments, "unscheduled": unscheduled}


def run(size: str, time_limit: float, seed: int) -> list[dict]:
    participants, meetings, slots, tables = (int(x) for x in size.split("x"))
    document = random_event(participants, meetings, slots, tables, seed=seed)
    problem = parse_problem(document)
    started = time.perf_counter()
    baseline = first_fit(problem)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours = solve(document, time_limit)
    ours_seconds = time.perf_counter() - started
    rows = []
    for name, schedule, seconds in (("first-fit", baseline, baseline_seconds), ("ris3hub", ours, ours_seconds)):
        problems = check_schedule(problem, schedule)
        if problems:
            raise SystemExit(f"{name} broke a rule on {size}: {problems[:3]}")
        placed = {a["meeting"]: problem.slot(a["slot"]) for a in schedule["assignments"]}
        value = objective_values(problem, placed)
        rows.append({"size": size, "who": name, "meetings": value["meetings"], "weight": value["weight"],
                     "bound": ours["upper_bound"], "idle": value["idle_minutes"],
                     "without": value["participants_without_meeting"], "seconds": seconds,
                     "proven": ours["proven"] if name == "ris3hub" else None,
                     "idle_bound": ours["idle_lower_bound_minutes"] if name == "ris3hub" else None,
                     "stages": {"heuristic weight": ours["stats"]["heuristic_seconds"],
                                **ours["stats"].get("cp_sat_seconds", {})} if name == "ris3hub" else {},
                     "method": ours["method"] if name == "ris3hub" else "", "bound_method": ours["bound_method"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(SIZES), help="participants x meetings x slots x tables, comma separated")
    parser.add_argument("--time-limit", type=float, default=30.0, help="ris3hub's time limit in seconds (default: 30)")
    parser.add_argument("--seed", type=int, default=0, help="first seed of the random events")
    parser.add_argument("--seeds", type=int, default=1, help="events per size, seeds --seed, --seed + 1, ...")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (timings are noisy)")
    args = parser.parse_args()
    print("| event (participants x meetings x slots x tables) | seed | scheduler | meetings | upper bound | % of bound "
          "| idle min / participant (lower bound) | without a meeting | seconds | proven optimal: meetings, idle, "
          "fairness | seconds per stage (heuristic, then CP-SAT) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for size in args.sizes.split(","):
        for seed in range(args.seed, args.seed + args.seeds):
            for _ in range(args.repeat):
                for row in run(size, args.time_limit, seed):
                    people = int(size.split("x")[0])
                    proven = "" if row["proven"] is None else \
                        ", ".join("yes" if row["proven"].get(k) else "no" for k in ("weight", "idle", "without_meeting"))
                    floor = "" if row["idle_bound"] is None else f" ({row['idle_bound'] / people:.1f})"
                    stages = ", ".join(f"{k} {v:.1f}" for k, v in row["stages"].items())
                    print(f"| {size} | {seed} | {row['who']} {row['method']} | {row['meetings']} "
                          f"| {row['bound']} ({row['bound_method']}) | {100 * row['weight'] / row['bound']:.2f} "
                          f"| {row['idle'] / people:.1f}{floor} | {row['without']} | {row['seconds']:.1f} | {proven} "
                          f"| {stages} |", flush=True)


if __name__ == "__main__":
    main()
