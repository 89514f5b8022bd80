"""What the audit tests share: a few entries, and tampering as a database administrator."""

from __future__ import annotations

from typing import Any

from django.db import connection

from rits.audit import guard
from rits.audit.models import Entry
from rits.audit.services import record


def make_entries(count: int) -> list[Entry]:
    return [
        record(None, "audit.chain_verified", object_label=f"entry {n}", data={"n": n})
        for n in range(count)
    ]


def drop_guard() -> None:
    """Remove the append-only triggers with raw SQL, as someone with DBA rights could.

    Inside a TestCase this is rolled back with everything else (DDL is transactional
    on both SQLite and PostgreSQL).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {guard.TABLE} DISABLE TRIGGER {guard.POSTGRESQL_TRIGGER}")
        else:
            for name in guard.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")


def raw(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount
