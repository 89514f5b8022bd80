"""The table of Django's database cache, where every worker counts the rate limits
(settings.CACHES["default"]); nothing is made when REDIS_URL names a Redis server."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_fewer_index_writes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
