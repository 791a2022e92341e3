"""Backup and restore in one process, on the test database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import transaction

from ris3hub.backup import BackupError, check_backup, restore_backup, write_backup
from ris3hub.backup.codec import TableChecksum
from ris3hub.backup.dump import MANIFEST, member_name
from ris3hub.projects.models import Participation
from ris3hub.taxonomy.models import Scheme

pytestmark = pytest.mark.django_db


def rewrite(source, target, *, tables=None, manifest=None):
    """Copy a backup, replacing the lines of some tables ({table: lines}) and changing the manifest."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        data = json.loads(old.read(MANIFEST))
        for info in old.infolist():
            if info.filename == MANIFEST:
                continue
            table = info.filename.removeprefix("tables/").removesuffix(".jsonl")
            if tables and table in tables:
                new.writestr(info.filename, b"".join(line + b"\n" for line in tables[table]))
            else:
                new.writestr(info.filename, old.read(info.filename))
        if manifest:
            manifest(data)
        new.writestr(MANIFEST, json.dumps(data))
    return target


def table_lines(path, table):
    with zipfile.ZipFile(path) as archive:
        return archive.read(member_name(table)).splitlines()


def entry(data, table):
    return next(e for e in data["tables"] if e["table"] == table)


def test_a_restore_gives_back_every_row_of_every_table(mutate, rich_data, db_snapshot, tmp_path):
    before = db_snapshot()
    summary = write_backup(tmp_path / "all.zip")
    assert summary.rows == sum(len(rows) for rows in before.values())
    mutate()
    assert db_snapshot() != before
    restored = restore_backup(tmp_path / "all.zip", force=True)
    assert restored.rows == summary.rows
    after = db_snapshot()
    for table in before:
        assert after[table] == before[table], table


def test_the_backup_has_every_table_of_the_code_and_what_they_hold(rich_data, db_snapshot, tmp_path):
    before = db_snapshot()
    write_backup(tmp_path / "all.zip")
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert {e["table"] for e in manifest["tables"]} == set(before)
    assert {e["table"]: e["rows"] for e in manifest["tables"]} == {t: len(r) for t, r in before.items()}
    assert "registry_organisation_domains" in before and before["registry_organisation_domains"]
    assert manifest["migrations"]["registry"] and manifest["database"] in ("sqlite", "postgresql")
    lines = table_lines(tmp_path / "all.zip", "analytics_storedpanel")
    assert "🚀" in lines[0].decode("utf-8")  # text stays text, in UTF-8
    assert b'"2019-12-31T23:00:00+00:00"' in lines[0]  # datetimes in UTC


def test_a_restore_retires_the_cached_pages(rich_data, tmp_path, django_capture_on_commit_callbacks):
    from ris3hub.core.caching import data_version

    write_backup(tmp_path / "all.zip")
    # The fixture's writes wait for a commit that a test never makes: play them now, as a commit would.
    pending = transaction.get_connection().run_on_commit
    for _savepoints, callback, _robust in pending:
        callback()
    pending.clear()
    shown = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        restore_backup(tmp_path / "all.zip", force=True)
    assert data_version() != shown


def test_the_id_of_a_deleted_row_is_not_handed_out_again(mutate, rich_data, tmp_path):
    gone = Scheme.objects.create(code="gone", name="deleted before the backup")
    gone_id = gone.pk
    gone.delete()  # the audit log names deleted rows by id: a new row must not take it
    write_backup(tmp_path / "all.zip")
    mutate()
    restore_backup(tmp_path / "all.zip", force=True)
    assert Scheme.objects.create(code="after", name="after the restore").pk > gone_id


def test_a_non_empty_database_is_refused_without_force(mutate, rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")
    mutate()
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "all.zip")
    assert "not empty" in str(refused.value) and "--force" in str(refused.value)
    assert db_snapshot() == before


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_a_truncated_file_is_refused(rich_data, db_snapshot, tmp_path, cut):
    write_backup(tmp_path / "all.zip")
    data = (tmp_path / "all.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: int(len(data) * cut)])
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "cut.zip", force=True)
    assert "cut.zip" in str(refused.value) and "not a complete zip" in str(refused.value)
    assert db_snapshot() == before


def test_a_damaged_file_is_refused(rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        info = archive.getinfo(member_name("projects_project"))
    data = bytearray((tmp_path / "all.zip").read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + 20 + info.compress_size // 2
    data[middle] ^= 0xFF
    (tmp_path / "bad.zip").write_bytes(bytes(data))
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "bad.zip", force=True)
    assert "damaged" in str(refused.value)
    assert db_snapshot() == before


def test_files_that_are_no_backup_are_refused(db, tmp_path):
    (tmp_path / "text.zip").write_text("hello")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("something.txt", "hello")
    (tmp_path / "other.zip").write_bytes(buffer.getvalue())
    for name, reason in [("text.zip", "not a complete zip"), ("other.zip", "no manifest.json"),
                         ("missing.zip", "no such file")]:
        with pytest.raises(BackupError) as refused:
            check_backup(tmp_path / name)
        assert reason in str(refused.value)


def test_a_backup_of_other_migrations_is_refused(mutate, rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")

    def other_migrations(data):
        data["migrations"]["registry"].append("0099_from_the_future")
        data["migrations"]["projects"].pop()

    rewrite(tmp_path / "all.zip", tmp_path / "other.zip", manifest=other_migrations)
    mutate()
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "other.zip", force=True)
    message = str(refused.value)
    assert "other migrations" in message and "registry.0099_from_the_future" in message
    assert "in this code, not in the backup: projects." in message
    assert db_snapshot() == before


def test_rows_that_do_not_match_the_manifest_roll_everything_back(mutate, rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")
    lines = table_lines(tmp_path / "all.zip", "regions_region")
    edited = [lines[0].replace(b"Italia", b"Italien"), *lines[1:]]
    rewrite(tmp_path / "all.zip", tmp_path / "edited.zip", tables={"regions_region": edited})
    mutate()
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "edited.zip", force=True)
    assert "table regions_region" in str(refused.value) and "do not match the manifest" in str(refused.value)
    assert db_snapshot() == before


def test_a_malformed_line_is_named_and_rolls_everything_back(mutate, rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")
    lines = table_lines(tmp_path / "all.zip", "projects_project")
    rewrite(tmp_path / "all.zip", tmp_path / "bad.zip", tables={"projects_project": [*lines, b"[1, 2"]})
    mutate()
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "bad.zip", force=True)
    assert f"table projects_project, line {len(lines) + 1}" in str(refused.value)
    assert db_snapshot() == before


def test_a_broken_foreign_key_rolls_everything_back(mutate, rich_data, db_snapshot, tmp_path):
    write_backup(tmp_path / "all.zip")
    lines = table_lines(tmp_path / "all.zip", "projects_participation")
    row = json.loads(lines[0])
    names = [f.column for f in Participation._meta.concrete_fields]
    row[names.index("project_id")] = 987654
    edited = [json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode(), *lines[1:]]
    checksum = TableChecksum()
    for line in edited:
        checksum.add(line)

    def consistent(data):
        entry(data, "projects_participation")["checksum"] = checksum.hexdigest

    rewrite(tmp_path / "all.zip", tmp_path / "orphan.zip", tables={"projects_participation": edited},
            manifest=consistent)
    mutate()
    before = db_snapshot()
    with pytest.raises(BackupError) as refused:
        restore_backup(tmp_path / "orphan.zip", force=True)
    assert "orphan.zip" in str(refused.value)
    assert db_snapshot() == before


def test_a_table_the_code_lacks_is_refused(rich_data, tmp_path):
    write_backup(tmp_path / "all.zip")

    def extra_table(data):
        data["tables"].append({"table": "plugin_thing", "columns": ["id"], "rows": 0, "checksum": "0" * 32})

    rewrite(tmp_path / "all.zip", tmp_path / "extra.zip", manifest=extra_table)
    with pytest.raises(BackupError) as refused:
        check_backup(tmp_path / "extra.zip", force=True)
    assert "a table 'plugin_thing' that this code does not have" in str(refused.value)
