"""`ris3hub schedule EVENT.json -o SCHEDULE.json`: meetings of a brokerage event into slots and places.

Reads the event (slots, places, participants, accepted meetings; the format is in
docs/scheduling.md), schedules the most meetings (weighted by priority), then the least idle time,
then the fewest participants left without a meeting, checks the result independently against every
rule, and writes it. The whole command keeps to about --time-limit seconds. Needs no database.

Exit status: 0 written; 2 invalid input (each error names the element; nothing is written);
1 the schedule failed the independent check or could not be written (nothing is written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

RESERVE = 0.2  # seconds kept for writing the file, plus 1% of the time limit


def register(subparsers, common) -> None:
    p = subparsers.add_parser("schedule", parents=[common], help="schedule a brokerage event's meetings (JSON in, JSON out)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("event", metavar="EVENT.json", help="the event: slots, places, participants, meetings")
    p.add_argument("-o", "--output", required=True, metavar="SCHEDULE.json", help="the schedule to write (- for standard output)")
    p.add_argument("--time-limit", type=_seconds, default=20.0, metavar="S", help="seconds for the whole run (default: 20)")
    p.add_argument("--previous", metavar="OLD.json",
                   help="an earlier schedule: confirmed meetings keep their slot and place, the others move as little as possible")
    p.add_argument("--freeze", action="store_true", help="with --previous: every meeting of the earlier schedule keeps its slot and place")
    p.add_argument("--method", choices=["auto", "exact", "heuristic"], default="auto",
                   help="CP-SAT stages after the heuristic (exact), the heuristic alone, or by size (auto, default)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the heuristic and CP-SAT (default: 0)")
    p.add_argument("--workers", type=int, default=None, help="CP-SAT search workers (default: the CPU count, at most 8)")
    p.add_argument("--quiet", action="store_true", help="no summary on standard error")
    p.set_defaults(func=cmd_schedule, skip_setup=True)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of seconds") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"the time limit must be more than 0 seconds, not {value}")
    return number


def cmd_schedule(args) -> int:
    started = time.perf_counter()
    from ris3hub.engines.scheduling.model import ProblemError, loads_json
    from ris3hub.engines.scheduling.solve import solve
    from ris3hub.engines.scheduling.verify import ScheduleCheckError

    if args.freeze and not args.previous:
        return _fail(["--freeze needs --previous OLD.json"], 2)
    try:
        document = loads_json(_read(args.event), args.event)
        previous = loads_json(_read(args.previous), args.previous) if args.previous else None
    except ProblemError as error:
        return _fail(error.errors, 2)
    spent = time.perf_counter() - started
    budget = max(0.1, args.time_limit - spent - RESERVE - 0.01 * args.time_limit)
    try:
        schedule = solve(document, budget, previous=previous, freeze=args.freeze, method=args.method,
                                     seed=args.seed, workers=args.workers)
    except ProblemError as error:
        return _fail([f"{args.event}: {e}" for e in error.errors], 2)
    except ScheduleCheckError as error:
        return _fail(["the schedule breaks a rule (a bug, please report it); nothing written:", *error.violations], 1)
    text = _dumps(schedule)
    try:
        _write(args.output, text)
    except OSError as error:
        return _fail([f"{args.output}: cannot write: {error.strerror}"], 1)
    if not args.quiet:
        print(_summary(schedule, args.output, time.perf_counter() - started), file=sys.stderr)
    return 0


def _read(path: str) -> str:
    from ris3hub.engines.scheduling.model import ProblemError

    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ProblemError([f"{path}: cannot read: {error.strerror}"]) from error
    if not raw.strip():
        raise ProblemError([f"{path}: the file is empty"])
    try:
        return raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ProblemError([f"{path}: line {line}: byte 0x{raw[error.start]:02x} is not valid UTF-8"]) from error


def _write(path: str, text: str) -> None:
    """Write all or nothing: a temporary file in the same folder, renamed over the target."""
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _dumps(schedule: dict) -> str:
    """JSON with one key of the schedule, and one assignment, per line."""
    lines = []
    for key, value in schedule.items():
        if key in ("assignments", "unscheduled") and value:
            items = ",\n".join("  " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"{json.dumps(key)}: [\n{items}\n ]")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n " + ",\n ".join(lines) + "\n}\n"


def _summary(schedule: dict, output: str, seconds: float) -> str:
    objective = schedule["objective"]
    total = objective["meetings"] + len(schedule["unscheduled"])
    proven = "proven optimal" if schedule["proven"]["weight"] else f"gap {100 * schedule['gap']:.2f}%"
    return (f"scheduled {objective['meetings']} of {total} meetings (weight {objective['weight']}, upper bound "
            f"{schedule['upper_bound']}, {proven}); idle {objective['idle_minutes']} min; "
            f"{objective['participants_without_meeting']} participants without a meeting; "
            f"{seconds:.1f} s -> {output}")


def _fail(lines: list[str], code: int) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code
