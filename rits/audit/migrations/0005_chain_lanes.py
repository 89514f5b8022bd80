"""Parallel chain lanes: every existing entry is in lane 0, which hashes as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_fewer_index_writes"),
    ]

    # The column is added with plain ALTER TABLE: the state's AddField would make SQLite
    # copy the whole trail (and drop its append-only triggers with the old table).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="entry",
                    name="lane",
                    field=models.SmallIntegerField(default=0, verbose_name="chain lane"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE audit_entry ADD COLUMN lane smallint NOT NULL DEFAULT 0",
                    reverse_sql="ALTER TABLE audit_entry DROP COLUMN lane",
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(fields=["lane", "id"], name="audit_lane_id"),
        ),
    ]
