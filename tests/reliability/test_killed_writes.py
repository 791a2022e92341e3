"""A write killed half-way leaves the database as it was: a CORDIS import and a monitoring report upload.

Each killed process has its own data directory on SQLite (copied from one migrated here once). The
database is compared before and after table by table (row count and a hash of every row, read
with sqlite3, not with ris3hub) and must be identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from upload_worker import prepare

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("upload_worker.py")
DB = "ris3hub.sqlite3"
WAL_WRITING = 1024 * 1024  # uncommitted pages in the write-ahead log: the import is writing its rows


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["RIS3HUB_DATA_DIR"] = str(data_dir)
    return env


def ris3hub(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args], cwd=REPO, env=environment(data_dir),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("migrated")
    done = ris3hub(data_dir, "manage", "migrate", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    return data_dir


@pytest.fixture
def data_dir(migrated, tmp_path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in (DB, f"{DB}-wal"):
        if (migrated / name).exists():
            shutil.copy(migrated / name, target / name)
    return target


def fingerprint(data_dir: Path) -> dict[str, tuple[int, str]]:
    """{table: (rows, hash of every row in rowid order)} of the SQLite database."""
    connection = sqlite3.connect(data_dir / DB)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                         "ORDER BY name")]
        result = {}
        for table in tables:
            digest, rows = hashlib.sha256(), 0
            for row in connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
                rows += 1
            result[table] = (rows, digest.hexdigest())
        return result
    finally:
        connection.close()


def test_an_import_killed_half_way_leaves_the_database_as_it_was(data_dir, shared_data):
    cordis = shared_data / "cordis"
    first = ris3hub(data_dir, "import", "cordis", str(cordis / "cordisref-H2020programmes.csv"), "--quiet")
    assert first.returncode == 0, first.stderr
    before = fingerprint(data_dir)
    big = str(cordis / "h2020-organisations-2017.csv")

    process = subprocess.Popen([sys.executable, "-m", "ris3hub.cli", "import", "cordis", big, "--quiet"], cwd=REPO,
                               env=environment(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wal = data_dir / f"{DB}-wal"
    deadline = time.monotonic() + 240
    while not (wal.exists() and wal.stat().st_size > WAL_WRITING):
        assert process.poll() is None, f"the import ended before it was killed: {process.stderr.read()}"
        assert time.monotonic() < deadline, "the import wrote nothing in four minutes"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    assert fingerprint(data_dir) == before

    again = ris3hub(data_dir, "import", "cordis", big, "--quiet")
    assert again.returncode == 0, again.stderr
    after = fingerprint(data_dir)
    assert after["registry_organisation"][0] > before["registry_organisation"][0]
    assert after["projects_programme"] == before["projects_programme"]


def test_an_upload_killed_half_way_leaves_the_database_as_it_was(data_dir):
    prepared = subprocess.run([sys.executable, str(WORKER), "prepare", "6"], cwd=REPO, env=environment(data_dir),
                              capture_output=True, text=True, timeout=300)
    assert prepared.returncode == 0, prepared.stderr
    before = fingerprint(data_dir)

    process = subprocess.Popen([sys.executable, str(WORKER), "upload"], cwd=REPO, env=environment(data_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.strip() == "HALFWAY", process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    process.stderr.close()

    assert fingerprint(data_dir) == before


@pytest.mark.django_db
def test_an_upload_failing_half_way_stores_nothing(monkeypatch):
    from upload_worker import workbook

    from ris3hub.monitoring import uploads
    from ris3hub.monitoring.models import ReportingRound, ReportSubmission, SubmissionVersion

    prepare(5)
    round_ = ReportingRound.objects.get()
    submissions = {s.organisation_id: s for s in ReportSubmission.objects.filter(round=round_)}
    before = (list(ReportSubmission.objects.order_by("pk").values_list("values", "updated")),
              SubmissionVersion.objects.count())
    real_save, stored = uploads.do_save_values, []

    def fail_on_the_third(submission, raw, by, **kwargs):
        if len(stored) == 2:
            raise RuntimeError("the disk is full")
        stored.append(real_save(submission, raw, by, **kwargs))
        return stored[-1]

    monkeypatch.setattr(uploads, "do_save_values", fail_on_the_third)
    with pytest.raises(RuntimeError, match="the disk is full"):
        uploads.do_upload(round_, "report.xlsx", workbook(round_, submissions.values()), round_.coordinator,
                          submissions)
    assert len(stored) == 2  # two reports were written before the failure, and rolled back with it
    after = (list(ReportSubmission.objects.order_by("pk").values_list("values", "updated")),
             SubmissionVersion.objects.count())
    assert after == before
