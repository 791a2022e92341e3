"""Trigram indexes for the name searches of the search page and the lists, on PostgreSQL only.

The searches filter with Django's ``icontains`` (``UPPER(col::text) LIKE UPPER('%word%')``), ``contains``
and ``iexact``, which no B-tree index serves: on the demo (80,000 projects) each search read every row.
A GIN index of trigrams (pg_trgm) on the same expressions answers them from the index. The columns
belong to three apps; the indexes are one concern, so they live together here rather than in each
model's Meta (GinIndex with an expression and an operator class would also need django.contrib.postgres
and would not apply on SQLite, where the tables are small enough to scan).

pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+): the owner of the database may
create it. Where it is not available, the migration creates nothing and searches scan as before.
"""

from django.db import migrations

# (index name, table, indexed expression): each expression exactly as Django writes the lookup's left side.
INDEXES = [
    ("project_title_trgm", "projects_project", "UPPER(title::text)"),
    ("project_acronym_trgm", "projects_project", "UPPER(acronym::text)"),
    ("organisation_name_trgm", "registry_organisation", "UPPER(name::text)"),
    ("organisation_short_name_trgm", "registry_organisation", "UPPER(short_name::text)"),
    ("organisation_city_trgm", "registry_organisation", "UPPER(city::text)"),
    ("organisation_vat_trgm", "registry_organisation", "UPPER(vat::text)"),
    ("organisation_normalised_trgm", "registry_organisation", "(normalised_name::text)"),
    ("region_code_trgm", "regions_region", "UPPER(code::text)"),
    ("region_name_latn_trgm", "regions_region", "UPPER(name_latn::text)"),
    ("region_name_trgm", "regions_region", "UPPER(name::text)"),
]


def _can_use_trigrams(cursor) -> bool:
    cursor.execute("SELECT installed_version IS NOT NULL FROM pg_available_extensions WHERE name = 'pg_trgm'")
    row = cursor.fetchone()
    if row is None:
        return False  # PostgreSQL built without its contrib modules
    if row[0]:
        return True
    cursor.execute("SELECT has_database_privilege(current_database(), 'CREATE')")
    return bool(cursor.fetchone()[0])


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if not _can_use_trigrams(cursor):
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, expression in INDEXES:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _expression in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("registry", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
