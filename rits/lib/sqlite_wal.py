"""SQLite in a server: the write-ahead log is copied back by a background thread.

In WAL mode SQLite appends every committed page to the ``-wal`` file and, by default,
the connection whose commit makes the log pass 1,000 pages copies it back into the
database file and syncs it ("checkpoint"). That request then takes 10 ms or more
instead of one: about one write request in sixty on the family plan page, where the
audit entry alone writes some fifteen pages.

``start_checkpointer`` (called by ``rits.wsgi`` when the database is SQLite) runs that
copy in a daemon thread of its own, with its own connection, every
``RITS_SQLITE_CHECKPOINT_SECONDS`` (1 s): a PASSIVE checkpoint, which never waits for
readers or writers. The server's own connections keep SQLite's automatic checkpoint as
a safety net, set much higher (``SAFETY_NET_PAGES``), so that a request checkpoints only
if the thread cannot keep up. Python's sqlite3 releases the GIL while SQLite works, so
the copy and its sync do not stall requests.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

SAFETY_NET_PAGES = 10_000  # about 40 MB of log before a request checkpoints itself


def _raise_safety_net(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")


def checkpoint(path: str) -> tuple[int, int, int]:
    """One PASSIVE checkpoint of the database at ``path``: (busy, log frames, frames
    copied back), as SQLite reports them."""
    with sqlite3.connect(path, timeout=1) as db:
        row = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def start_checkpointer(
    alias: str = "default", seconds: float | None = None
) -> threading.Event | None:
    """Checkpoint the SQLite database ``alias`` from a daemon thread until the returned
    event is set; None (and nothing started) for any other database."""
    if connections[alias].vendor != "sqlite":
        return None
    path = str(settings.DATABASES[alias]["NAME"])
    interval = seconds if seconds is not None else settings.RITS_SQLITE_CHECKPOINT_SECONDS
    connection_created.connect(_raise_safety_net, dispatch_uid="rits-sqlite-wal-safety-net")
    if connections[alias].connection is not None:  # already open: raise it there too
        _raise_safety_net(None, connections[alias])
    stop = threading.Event()

    def run() -> None:
        db = sqlite3.connect(path, timeout=1, check_same_thread=False, isolation_level=None)
        try:
            while not stop.wait(interval):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error:  # busy or gone: the next round tries again
                    log.warning("SQLite checkpoint failed", exc_info=True)
        finally:
            db.close()

    threading.Thread(target=run, name="rits-sqlite-checkpoint", daemon=True).start()
    return stop
