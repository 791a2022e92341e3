"""`restore_backup`: a backup file into the database, all of it or nothing.

Everything about the file is checked before the database is touched: that it is a complete,
undamaged ris3hub backup, made with the same migrations as the code, holding the code's tables with
the code's columns; and that the database is empty (or ``force``). Then, in one transaction, every
table is emptied, the rows are inserted with their primary keys, the id sequences are set, foreign
keys are checked, and each table is read back and compared with the manifest's row count and
checksum. Any problem rolls the transaction back: the database stays as it was.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connections, transaction

from ris3hub.backup.codec import DECODERS, TableChecksum, storage_type
from ris3hub.backup.dump import FORMAT, FORMAT_VERSION, MANIFEST, member_name
from ris3hub.backup.schema import (CREATED_BY_MIGRATE, Table, applied_migrations, code_tables, set_next_ids,
                                   unapplied_migrations)
from ris3hub.core.caching import note_data_changed


class BackupError(Exception):
    """The backup cannot be restored; the database was not changed. ``errors`` says why, one per line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class RestoreSummary:
    path: Path
    tables: int
    rows: int
    seconds: float
    source: str

    def line(self) -> str:
        return (f"restored {self.path}: {self.rows} rows of {self.tables} tables (a {self.source} backup), "
                f"{self.seconds:.1f} s")


def read_manifest(path: Path, archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError([f"{path}: not a ris3hub backup (it has no {MANIFEST})"]) from None
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise BackupError([f"{path}: {MANIFEST} cannot be read: {exc}"]) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError([f"{path}: not a ris3hub backup ({MANIFEST} does not say format '{FORMAT}')"])
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError([f"{path}: backup format version {manifest.get('format_version')!r}; this ris3hub reads "
                           f"version {FORMAT_VERSION}"])
    for key, kind in (("migrations", dict), ("tables", list)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError([f"{path}: {MANIFEST} has no valid '{key}'"])
    return manifest


def _migration_errors(path: Path, manifest: dict, using: str) -> list[str]:
    pending = unapplied_migrations(using)
    if pending:
        return [f"the database lacks migrations of the code ({', '.join(pending[:5])}): run `ris3hub manage migrate` "
                "first"]
    have = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    try:
        want = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    except (AttributeError, TypeError):
        return [f"{path}: {MANIFEST} has no valid 'migrations'"]
    if have == want:
        return []
    errors = [f"{path} was made with other migrations than this ris3hub's (backup of ris3hub "
              f"{manifest.get('ris3hub', '?')}, {manifest.get('created', '?')}); restore it with the version that made "
              "it, or make a new backup:"]
    only_file = sorted(want - have)
    only_code = sorted(have - want)
    if only_file:
        errors.append("  in the backup, not in this code: " + ", ".join(f"{a}.{n}" for a, n in only_file[:10])
                      + (f" and {len(only_file) - 10} more" if len(only_file) > 10 else ""))
    if only_code:
        errors.append("  in this code, not in the backup: " + ", ".join(f"{a}.{n}" for a, n in only_code[:10])
                      + (f" and {len(only_code) - 10} more" if len(only_code) > 10 else ""))
    return errors


def _table_errors(path: Path, manifest: dict, tables: dict[str, Table], archive: zipfile.ZipFile) -> list[str]:
    errors = []
    names = set()
    for i, entry in enumerate(manifest["tables"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("table"), str):
            errors.append(f"{path}: {MANIFEST} table entry {i + 1} is malformed")
            continue
        name = entry["table"]
        names.add(name)
        if name not in tables:
            errors.append(f"{path}: the backup has a table '{name}' that this code does not have")
            continue
        if entry.get("columns") != tables[name].columns:
            errors.append(f"{path}: table {name} has columns {entry.get('columns')}; this code has "
                          f"{tables[name].columns}")
        if not isinstance(entry.get("rows"), int) or not isinstance(entry.get("checksum"), str):
            errors.append(f"{path}: {MANIFEST} lacks the row count or checksum of table {name}")
        if member_name(name) not in archive.NameToInfo:
            errors.append(f"{path}: the rows of table {name} ({member_name(name)}) are missing")
    for name in sorted(set(tables) - names):
        errors.append(f"{path}: this code has a table '{name}' that the backup does not have")
    return errors


def _rows_present(using: str, tables: list[Table]) -> list[str]:
    present = []
    for table in tables:
        if table.label in CREATED_BY_MIGRATE:
            continue
        count = table.model._base_manager.using(using).count()
        if count:
            present.append(f"{table.name} ({count})")
    return present


def check_backup(path: str | Path, using: str = "default", force: bool = False) -> dict:
    """Every check that needs no writing; returns the manifest or raises BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError([f"{path}: no such file"])
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BackupError([f"{path}: not a ris3hub backup, or cut short: it is not a complete zip file ({exc})"]) from exc
    except OSError as exc:
        raise BackupError([f"{path}: cannot be read: {exc.strerror or exc}"]) from exc
    with archive:
        manifest = read_manifest(path, archive)
        try:
            damaged = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise BackupError([f"{path}: the file is damaged: {exc}"]) from exc
        if damaged is not None:
            raise BackupError([f"{path}: the file is damaged: {damaged} fails its CRC check"])
        errors = _migration_errors(path, manifest, using)
        tables = {t.name: t for t in code_tables()}
        errors += _table_errors(path, manifest, tables, archive)
    if errors:
        raise BackupError(errors)
    if not force:
        present = _rows_present(using, list(tables.values()))
        if present:
            raise BackupError([f"the database is not empty: {', '.join(present[:8])}"
                               + (f" and {len(present) - 8} more tables" if len(present) > 8 else "")
                               + "; restore with --force to replace all of its data with the backup's"])
    return manifest


def restore_backup(path: str | Path, using: str = "default", force: bool = False,
                   progress: bool = False) -> RestoreSummary:
    """Replace the database's data with the backup's; raises BackupError (nothing changed) on any problem."""
    started = time.monotonic()
    path = Path(path)
    manifest = check_backup(path, using=using, force=force)
    tables = {t.name: t for t in code_tables()}
    connection = connections[using]
    try:
        with zipfile.ZipFile(path) as archive, transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # Fire the foreign key checks still pending in an enclosing transaction: PostgreSQL
                # cannot truncate a table with pending checks.
                connection.check_constraints()
            with connection.cursor() as cursor:
                for statement in connection.ops.sql_flush(no_style(), list(tables), reset_sequences=True,
                                                          allow_cascade=True):
                    cursor.execute(statement)
            for entry in manifest["tables"]:
                _load_table(path, archive, tables[entry["table"]], entry, using, progress)
            set_next_ids(using, list(tables.values()),
                         {e["table"]: e["next_id"] for e in manifest["tables"] if isinstance(e.get("next_id"), int)})
            try:
                connection.check_constraints()
            except DatabaseError as exc:
                raise BackupError([f"{path}: the rows break a foreign key: {exc}"]) from exc
            _verify(path, manifest, tables, using)
            note_data_changed(using)  # cached page fragments show the old data: retire them on commit
    except DatabaseError as exc:
        raise BackupError([f"{path}: the database refused the backup's rows: {exc}"]) from exc
    finally:
        ContentType.objects.clear_cache()
    return RestoreSummary(path, len(manifest["tables"]), sum(e["rows"] for e in manifest["tables"]),
                          time.monotonic() - started, str(manifest.get("database", "?")))


def _load_table(path: Path, archive: zipfile.ZipFile, table: Table, entry: dict, using: str, progress: bool) -> None:
    codec = table.codec
    connection = connections[using]
    checksum = TableChecksum()
    insert = _Inserter(table, connection)
    where = f"{path}: table {entry['table']}"
    if progress:
        print(f"  {table.name}: {entry['rows']} rows", file=sys.stderr, flush=True)
    with archive.open(member_name(table.name)) as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip(b"\n")
            try:
                values = json.loads(line)
                if not isinstance(values, list) or len(values) != len(table.fields):
                    raise ValueError(f"expected a list of {len(table.fields)} values")
                checksum.add(codec.canonical(values, line))
                insert.add(codec.decode(values))
            except (ValueError, TypeError, ArithmeticError) as exc:
                raise BackupError([f"{where}, line {number}: {exc}"]) from exc
    insert.flush()
    if (checksum.rows, checksum.hexdigest) != (entry["rows"], entry["checksum"]):
        raise BackupError([f"{where}: the rows in the file do not match the manifest ({checksum.rows} rows, checksum "
                           f"{checksum.hexdigest}; the manifest says {entry['rows']} rows, {entry['checksum']})"])


class _Inserter:
    """Inserts rows as they are, in batches: no field changes a value on the way (auto_now, defaults).

    Values JSON has a type for (text, numbers, booleans) go to the driver unchanged; the others are
    adapted by their field for this database, as Django does when it saves them.
    """

    BATCH = 2000

    def __init__(self, table: Table, connection):
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        self.sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"
        self.connection = connection
        self.adapters = [(i, field.get_db_prep_save) for i, field in enumerate(table.fields)
                         if storage_type(field) in DECODERS or storage_type(field) == "JSONField"]
        self.rows: list[list] = []

    def add(self, values: list) -> None:
        for i, adapt in self.adapters:
            values[i] = adapt(values[i], self.connection)
        self.rows.append(values)
        if len(self.rows) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []


def _verify(path: Path, manifest: dict, tables: dict[str, Table], using: str) -> None:
    """Read every table back and compare it with the manifest."""
    problems = []
    for entry in manifest["tables"]:
        table = tables[entry["table"]]
        checksum = TableChecksum()
        for row in table.rows(using):
            values = table.codec.encode(row)
            checksum.add(table.codec.canonical(values, table.codec.line(values)))
        if (checksum.rows, checksum.hexdigest) != (entry["rows"], entry["checksum"]):
            problems.append(f"{path}: table {table.name} reads back as {checksum.rows} rows (checksum "
                            f"{checksum.hexdigest}), not {entry['rows']} rows ({entry['checksum']}) as backed up")
    if problems:
        raise BackupError(problems + ["nothing was restored"])
