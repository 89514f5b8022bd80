"""record(): what is hashed is what is stored, and bad input is refused early."""

from __future__ import annotations

from django.core.checks import run_checks
from django.test import TestCase

from rits.audit import context
from rits.audit.chain import verify_chain
from rits.audit.models import GENESIS_HASH, Entry
from rits.audit.registry import UnknownEvent
from rits.audit.services import record
from rits.testing import AuditAssertions, RitsTestCase


class RecordTest(TestCase):
    def record_from(self, address: str | None, **kwargs: object) -> Entry:
        token = context.set_current(context.AccessPoint(ip_address=address, channel="web"))
        try:
            return record(None, "audit.chain_verified", **kwargs)  # type: ignore[arg-type]
        finally:
            context.reset(token)

    def test_it_chains_each_entry_to_the_one_before(self) -> None:
        first = record(None, "audit.chain_verified")
        second = record(None, "audit.chain_verified")

        self.assertEqual(first.previous_hash, GENESIS_HASH)
        self.assertEqual(second.previous_hash, first.entry_hash)
        self.assertEqual(Entry.objects.get(pk=second.pk).compute_hash(), second.entry_hash)

    def test_it_stores_ipv6_addresses_as_the_database_returns_them(self) -> None:
        entry = self.record_from("2001:0DB8:0000:0000:0000:0000:0000:0001")

        stored = Entry.objects.get(pk=entry.pk)
        self.assertEqual(stored.ip_address, "2001:db8::1")
        self.assertEqual(stored.compute_hash(), stored.entry_hash)

    def test_an_unparseable_address_does_not_break_the_action(self) -> None:
        entry = self.record_from("unknown, 10.0.0.1")

        self.assertIsNone(Entry.objects.get(pk=entry.pk).ip_address)

    def test_details_hash_the_same_after_the_database_round_trip(self) -> None:
        self.record_from(None, data={2: "two", 10: "ten", "list": ("a", "b")})

        self.assertTrue(verify_chain().intact)

    def test_it_refuses_unregistered_events_and_unknown_values(self) -> None:
        with self.assertRaises(UnknownEvent):
            record(None, "audit.made_up")
        with self.assertRaises(ValueError):
            record(None, "audit.chain_verified", outcome="maybe")
        with self.assertRaises(ValueError):
            record(None, "audit.chain_verified", purpose="curiosity")
        self.assertEqual(Entry.objects.count(), 0)

    def test_it_rolls_back_with_the_change_it_describes(self) -> None:
        from django.db import transaction

        with self.assertRaises(RuntimeError), transaction.atomic():
            record(None, "audit.chain_verified")
            raise RuntimeError("the change failed")

        self.assertEqual(Entry.objects.count(), 0)


class ChainLockCheckTest(TestCase):
    def test_it_warns_when_the_database_would_not_serialise_audit_writers(self) -> None:
        """SQLite must begin transactions IMMEDIATE; PostgreSQL must stay READ COMMITTED."""
        from django.db import connection

        options = connection.settings_dict["OPTIONS"]
        wrong: object
        if connection.vendor == "sqlite":
            key, wrong, expected_id = "transaction_mode", "DEFERRED", "rits.audit.W001"
        else:
            from psycopg import IsolationLevel

            key, wrong, expected_id = (
                "isolation_level",
                IsolationLevel.SERIALIZABLE,
                "rits.audit.W002",
            )
        missing = object()
        saved = options.get(key, missing)
        options[key] = wrong
        try:
            ids = [message.id for message in run_checks(databases=["default"])]
        finally:
            if saved is missing:
                options.pop(key)
            else:
                options[key] = saved
        self.assertIn(expected_id, ids)
        self.assertNotIn(expected_id, [m.id for m in run_checks(databases=["default"])])


class AssertAuditedTest(AuditAssertions, RitsTestCase):
    def test_it_finds_the_entry_by_actor_subject_and_details(self) -> None:
        record(self.professional, "audit.chain_verified", subject="p-1", data={"verified": 3})

        entry = self.assert_audited(
            "audit.chain_verified", actor=self.professional, subject="p-1", verified=3
        )

        self.assertEqual(entry.subject, "p-1")

    def test_it_fails_when_the_trail_lacks_the_entry(self) -> None:
        record(self.professional, "audit.chain_verified", data={"verified": 3})

        with self.assertRaises(AssertionError):
            self.assert_audited("audit.chain_verified", actor=self.outsider)
        with self.assertRaises(AssertionError):
            self.assert_audited("audit.chain_verified", verified=4)
