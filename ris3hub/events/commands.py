"""`ris3hub event ...`: the demo event, expiry of unanswered requests, the scheduler on a stored event."""

from __future__ import annotations

import json
import sys


def cmd_demo(args) -> int:
    from ris3hub.events.demo import DEMO_PASSWORD, ORGANISER, build_demo_event, demo_summary

    event = build_demo_event(schedule=not args.no_schedule, time_limit=args.time_limit)
    for key, value in demo_summary(event).items():
        print(f"{key.replace('_', ' ')}: {value}")
    print(f"event page: /events/{event.slug}/ (organiser: {ORGANISER} / {DEMO_PASSWORD}; participants: their email "
          f"/ {DEMO_PASSWORD})")
    return 0


def cmd_expire(args) -> int:
    from ris3hub.events.actions import expire_requests
    from ris3hub.events.models import Event

    event = None
    if args.event:
        event = Event.objects.filter(slug=args.event).first()
        if event is None:
            print(f"no event {args.event!r}", file=sys.stderr)
            return 1
    print(f"{expire_requests(event)} request(s) expired")
    return 0


def _event(slug: str):
    from ris3hub.events.models import Event

    event = Event.objects.filter(slug=slug).first()
    if event is None:
        print(f"no event {slug!r}; the events are: {', '.join(Event.objects.values_list('slug', flat=True)) or 'none'}",
              file=sys.stderr)
    return event


def cmd_problem(args) -> int:
    from ris3hub.events.scheduling import build_problem

    event = _event(args.event)
    if event is None:
        return 1
    text = json.dumps(build_problem(event).document, indent=1, ensure_ascii=False)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        print(text)
    return 0


def cmd_schedule(args) -> int:
    from django.core.exceptions import ValidationError

    from ris3hub.events.actions import do_schedule_event

    event = _event(args.event)
    if event is None:
        return 1
    try:
        run = do_schedule_event(event, time_limit=args.time_limit)
    except ValidationError as error:
        print(" ".join(error.messages), file=sys.stderr)
        return 1
    print(f"scheduled {run.scheduled} of {run.meetings} meetings ({run.kept} kept in place); upper bound "
          f"{run.upper_bound:g}, gap {100 * run.gap:.1f}%{' (proven optimal)' if run.proven_optimal else ''}; "
          f"{run.seconds:.1f} s")
    return 0


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("event", help="brokerage events: demo event, request expiry, scheduling")
    sub = parser.add_subparsers(dest="event_command", required=True)

    p = sub.add_parser("demo", parents=[common],
                       help="create the demo brokerage day from the registry (replaces an earlier one)")
    p.add_argument("--no-schedule", action="store_true", help="leave the accepted meetings unplaced")
    p.add_argument("--time-limit", type=float, default=20.0, help="seconds for the scheduler (default 20)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("expire-requests", parents=[common],
                       help="mark unanswered meeting requests past their expiry as expired")
    p.add_argument("--event", help="only this event (its address, e.g. er-technology-transfer-day)")
    p.set_defaults(func=cmd_expire)

    p = sub.add_parser("problem", parents=[common], help="write a stored event as the scheduler's input JSON")
    p.add_argument("event", help="the event's address (slug)")
    p.add_argument("-o", "--output", help="file to write (standard output without it)")
    p.set_defaults(func=cmd_problem)

    p = sub.add_parser("schedule", parents=[common],
                       help="run the scheduler on a stored event (locked and confirmed meetings stay)")
    p.add_argument("event", help="the event's address (slug)")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p.set_defaults(func=cmd_schedule)
