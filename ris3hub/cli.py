"""The `ris3hub` command: demo, import, serve, export, manage."""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module

# Commands of the domain apps: each module has `register(subparsers, common)`, which adds its
# subcommands (with `set_defaults(func=...)`) without importing Django at module level.
COMMAND_MODULES: list[str] = [
    "ris3hub.events.commands",
    "ris3hub.search.commands",
    "ris3hub.analytics.commands",
    "ris3hub.monitoring.commands",
    "ris3hub.accounts.commands",
    "ris3hub.commands.consultation",
    "ris3hub.commands.s3_tables",
    "ris3hub.commands.schedule",
    "ris3hub.commands.backup",
    "ris3hub.tokens.commands",
]


def _setup(data_dir: str | None) -> None:
    """Point Django at the data directory and bring the database schema up to date."""
    if data_dir:
        os.environ["RIS3HUB_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ris3hub.settings")
    from ris3hub import conf

    if not conf.get("DATABASE_URL"):
        conf.data_dir().mkdir(parents=True, exist_ok=True)
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # a setting is wrong (e.g. production without a secret key): say which
        raise SystemExit(f"ris3hub: {exc}") from None
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _print_report(report, as_json: bool) -> int:
    if as_json:
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        for line in report.summary_lines():
            print(line, file=sys.stderr if report.errors else sys.stdout)
    return 1 if report.errors else 0


def cmd_import(args) -> int:
    from ris3hub.core.loading import run_import

    report = run_import(args.kind, args.paths, dry_run=args.dry_run, skip_invalid=args.skip_invalid,
                        progress=not args.quiet)
    return _print_report(report, args.json)


def cmd_demo(args) -> int:
    from ris3hub.core.demo import build_demo, demo_is_built

    if demo_is_built():
        print("demo database already built; reusing it", file=sys.stderr)
    else:
        failures = build_demo(progress=True)
        if failures:
            return 1
    if args.no_serve:
        return 0
    return cmd_serve(args)


def cmd_serve(args) -> int:
    from ris3hub.core.server import serve

    return serve(host=args.host, port=args.port, workers=args.workers, threads=getattr(args, "threads", 4),
                 access_log=not getattr(args, "no_access_log", False))


def cmd_export(args) -> int:
    from ris3hub.core.exports import export_dataset

    if args.output:
        with open(args.output, "wb") as out:
            export_dataset(args.dataset, args.format, out)
        return 0
    try:
        export_dataset(args.dataset, args.format, sys.stdout.buffer)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (`| head`) stopped early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_settings(args) -> int:
    from ris3hub import conf

    for s in conf.SETTINGS:
        print(f"{s.name}={s.value()!s}\n    {s.help} (default: {s.default or 'empty'})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from ris3hub.core.loading import LOADERS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (default: $RIS3HUB_DATA_DIR or ./var)")

    parser = argparse.ArgumentParser(prog="ris3hub", description="Regional innovation ecosystems under EU Smart Specialisation.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", parents=[common], help="build the demo database from the shared open data and serve it")
    p.add_argument("--no-serve", action="store_true", help="build the database, do not start the server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_demo)

    kinds = "\n".join(f"  {k:<10} {help}" for k, (_, help) in LOADERS.items())
    p = sub.add_parser("import", parents=[common], help="import open-data files",
                       description=f"Import files of one kind:\n{kinds}",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=list(LOADERS))
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="write the valid rows even if some are rejected (exits 1)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", parents=[common], help="serve the web application")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4, help="threads per worker")
    p.add_argument("--no-access-log", action="store_true", help="do not log every request (benchmarks)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", parents=[common], help="export a dataset as CSV, XLSX or JSON")
    p.add_argument("dataset", choices=["organisations", "regions", "projects"])
    p.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
    p.add_argument("-o", "--output", help="file to write (standard output without it)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("settings", parents=[common], help="list the settings and their current values")
    p.set_defaults(func=cmd_settings, skip_setup=True)

    for name in COMMAND_MODULES:
        import_module(name).register(sub, common)

    p = sub.add_parser("manage", parents=[common], help="run a Django management command (migrate, createsuperuser, check, ...)",
                       add_help=False)
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv and argv[0] == "manage":
        rest = argv[1:]
        data_dir = None
        if "--data-dir" in rest:
            i = rest.index("--data-dir")
            data_dir = rest[i + 1]
            rest = rest[:i] + rest[i + 2:]
        _setup(data_dir)
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ris3hub manage", *rest])
        return 0
    args = parser.parse_args(argv)
    if not getattr(args, "skip_setup", False):
        _setup(args.data_dir)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
