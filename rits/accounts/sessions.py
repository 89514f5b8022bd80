"""Sessions in the database, as Django's own engine keeps them, read in one plain
statement: every signed-in request loads its session first (see rits.lib.plain_sql)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from rits.lib import plain_sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        alias = router.db_for_read(self.model)
        found = plain_sql.first(
            self.model,
            f"SELECT * FROM {self.model._meta.db_table} "  # noqa: S608
            "WHERE session_key = %s AND expire_date > %s",
            [self.session_key, connections[alias].ops.adapt_datetimefield_value(timezone.now())],
            using=alias,
        )
        if found is None:  # unknown or expired: the next save starts a new session
            self._session_key = None
        return found
