"""What a backup holds and checks against: the code's tables, the applied migrations, the id sequences."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from ris3hub.backup.codec import RowCodec

# Rows that `migrate` itself writes into a new database (by post_migrate signals): a database holding
# only these is empty for `restore`, which replaces them too, with their ids, since other tables
# refer to them.
CREATED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission"}


@dataclass(frozen=True)
class Table:
    """One database table of a model of the code (auto-created many-to-many tables included)."""

    model: type

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label

    @cached_property
    def fields(self) -> list:
        return [f for f in self.model._meta.concrete_fields if not getattr(f, "generated", False)]

    @property
    def columns(self) -> list[str]:
        return [f.column for f in self.fields]

    @property
    def pk(self):
        return self.model._meta.pk

    @cached_property
    def codec(self) -> RowCodec:
        return RowCodec(self.fields)

    def rows(self, using: str, chunk_size: int = 2000):
        """The table's rows as tuples of column values, by primary key, read in chunks."""
        queryset = self.model._base_manager.using(using).order_by(self.pk.attname)
        return queryset.values_list(*(f.attname for f in self.fields)).iterator(chunk_size=chunk_size)


def code_tables() -> list[Table]:
    """Every table of the installed apps' models, in a stable order (by table name)."""
    seen: dict[str, Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped and meta.db_table not in seen:
            seen[meta.db_table] = Table(model)
    return [seen[name] for name in sorted(seen)]


def applied_migrations(using: str) -> dict[str, list[str]]:
    """{app label: sorted migration names} as recorded in the database."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def unapplied_migrations(using: str) -> list[str]:
    """The code's migrations the database lacks (`ris3hub` applies them when it starts)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def _has_sequence(table: Table) -> bool:
    return table.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}


def next_ids(using: str, tables: list[Table]) -> dict[str, int]:
    """{table: the id its sequence hands out next} for tables with an auto-increment key.

    Kept in the backup so that a restored database never reuses the id of a deleted row (the audit
    log names deleted rows by id).
    """
    connection = connections[using]
    result: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            known = dict(cursor.fetchall())
            for table in tables:
                if _has_sequence(table) and table.name in known:
                    result[table.name] = int(known[table.name]) + 1
        elif connection.vendor == "postgresql":
            for table in tables:
                if not _has_sequence(table):
                    continue
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table.name, table.pk.column])
                (sequence,) = cursor.fetchone()
                if sequence is None:
                    continue
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # a name from pg_get_serial_sequence
                last_value, is_called = cursor.fetchone()
                result[table.name] = int(last_value) + 1 if is_called else int(last_value)
    return result


def set_next_ids(using: str, tables: list[Table], wanted: dict[str, int]) -> None:
    """Reset every sequence to after the largest id, then raise it to ``wanted`` where that is later."""
    from django.core.management.color import no_style

    connection = connections[using]
    models = [t.model for t in tables]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        for table in tables:
            next_id = wanted.get(table.name)
            if next_id is None or not _has_sequence(table):
                continue
            quoted, pk = connection.ops.quote_name(table.name), connection.ops.quote_name(table.pk.column)
            cursor.execute(f"SELECT MAX({pk}) FROM {quoted}")
            largest = cursor.fetchone()[0] or 0
            if next_id <= largest + 1:
                continue
            if connection.vendor == "sqlite":
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [next_id - 1, table.name])
                if cursor.rowcount == 0:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table.name, next_id - 1])
            elif connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, false)",
                               [table.name, table.pk.column, next_id])
