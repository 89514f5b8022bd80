"""Configuration the chain lock in ``services._lock_chain`` relies on."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.db import connections


@register("database")
def check_chain_lock(databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SQLite must begin transactions IMMEDIATE; PostgreSQL must stay READ COMMITTED."""
    messages: list[CheckMessage] = []
    connection = connections["default"]
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor == "sqlite" and options.get("transaction_mode") != "IMMEDIATE":
        messages.append(
            Warning(
                "SQLite transactions do not start IMMEDIATE; concurrent audit writers "
                "will fail with 'database is locked' instead of waiting their turn.",
                hint="Set DATABASES['default']['OPTIONS']['transaction_mode'] = 'IMMEDIATE'.",
                id="rits.audit.W001",
            )
        )
    if connection.vendor == "postgresql":
        from psycopg import IsolationLevel

        level = options.get("isolation_level")
        if level is not None and level != IsolationLevel.READ_COMMITTED:
            messages.append(
                Warning(
                    "PostgreSQL isolation is not READ COMMITTED; an audit writer that "
                    "waited for the chain lock may read a stale last hash and fail.",
                    hint="Leave DATABASES['default']['OPTIONS']['isolation_level'] unset.",
                    id="rits.audit.W002",
                )
            )
    return messages
