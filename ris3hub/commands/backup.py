"""`ris3hub backup FILE` and `ris3hub restore FILE [--force]`: the whole database in one portable file.

A backup made on SQLite restores on PostgreSQL and back, exactly: every table of every app, with its
primary keys, in a zip of JSON lines with a manifest of migrations, row counts and checksums (the
format is in ris3hub.backup). `restore` checks the whole file first, then replaces the data in one
transaction and reads every table back before committing: on any problem nothing changes.

Exit status: 0 done; 2 the file cannot be restored here (damaged, other migrations, a database
that is not empty without --force: each reason is printed; nothing changed), or the database lacks
a table of the code (nothing written); 1 the file could not be written.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers, common) -> None:
    p = subparsers.add_parser("backup", parents=[common], help="write the whole database to one portable file",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="the backup to write (a zip; replaced if it exists)")
    p.add_argument("--quiet", action="store_true", help="no progress or summary")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser("restore", parents=[common], help="replace the database's data with a backup's",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="a file written by `ris3hub backup`")
    p.add_argument("--force", action="store_true", help="replace the data of a database that is not empty")
    p.add_argument("--rebuild-index", action="store_true",
                   help="rebuild the search index after restoring (otherwise run `ris3hub search-index rebuild`)")
    p.add_argument("--quiet", action="store_true", help="no progress or summary")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args) -> int:
    from ris3hub.backup.dump import MissingTables, write_backup

    try:
        summary = write_backup(args.file, progress=not args.quiet)
    except MissingTables as error:
        print(f"ris3hub: {error}; nothing was written", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"ris3hub: {args.file}: cannot write: {error.strerror or error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {summary.line()}", file=sys.stderr)
    return 0


def cmd_restore(args) -> int:
    from ris3hub.backup import BackupError, restore_backup
    from ris3hub.backup.search_index import detach_search_index

    try:
        summary = restore_backup(args.file, force=args.force, progress=not args.quiet)
    except BackupError as error:
        for line in error.errors:
            print(f"ris3hub: {line}", file=sys.stderr)
        print("ris3hub: nothing was changed", file=sys.stderr)
        return 2
    detached = detach_search_index()
    if not args.quiet:
        print(summary.line(), file=sys.stderr)
    if args.rebuild_index:
        from ris3hub.search.indexing import build_index

        build_index(progress=not args.quiet)
    elif detached is not None and not args.quiet:
        print("the search index described the old data and was removed: run `ris3hub search-index rebuild`",
              file=sys.stderr)
    return 0
