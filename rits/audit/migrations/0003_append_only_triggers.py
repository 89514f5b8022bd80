"""The database refuses UPDATE and DELETE on audit entries (see rits/audit/guard.py)."""

from django.db import migrations

from rits.audit.guard import (
    POSTGRESQL_INSTALL,
    POSTGRESQL_REMOVE,
    SQLITE_INSTALL,
    SQLITE_REMOVE,
    RunSQLFor,
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_chain_unique_previous_hash"),
    ]

    operations = [
        RunSQLFor("sqlite", SQLITE_INSTALL, SQLITE_REMOVE),
        RunSQLFor("postgresql", POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
    ]
