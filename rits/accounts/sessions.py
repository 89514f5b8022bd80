"""Sessions in the database, as Django's own engine keeps them, read in one plain
statement: every signed-in request loads its session first, and through the ORM the
lookup costs several times as much, almost all of it compiling the query (measured by
the family plan benchmark)."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        alias = router.db_for_read(model)
        table = model._meta.db_table
        found = next(
            iter(
                model.objects.using(alias).raw(
                    f"SELECT * FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                    [
                        self.session_key,
                        connections[alias].ops.adapt_datetimefield_value(timezone.now()),
                    ],
                )
            ),
            None,
        )
        if found is None:  # unknown or expired: the next save starts a new session
            self._session_key = None
        return found
