"""PostgreSQL: statistics on the pseudonym keys' expressions.

The key indexes hold active or ended signals only (partial indexes), and PostgreSQL's
planner ignores the statistics of a partial index. Without statistics of its own on
``SUBSTRING(pseudonym, 1, 16)`` it guessed some 900 rows per key and read the whole
table for an import batch of 450 keys (400 ms at 460,000 signals, instead of a few).
SQLite has no such statistics; its queries name their index instead.
"""

from django.db import migrations

COLUMNS = ("youth_pseudonym", "parent1_pseudonym", "parent2_pseudonym")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS signal_{column[:-10]}_key_stats "
            f"ON (SUBSTRING({column}, 1, 16)) FROM involvement_signal"
        )
    schema_editor.execute("ANALYZE involvement_signal")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP STATISTICS IF EXISTS signal_{column[:-10]}_key_stats")


class Migration(migrations.Migration):
    dependencies = [("involvement", "0006_key_indexes_per_status")]

    operations = [migrations.RunPython(create, drop)]
