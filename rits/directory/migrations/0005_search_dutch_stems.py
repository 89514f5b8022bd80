"""The search index holds Snowball's Dutch stems since this release, on both databases
(PostgreSQL with the 'simple' configuration): rebuild it once. The index format belongs
to ``rits.directory.search``, not to the schema, so its own code writes the rows."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from rits.directory import search

    if apps.get_model("directory", "Service").objects.exists():
        search.reindex_all()


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_search_vector_model")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
