"""The background checkpointer copies SQLite's write-ahead log back, so no request
has to (rits/lib/sqlite_wal.py)."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.test import TransactionTestCase

from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib import sqlite_wal
from rits.testing import CommittedData


def wal_db(folder: str) -> tuple[str, sqlite3.Connection]:
    """A WAL database with 2,000 pages in its log and no automatic checkpoint; the
    connection stays open (closing the last one would checkpoint)."""
    path = str(Path(folder) / "wal.sqlite3")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE t (x TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,) for _ in range(2000)])
    return path, db


def log_index(shm: Path) -> tuple[int, int]:
    """(frames in the log, frames copied back) from the log's index file: mxFrame at
    byte 16 of the header, nBackfill at byte 96 (SQLite's WAL format, native order)."""
    head = shm.read_bytes()[:100]
    return int.from_bytes(head[16:20], sys.byteorder), int.from_bytes(head[96:100], sys.byteorder)


class CheckpointTests(CommittedData, TransactionTestCase):
    def test_a_checkpoint_copies_the_whole_log_back(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path, db = wal_db(folder)
            try:
                size = Path(path).stat().st_size
                busy, frames, copied = sqlite_wal.checkpoint(path)
                self.assertEqual(busy, 0)
                self.assertGreater(frames, 2000)
                self.assertEqual(copied, frames)
                self.assertGreater(Path(path).stat().st_size, size + 2000 * 4000)
            finally:
                db.close()

    def test_the_thread_keeps_the_log_of_the_server_database_copied_back(self) -> None:
        stop = sqlite_wal.start_checkpointer(seconds=0.05)
        if connection.vendor != "sqlite":
            self.assertIsNone(stop)
            return
        assert stop is not None
        try:
            connection.close()  # the next connection gets the raised safety net
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_autocheckpoint")
                self.assertEqual(cursor.fetchone()[0], sqlite_wal.SAFETY_NET_PAGES)
            shm = Path(f"{connection.settings_dict['NAME']}-shm")
            for _ in range(200):
                record(None, "accounts.login_failed")
            # The server's own connections would wait for 10,000 pages: only the thread
            # copies these frames back. Reading the log's index does not checkpoint.
            deadline = time.monotonic() + 10
            frames, copied = log_index(shm)
            while (frames == 0 or copied < frames) and time.monotonic() < deadline:
                time.sleep(0.05)
                frames, copied = log_index(shm)
            self.assertGreater(frames, 0)
            self.assertEqual(copied, frames)
            self.assertEqual(Entry.objects.count(), 200)
        finally:
            stop.set()
