"""Recording import runs in the audit log, and keeping per-row entries out of it."""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from datetime import datetime

from auditlog.context import disable_auditlog

from ris3hub.audit.middleware import current_user
from ris3hub.audit.models import ImportRun


def _current_actor():
    """The user of the request being served (an import started from a page), or None (the command line).

    auditlog's own actor context is not read: it is left set after its ``set_actor`` block ends."""
    return current_user()


def _system_user() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


@contextmanager
def rows_not_logged():
    """Inside, saves write no log entry each (an import's rows); the run is recorded by :func:`record_import`."""
    with disable_auditlog():
        yield


def record_import(report, started: datetime, finished: datetime) -> ImportRun:
    """The audit entry of one import run (``report`` is a core.loading.ImportReport)."""
    actor = _current_actor()
    return ImportRun.objects.create(
        kind=report.kind, files=[str(f) for f in report.files], started=started, finished=finished,
        committed=report.committed, skip_invalid=report.skip_invalid,
        counts={label: dict(c) for label, c in sorted(report.counts.items())},
        rejected_rows=len(report.errors), by=actor,
        run_by=actor.get_username() if actor else _system_user())
