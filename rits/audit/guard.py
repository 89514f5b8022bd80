"""The database's own refusal to change or delete audit entries.

The ORM guards in ``models.py`` stop honest code; these triggers stop anyone with a
plain database connection who is not allowed to alter the schema. A database
administrator can still drop them, which ``verify_audit_chain`` then detects
through the hash chain (and reports the guard as missing).

SQLite: one trigger per operation with ``RAISE(ABORT, ...)``. The delete trigger
lets only the *oldest* entry go: removing entries oldest-first is what a retention
purge does and what Django's ``flush`` (``TransactionTestCase``, live-server tests)
does, and a removed head is still reported by the verifier, because the first
remaining entry then no longer starts from the genesis hash.

PostgreSQL: one trigger function that raises for every UPDATE and DELETE. ``flush``
uses TRUNCATE there, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_entry"
SQLITE_TRIGGERS = ("audit_entry_no_update", "audit_entry_no_delete")
POSTGRESQL_TRIGGER = "audit_entry_append_only"

SQLITE_INSTALL = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
    WHEN EXISTS (SELECT 1 FROM audit_entry AS older WHERE older.id < OLD.id)
    BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    """
    CREATE OR REPLACE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
]


class RunSQLFor(migrations.RunSQL):
    """RunSQL that runs only on one database vendor ("sqlite", "postgresql")."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any = None, **kwargs: Any) -> None:
        super().__init__(sql, reverse_sql, **kwargs)
        self.vendor = vendor

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, *args)


def missing_guards(connection: BaseDatabaseWrapper) -> list[str]:
    """Names of the append-only triggers that are absent or disabled on this database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            present = {row[0] for row in cursor.fetchall()}
            return [name for name in SQLITE_TRIGGERS if name not in present]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                [POSTGRESQL_TRIGGER, TABLE],
            )
            row = cursor.fetchone()
            return [] if row is not None and row[0] != "D" else [POSTGRESQL_TRIGGER]
    return []


def install(connection: BaseDatabaseWrapper) -> list[str]:
    """(Re)create missing triggers and return their names.

    On SQLite, a migration that rebuilds ``audit_entry`` (most field changes do)
    drops its triggers with the old table; running this after every ``migrate``
    puts them back.
    """
    missing = missing_guards(connection)
    if not missing:
        return []
    statements = {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRESQL_INSTALL}.get(
        connection.vendor, []
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return missing
