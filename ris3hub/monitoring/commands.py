"""`ris3hub indicators compute`, `ris3hub reporting remind`, `ris3hub monitoring demo`."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def cmd_compute(args) -> int:
    from ris3hub.monitoring.compute import compute_all
    from ris3hub.strategies.models import Strategy

    strategy = None
    if args.strategy is not None:
        strategy = Strategy.objects.filter(pk=args.strategy).first()
        if strategy is None:
            known = ", ".join(f"{s.pk} ({s})" for s in Strategy.objects.all()) or "none"
            print(f"no strategy {args.strategy}; the strategies are: {known}", file=sys.stderr)
            return 1
    results = compute_all(strategy)
    failed = [r for r in results if r.error]
    for r in failed:
        print(f"error: indicator {r.indicator.code}: {r.error}", file=sys.stderr)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2, default=_json_default, ensure_ascii=False))
        return 1 if failed else 0
    if not results:
        print("no indicator to compute: define them first (admin: Monitoring > Monitoring indicators)", file=sys.stderr)
    for result in results:
        i = result.indicator
        print(f"{i.code}  {i.name} [{i.unit}] (strategy {i.strategy_id})")
        if result.skipped or result.error:
            print(f"  skipped: {result.skipped}" if result.skipped else f"  not computed: {result.error}")
            continue
        print(f"  {result.created} created, {result.updated} updated, {result.deleted} deleted, "
              f"{result.unchanged} unchanged" + (f", {result.kept_manual} kept (entered by hand)"
                                                 if result.kept_manual else ""))
        if not result.values:
            print("  no value: the registry holds nothing this indicator counts")
        for v in result.values:
            print(f"  {v.region:<6} {v.period:<8} {v.value.normalize():>20,f}")
    return 1 if failed else 0


def cmd_remind(args) -> int:
    from ris3hub.monitoring.reporting import send_reminders

    today = date.fromisoformat(args.date) if args.date else None
    reminders = send_reminders(today, dry_run=args.dry_run)
    if args.json:
        print(json.dumps([r.as_dict() for r in reminders], indent=2, ensure_ascii=False))
        return 0
    if not reminders:
        print("no reminder is due")
    for r in reminders:
        s = r.submission
        to = ", ".join(r.recipients) or "nobody (no user with an e-mail address is linked to the organisation)"
        verb = "due" if args.dry_run else "sent"
        print(f"{verb}: {r.kind:<8} {s.round.title} ({s.round.period}, deadline {s.round.deadline}) - "
              f"{s.organisation.name} [{s.get_status_display()}] -> {to}")
    return 0


def cmd_demo(args) -> int:
    from ris3hub.monitoring.demo import build_demo_monitoring

    build_demo_monitoring(progress=True)
    return 0


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("indicators", help="monitoring indicators: compute their values")
    sub = parser.add_subparsers(dest="indicators_command", required=True)
    p = sub.add_parser("compute", parents=[common],
                       help="compute every indicator from the registry and the approved reports, and store the values")
    p.add_argument("--strategy", type=int, help="only the indicators of this strategy (its id)")
    p.add_argument("--json", action="store_true", help="print the values as JSON")
    p.set_defaults(func=cmd_compute)

    parser = subparsers.add_parser("reporting", help="periodic reports: reminders")
    sub = parser.add_subparsers(dest="reporting_command", required=True)
    p = sub.add_parser("remind", parents=[common],
                       help="send the reminders due for reports not yet submitted (console e-mail unless configured)")
    p.add_argument("--dry-run", action="store_true", help="list the reminders due, send and record nothing")
    p.add_argument("--date", help="take this day (YYYY-MM-DD) as today")
    p.add_argument("--json", action="store_true", help="print the reminders as JSON")
    p.set_defaults(func=cmd_remind)

    parser = subparsers.add_parser("monitoring", help="monitoring frameworks: the demo framework")
    sub = parser.add_subparsers(dest="monitoring_command", required=True)
    p = sub.add_parser("demo", parents=[common],
                       help="define the Emilia-Romagna S3 monitoring framework and compute it (idempotent)")
    p.set_defaults(func=cmd_demo)
