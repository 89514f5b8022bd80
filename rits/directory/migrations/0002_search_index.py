"""The full-text index beside the service table: FTS5 on SQLite, a tsvector with a GIN
index ('dutch' configuration) on PostgreSQL (since 0004 a model, ServiceSearchVector).
``rits.directory.search.reindex`` keeps it in sync; both are keyed by the service id."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE directory_service_fts USING fts5("
    "name, themes, body, facets, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
# Name matches weigh most, then themes, then the rest; facets (filter tokens such as
# "gm0917") do not count. ``ORDER BY rank`` uses this.
SQLITE_RANK = (
    "INSERT INTO directory_service_fts (directory_service_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.0)')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS directory_service_fts"
PG_CREATE = [
    "CREATE TABLE directory_service_tsv ("
    " service_id bigint PRIMARY KEY REFERENCES directory_service (id)"
    " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL)",
    "CREATE INDEX directory_service_tsv_gin ON directory_service_tsv USING gin (document)",
]
PG_DROP = "DROP TABLE IF EXISTS directory_service_tsv"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(SQLITE_CREATE)
        schema_editor.execute(SQLITE_RANK)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    else:
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
