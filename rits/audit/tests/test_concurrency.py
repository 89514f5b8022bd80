"""Concurrent writers must still produce straight chains, one per lane, with no fork."""

from __future__ import annotations

import threading

from django.db import connection, connections
from django.test import TransactionTestCase

from rits.audit.chain import verify_chain
from rits.audit.models import Entry, genesis_hash
from rits.audit.services import record

THREADS = 8
RECORDS_PER_THREAD = 25


class ConcurrentWritersTest(TransactionTestCase):
    # Only the trail is written and flushed afterwards, which also keeps this test
    # independent of other apps' tables.
    available_apps = ["rits.audit"]

    def _write(self, errors: list[BaseException], start: threading.Barrier) -> None:
        try:
            start.wait()
            for n in range(RECORDS_PER_THREAD):
                record(None, "audit.chain_verified", data={"thread": threading.get_ident(), "n": n})
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def test_it_keeps_each_lane_one_chain_under_concurrent_writers(self) -> None:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
            self.skipTest("needs a file-based SQLite test database (TEST NAME)")
        errors: list[BaseException] = []
        start = threading.Barrier(THREADS)
        threads = [
            threading.Thread(target=self._write, args=(errors, start)) for _ in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        self.assertEqual(errors, [])
        rows = list(Entry.objects.order_by("id").values_list("lane", "previous_hash", "entry_hash"))
        self.assertEqual(len(rows), THREADS * RECORDS_PER_THREAD)
        expected: dict[int, str] = {}
        for lane, previous_hash, entry_hash in rows:
            self.assertEqual(previous_hash, expected.get(lane, genesis_hash(lane)))
            expected[lane] = entry_hash
        self.assertEqual(len({p for _, p, _ in rows}), len(rows))
        if connection.vendor == "postgresql":
            # Writers that met spread over lanes instead of waiting for one another.
            self.assertGreater(len(expected), 1)
        else:
            self.assertEqual(set(expected), {0})
        self.assertTrue(verify_chain().intact)
