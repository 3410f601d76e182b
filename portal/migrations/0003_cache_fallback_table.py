"""The table of the database cache that stands in when Redis is down (portal.cache).

`migrate` creates it, so `make run`, CI and the containers never need a separate
`createcachetable`; the table exists whether or not a deployment uses Redis.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from portal.cache import FALLBACK_TABLE


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, FALLBACK_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(FALLBACK_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_calendarfeed")]

    operations = [migrations.RunPython(create_table, drop_table)]
