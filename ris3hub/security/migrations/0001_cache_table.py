"""The table of the database cache (ris3hub.security.caches), made by `migrate` like every other
table, so that `ris3hub demo`, `serve` and the tests need no separate `createcachetable` step.
It is made whichever cache RIS3HUB_CACHE_URL names today, so switching back to the default works."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from ris3hub.security.caches import DATABASE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, DATABASE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(DATABASE_TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
