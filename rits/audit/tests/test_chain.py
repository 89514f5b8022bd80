"""verify_audit_chain: an intact chain passes; tampering is found at its first entry."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from rits.audit.chain import verify_chain
from rits.audit.models import Entry
from rits.audit.tests.helpers import drop_guard, make_entries, raw


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit_chain", *args, "--chunk-size", "2", stdout=out, stderr=out)
    return out.getvalue()


class VerifyAuditChainTest(TestCase):
    def setUp(self) -> None:
        self.entries = make_entries(5)

    def assert_broken_at(self, entry: Entry, reason: str, *args: str) -> str:
        with self.assertRaises(CommandError) as caught:
            verify(*args)
        message = str(caught.exception)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn(f"BROKEN at entry #{entry.pk} ", message)
        self.assertIn(reason, message)
        return message

    def test_it_passes_an_intact_chain(self) -> None:
        output = verify()

        self.assertIn("Audit chain intact: 5 entries verified.", output)
        self.assertIn(f"Head: #{self.entries[-1].pk} {self.entries[-1].entry_hash}", output)

    def test_it_audits_each_verification(self) -> None:
        verify()

        entry = Entry.objects.get(pk=self.entries[-1].pk + 1)
        self.assertEqual(entry.event, "audit.chain_verified")
        self.assertEqual(entry.outcome, Entry.Outcome.SUCCESS)
        self.assertEqual(entry.channel, "command")
        self.assertEqual(entry.data["verified"], 5)

    def test_it_detects_a_row_changed_with_raw_sql(self) -> None:
        drop_guard()
        changed = raw(
            "UPDATE audit_entry SET object_label = %s WHERE id = %s",
            ["nothing", self.entries[2].pk],
        )
        self.assertEqual(changed, 1)

        message = self.assert_broken_at(self.entries[2], "content changed")
        self.assertIn("(2 entries verified before it)", message)

    def test_it_detects_a_row_deleted_with_raw_sql(self) -> None:
        drop_guard()
        raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[2].pk])

        message = self.assert_broken_at(self.entries[3], "gap where entries were removed")
        self.assertIn(f"between #{self.entries[1].pk} and #{self.entries[3].pk}", message)

    def test_it_detects_a_removed_first_entry(self) -> None:
        drop_guard()
        raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[0].pk])

        message = self.assert_broken_at(self.entries[1], "gap where entries were removed")
        self.assertIn("does not start from the genesis hash", message)

    def test_it_detects_an_entry_rewritten_with_a_fresh_hash(self) -> None:
        drop_guard()
        forged = Entry.objects.get(pk=self.entries[2].pk)
        forged.object_label = "rewritten"
        raw(
            "UPDATE audit_entry SET object_label = %s, entry_hash = %s WHERE id = %s",
            [forged.object_label, forged.compute_hash(), forged.pk],
        )

        self.assert_broken_at(self.entries[3], "previous hash mismatch")

    def test_it_detects_a_removed_last_entry_against_an_anchor(self) -> None:
        head = self.entries[-1].entry_hash
        drop_guard()
        raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[-1].pk])

        with self.assertRaises(CommandError) as caught:
            verify("--anchor", head)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn(f"anchor hash not found: {head}", str(caught.exception))

    def test_it_accepts_an_anchor_still_in_the_chain(self) -> None:
        output = verify("--anchor", self.entries[1].entry_hash)

        self.assertIn("Audit chain intact", output)

    def test_it_warns_when_the_append_only_triggers_are_gone(self) -> None:
        drop_guard()

        output = verify()

        self.assertIn("append-only triggers are missing or disabled", output)
        self.assertIn("Audit chain intact", output)

    def test_it_streams_in_chunks_and_stops_at_the_first_break(self) -> None:
        drop_guard()
        raw("UPDATE audit_entry SET data = %s WHERE id >= %s", ['{"n": 0}', self.entries[1].pk])

        report = verify_chain(chunk_size=1)

        self.assertEqual(report.verified, 1)
        assert report.broken is not None
        self.assertEqual(report.broken.entry_id, self.entries[1].pk)
