"""`write_backup`: the whole database into one portable file, streamed table by table."""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
from django.db import connections, transaction

import ris3hub
from ris3hub.backup.codec import TableChecksum
from ris3hub.backup.schema import applied_migrations, code_tables, next_ids

FORMAT = "ris3hub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK_ROWS = 2000


def member_name(table: str) -> str:
    return f"tables/{table}.jsonl"


class MissingTables(RuntimeError):
    """Tables of the code's models are not in the database: a model without its migration."""

    def __init__(self, tables: list[str]):
        self.tables = tables
        super().__init__(f"the database has no table {', '.join(tables)}: a model of the code has no migration "
                         "(run `ris3hub manage makemigrations --check` to see which)")


@dataclass
class BackupSummary:
    path: Path
    tables: int
    rows: int
    bytes: int
    seconds: float

    def line(self) -> str:
        return (f"{self.path}: {self.rows} rows of {self.tables} tables, {self.bytes / 1024 / 1024:.1f} MB, "
                f"{self.seconds:.1f} s")


def write_backup(path: str | Path, using: str = "default", progress: bool = False) -> BackupSummary:
    """Write every table of the code's models to ``path`` (a zip of JSON lines and a manifest).

    The file appears only when complete (written beside it under a temporary name, then renamed).
    """
    started = time.monotonic()
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    connection = connections[using]
    tables = code_tables()
    missing = sorted(set(t.name for t in tables) - set(connection.introspection.table_names()))
    if missing:
        raise MissingTables(missing)
    entries = []
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            outer = connection.in_atomic_block
            with transaction.atomic(using=using):
                if connection.vendor == "postgresql" and not outer:
                    with connection.cursor() as cursor:  # one snapshot for every table
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                migrations = applied_migrations(using)
                sequences = next_ids(using, tables)
                for table in tables:
                    checksum = _write_table(archive, table, using)
                    entries.append({"table": table.name, "model": table.label, "columns": table.columns,
                                    "rows": checksum.rows, "checksum": checksum.hexdigest,
                                    "next_id": sequences.get(table.name)})
                    if progress:
                        print(f"  {table.name}: {checksum.rows} rows", file=sys.stderr, flush=True)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "ris3hub": ris3hub.__version__,
                "django": django.get_version(),
                "created": datetime.now(UTC).isoformat(),
                "database": connection.vendor,
                "migrations": migrations,
                "tables": entries,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return BackupSummary(path, len(entries), sum(e["rows"] for e in entries), path.stat().st_size,
                         time.monotonic() - started)


def _write_table(archive: zipfile.ZipFile, table, using: str) -> TableChecksum:
    codec = table.codec
    checksum = TableChecksum()
    with archive.open(member_name(table.name), "w", force_zip64=True) as out:
        buffer: list[bytes] = []
        for row in table.rows(using, chunk_size=CHUNK_ROWS):
            values = codec.encode(row)
            line = codec.line(values)
            checksum.add(codec.canonical(values, line))
            buffer.append(line)
            if len(buffer) >= CHUNK_ROWS:
                out.write(b"\n".join(buffer) + b"\n")
                buffer = []
        if buffer:
            out.write(b"\n".join(buffer) + b"\n")
    return checksum
