"""A process that uploads a monitoring report and is killed half-way (run by test_killed_writes.py).

    python upload_worker.py prepare ROWS   builds a network of ROWS laboratories with an open round
    python upload_worker.py upload ROWS    uploads values for every laboratory, but after the second
                                           stored report prints HALFWAY and waits to be killed

The database is the one of RIS3HUB_DATA_DIR (SQLite) or DATABASE_URL, as for `ris3hub`.
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date, timedelta

FIELDS = [
    {"name": "contracts", "label": "Research contracts", "type": "int", "required": True},
    {"name": "revenue", "label": "Revenue (EUR)", "type": "decimal", "required": False},
    {"name": "notes", "label": "Notes", "type": "text", "required": False},
]


def prepare(rows: int) -> None:
    from django.contrib.auth import get_user_model

    from ris3hub.monitoring.reporting import do_open_round
    from ris3hub.registry import actions
    from ris3hub.registry.models import OrganisationKind

    network = actions.do_create_organisation("Rete Alta Tecnologia", OrganisationKind.OTHER, country="IT")
    labs = [actions.do_create_organisation(f"Laboratorio {i}", OrganisationKind.LABORATORY, country="IT")
            for i in range(rows)]
    coordinator = get_user_model().objects.create_user("coordinator", "coordinator@example.org", "pw")
    do_open_round("Annual report", network, coordinator, "2025", FIELDS, date.today() + timedelta(days=10),
                  members=labs)


def workbook(round_, submissions) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Report"
    ws.append(["organisation_id", "organisation", *(f["name"] for f in FIELDS)])
    for i, s in enumerate(submissions):
        ws.append([s.organisation_id, str(s.organisation), i + 1, f"{1000 + i}.50", f"row {i}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload() -> None:
    from ris3hub.monitoring import uploads
    from ris3hub.monitoring.models import ReportingRound, ReportSubmission

    round_ = ReportingRound.objects.get()
    submissions = {s.organisation_id: s for s in ReportSubmission.objects.filter(round=round_)
                   .select_related("organisation", "round")}
    real_save, stored = uploads.do_save_values, []

    def save_then_hang(submission, raw, by, **kwargs):
        result = real_save(submission, raw, by, **kwargs)
        stored.append(submission.pk)
        if len(stored) == 2:
            print("HALFWAY", flush=True)
            time.sleep(600)
        return result

    uploads.do_save_values = save_then_hang
    uploads.do_upload(round_, "report.xlsx", workbook(round_, submissions.values()), round_.coordinator, submissions)
    print("FINISHED", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ris3hub.settings")
    import django

    django.setup()
    if sys.argv[1] == "prepare":
        prepare(int(sys.argv[2]))
    else:
        upload()
