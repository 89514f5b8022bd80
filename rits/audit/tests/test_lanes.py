"""Chain lanes: writers in different lanes do not wait for each other, and the verifier
still finds a changed, removed or inserted entry in any lane and says which."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from datetime import UTC
from io import StringIO
from typing import Any
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test import TestCase, TransactionTestCase, override_settings

from rits.audit import services
from rits.audit.chain import GAP, verify_chain
from rits.audit.models import GENESIS_HASH, Entry, genesis_hash
from rits.audit.services import anchor, record
from rits.audit.tests.helpers import drop_guard, raw


def in_lane(lane: int, label: str) -> Entry:
    """One entry appended to the given lane, as a writer that found it free would."""
    with mock.patch.object(services, "_take_lane", return_value=lane):
        return record(None, "audit.chain_verified", object_label=label)


def interleaved() -> dict[int, list[Entry]]:
    """Entries of lanes 0, 1 and 2 taking turns, so that every lane has other lanes'
    ids between its own."""
    lanes: dict[int, list[Entry]] = {0: [], 1: [], 2: []}
    for n in range(4):
        for lane in lanes:
            lanes[lane].append(in_lane(lane, f"lane {lane} entry {n}"))
    return lanes


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit_chain", *args, stdout=out, stderr=out)
    return out.getvalue()


@override_settings(RITS_AUDIT_LANES=4)
class LaneVerificationTest(TestCase):
    def setUp(self) -> None:
        self.lanes = interleaved()

    def broken(self) -> tuple[int, str, str]:
        report = verify_chain(chunk_size=3)
        assert report.broken is not None, "the chain should be broken"
        return report.broken.entry_id, report.broken.reason, report.broken.detail

    def test_each_lane_starts_from_its_own_genesis_hash(self) -> None:
        self.assertEqual(self.lanes[0][0].previous_hash, GENESIS_HASH)
        self.assertEqual(self.lanes[1][0].previous_hash, genesis_hash(1))
        self.assertNotEqual(genesis_hash(1), genesis_hash(2))
        for entries in self.lanes.values():
            for before, after in itertools.pairwise(entries):
                self.assertEqual(after.previous_hash, before.entry_hash)

    def test_it_passes_intact_lanes_and_names_every_head(self) -> None:
        report = verify_chain(chunk_size=3)

        self.assertTrue(report.intact)
        self.assertEqual(report.verified, 12)
        self.assertEqual(
            report.heads, {lane: (e[-1].pk, e[-1].entry_hash) for lane, e in self.lanes.items()}
        )
        output = verify()
        self.assertIn("Audit chain intact: 12 entries verified.", output)
        self.assertIn(f"lane 2 #{self.lanes[2][-1].pk} {self.lanes[2][-1].entry_hash}", output)

    def test_lane_zero_hashes_as_the_single_chain_did(self) -> None:
        entry = self.lanes[0][1]
        content: dict[str, Any] = {"v": 1}
        for name in (*Entry.HASHED_FIELDS, "previous_hash"):
            content[name] = getattr(entry, name)
        content["occurred_at"] = entry.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

        self.assertEqual(entry.entry_hash, hashlib.sha256(canonical.encode()).hexdigest())

    def test_it_finds_an_entry_moved_to_another_lane(self) -> None:
        drop_guard()
        moved = self.lanes[1][2]
        raw("UPDATE audit_entry SET lane = 3 WHERE id = %s", [moved.pk])

        self.assertEqual(self.broken()[:2], (moved.pk, "content changed"))

    def test_it_finds_a_changed_entry_in_a_lane(self) -> None:
        drop_guard()
        changed = self.lanes[2][1]
        raw("UPDATE audit_entry SET object_label = 'x' WHERE id = %s", [changed.pk])

        self.assertEqual(self.broken()[:2], (changed.pk, "content changed"))

    def test_it_finds_an_entry_removed_from_between_other_lanes_entries(self) -> None:
        drop_guard()
        removed = self.lanes[1][1]
        raw("DELETE FROM audit_entry WHERE id = %s", [removed.pk])

        entry_id, reason, detail = self.broken()
        self.assertEqual((entry_id, reason), (self.lanes[1][2].pk, GAP))
        self.assertIn(f"of lane 1 between #{self.lanes[1][0].pk} and #{entry_id}", detail)

    def test_it_finds_a_removed_first_entry_of_a_lane(self) -> None:
        drop_guard()
        raw("DELETE FROM audit_entry WHERE id = %s", [self.lanes[2][0].pk])

        entry_id, reason, detail = self.broken()
        self.assertEqual((entry_id, reason), (self.lanes[2][1].pk, GAP))
        self.assertIn("first entry of lane 2 does not start from the genesis hash", detail)

    def test_it_finds_an_entry_rewritten_with_a_fresh_hash(self) -> None:
        drop_guard()
        forged = Entry.objects.get(pk=self.lanes[1][1].pk)
        forged.object_label = "rewritten"
        raw(
            "UPDATE audit_entry SET object_label = %s, entry_hash = %s WHERE id = %s",
            [forged.object_label, forged.compute_hash(), forged.pk],
        )

        entry_id, reason, detail = self.broken()
        self.assertEqual((entry_id, reason), (self.lanes[1][2].pk, "previous hash mismatch"))
        self.assertIn(f"#{forged.pk}", detail)

    def test_it_finds_an_entry_appended_with_a_made_up_predecessor(self) -> None:
        forged = Entry(
            event="audit.chain_verified",
            object_label="forged",
            lane=1,
            previous_hash=hashlib.sha256(b"made up").hexdigest(),
            occurred_at=self.lanes[1][-1].occurred_at,
        )
        forged.entry_hash = forged.compute_hash()
        forged.save(force_insert=True)

        entry_id, reason, _detail = self.broken()
        self.assertEqual(entry_id, forged.pk)
        self.assertIn(reason, ("previous hash mismatch", "gap where entries were removed"))

    def test_an_anchor_finds_the_end_of_a_lane_removed(self) -> None:
        anchored = anchor()
        self.assertEqual(anchored.event, "audit.chain_anchored")
        self.assertEqual(
            anchored.data["heads"]["1"], [self.lanes[1][-1].pk, self.lanes[1][-1].entry_hash]
        )
        in_lane(0, "after the anchor")
        self.assertTrue(verify_chain().intact)
        drop_guard()
        raw("DELETE FROM audit_entry WHERE id = %s", [self.lanes[1][-1].pk])

        entry_id, reason, detail = self.broken()
        self.assertEqual((entry_id, reason), (anchored.pk, "anchored head missing"))
        self.assertIn(f"names entry #{self.lanes[1][-1].pk} as the head of lane 1", detail)
        with self.assertRaises(CommandError) as caught:
            verify()
        self.assertIn(f"BROKEN at entry #{anchored.pk} ", str(caught.exception))

    def test_the_anchor_command_anchors_every_lane(self) -> None:
        out = StringIO()
        call_command("anchor_audit_chain", stdout=out)

        entry = Entry.objects.order_by("-id").first()
        assert entry is not None
        self.assertEqual(entry.event, "audit.chain_anchored")
        self.assertEqual(entry.channel, "command")
        self.assertEqual(sorted(entry.data["heads"]), ["0", "1", "2"])
        self.assertIn(f"Anchored 3 lanes in entry #{entry.pk}", out.getvalue())


class InsertedEntryTest(TestCase):
    def test_it_names_an_entry_put_between_two_of_its_lane(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite cannot drop the unique index that forbids this insert")
        entries = [in_lane(1, f"entry {n}") for n in range(3)]
        drop_guard()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_entry'::regclass "
                "AND contype = 'u' AND pg_get_constraintdef(oid) LIKE '%%(previous_hash)%%'"
            )
            (name,) = cursor.fetchone()
            cursor.execute(f'ALTER TABLE audit_entry DROP CONSTRAINT "{name}"')
        # Between entries 0 and 1: same predecessor as entry 1, an id between theirs.
        raw("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), %s)", [entries[0].pk])
        raw("UPDATE audit_entry SET id = id + 1000 WHERE id > %s", [entries[0].pk])
        forged = Entry(
            event="audit.chain_verified",
            object_label="inserted",
            lane=1,
            previous_hash=entries[0].entry_hash,
            occurred_at=entries[0].occurred_at,
        )
        forged.entry_hash = forged.compute_hash()
        forged.save(force_insert=True)

        report = verify_chain()

        assert report.broken is not None
        self.assertEqual(report.broken.entry_id, forged.pk)
        self.assertEqual(report.broken.reason, "entry inserted")
        self.assertIn(f"same predecessor (#{entries[0].pk})", report.broken.detail)


class WritersDoNotWaitTest(TransactionTestCase):
    available_apps = ["rits.audit"]

    def test_a_second_writer_takes_another_lane_while_the_first_is_open(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("SQLite has one writer at a time; every entry is in lane 0")
        holding, release = threading.Event(), threading.Event()
        first: list[Entry] = []

        def hold_a_lane() -> None:
            try:
                with transaction.atomic():
                    first.append(record(None, "audit.chain_verified", object_label="first"))
                    holding.set()
                    release.wait(10)
            finally:
                connections.close_all()

        thread = threading.Thread(target=hold_a_lane)
        thread.start()
        try:
            self.assertTrue(holding.wait(10))
            # Under one chain lock this would wait for the first transaction's commit.
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
            second = record(None, "audit.chain_verified", object_label="second")
        finally:
            release.set()
            thread.join()
        self.assertEqual(first[0].lane, 0)
        self.assertNotEqual(second.lane, first[0].lane)
        self.assertEqual(second.previous_hash, genesis_hash(second.lane))
        self.assertTrue(verify_chain().intact)
