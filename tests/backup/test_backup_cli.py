"""`ris3hub backup` and `ris3hub restore` across databases: the test database's backend and the other one.

The test database (SQLite, or PostgreSQL under DATABASE_URL) is backed up in process; the commands
restore the file into a new database of the other backend, refuse to restore it twice without
--force, and back it up again; that second file, restored here, gives back every row. Skipped when
PostgreSQL is not reachable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from ris3hub.backup import restore_backup, write_backup
from ris3hub.backup.dump import MANIFEST

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def postgres_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    written = REPO / "var" / "postgres-url"
    return written.read_text().strip() if written.exists() else "postgres://postgres@127.0.0.1:5432/test"


@pytest.fixture
def other_backend(tmp_path):
    """Environment variables pointing `ris3hub` at a new, empty database of the other backend."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RIS3HUB_DATA_DIR")}
    env["RIS3HUB_DATA_DIR"] = str(tmp_path / "data")
    if connection.vendor == "postgresql":
        yield "sqlite", env
        return
    psycopg = pytest.importorskip("psycopg")
    base = postgres_url()
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL is not reachable at {admin_url}: {exc}")
    name = f"ris3hub_backup_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
        yield "postgresql", env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def ris3hub(env, *args):
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def manifest(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(MANIFEST))


def test_a_backup_moves_to_the_other_database_and_back_exactly(rich_data, mutate, db_snapshot, other_backend, tmp_path):
    vendor, env = other_backend
    before = db_snapshot()
    write_backup(tmp_path / "here.zip")

    restored = ris3hub(env, "restore", str(tmp_path / "here.zip"), "--quiet")
    assert restored.returncode == 0, restored.stderr
    again = ris3hub(env, "restore", str(tmp_path / "here.zip"))
    assert again.returncode == 2
    assert "the database is not empty" in again.stderr and "nothing was changed" in again.stderr
    backed_up = ris3hub(env, "backup", str(tmp_path / "there.zip"))
    assert backed_up.returncode == 0, backed_up.stderr
    assert "there.zip" in backed_up.stderr

    here, there = manifest(tmp_path / "here.zip"), manifest(tmp_path / "there.zip")
    assert there["database"] == vendor != here["database"]
    assert there["migrations"] == here["migrations"]
    assert [(t["table"], t["rows"], t["checksum"]) for t in there["tables"]] == \
           [(t["table"], t["rows"], t["checksum"]) for t in here["tables"]]

    mutate()
    restore_backup(tmp_path / "there.zip", force=True)
    after = db_snapshot()
    for table in before:
        assert after[table] == before[table], table

