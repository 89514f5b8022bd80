"""The full-text index of the knowledge search beside ``SearchDocument``: FTS5 on
SQLite, a tsvector with a GIN index on PostgreSQL, both keyed by the document's id and
filled with Snowball Dutch stems by ``rits.knowledge.search`` (the social map's
stemming, so both searches read words alike)."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
SQLITE_RANK = "INSERT INTO knowledge_fts (knowledge_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)')"
PG_CREATE = [
    "CREATE TABLE knowledge_tsv ("
    " document_id bigint PRIMARY KEY REFERENCES knowledge_searchdocument (id)"
    " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
    " document tsvector NOT NULL)",
    "CREATE INDEX knowledge_tsv_gin ON knowledge_tsv USING gin (document)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(SQLITE_CREATE)
        schema_editor.execute(SQLITE_RANK)


def drop(apps, schema_editor):
    table = "knowledge_tsv" if schema_editor.connection.vendor == "postgresql" else "knowledge_fts"
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
