"""The PostgreSQL search documents become a model (same table name), so that a database
flush (TransactionTestCase, ``manage.py flush``) truncates them with the services."""

import django.db.models.deletion
from django.db import migrations, models

import rits.directory.models


def drop_raw_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS directory_service_tsv")


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX directory_service_tsv_gin ON directory_service_tsv USING gin (document)"
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_themes")]

    operations = [
        migrations.RunPython(drop_raw_table, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ServiceSearchVector",
            fields=[
                (
                    "service",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="directory.service",
                    ),
                ),
                ("document", rits.directory.models.TsVectorField()),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "db_table": "directory_service_tsv",
            },
        ),
        migrations.RunPython(create_gin_index, migrations.RunPython.noop),
    ]
