"""The trail is append-only in the ORM and in the database itself."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from rits.audit import guard
from rits.audit.models import AppendOnlyError, Entry
from rits.audit.tests.helpers import drop_guard, make_entries, raw


class DatabaseGuardTest(TestCase):
    def setUp(self) -> None:
        self.entries = make_entries(3)

    def test_the_database_refuses_an_update(self) -> None:
        with self.assertRaisesMessage(IntegrityError, "append-only"), transaction.atomic():
            raw("UPDATE audit_entry SET outcome = 'denied' WHERE id = %s", [self.entries[1].pk])

        self.assertEqual(Entry.objects.get(pk=self.entries[1].pk).outcome, "success")

    def test_the_database_refuses_deleting_an_entry_in_the_middle(self) -> None:
        with self.assertRaisesMessage(IntegrityError, "append-only"), transaction.atomic():
            raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[1].pk])

        self.assertEqual(Entry.objects.count(), 3)

    def test_the_database_refuses_deleting_the_newest_entry(self) -> None:
        with self.assertRaisesMessage(IntegrityError, "append-only"), transaction.atomic():
            raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[-1].pk])

        self.assertEqual(Entry.objects.count(), 3)

    def test_emptying_the_table_is_refused_or_only_the_oldest_entry_goes(self) -> None:
        """PostgreSQL refuses every DELETE. SQLite lets entries go oldest first, because
        Django's test flush empties tables with DELETE (see rits/audit/guard.py); a
        removed oldest entry is still reported as a gap by verify_audit_chain."""
        if connection.vendor == "postgresql":
            with self.assertRaisesMessage(IntegrityError, "append-only"), transaction.atomic():
                raw("DELETE FROM audit_entry")
            self.assertEqual(Entry.objects.count(), 3)
            return
        deleted = raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[0].pk])

        self.assertEqual(deleted, 1)
        with self.assertRaisesMessage(IntegrityError, "append-only"), transaction.atomic():
            raw("DELETE FROM audit_entry WHERE id = %s", [self.entries[2].pk])
        self.assertEqual(Entry.objects.count(), 2)

    def test_dropping_the_triggers_is_seen_and_migrate_restores_them(self) -> None:
        self.assertEqual(guard.missing_guards(connection), [])
        drop_guard()
        self.assertNotEqual(guard.missing_guards(connection), [])

        restored = guard.install(connection)

        self.assertNotEqual(restored, [])
        self.assertEqual(guard.missing_guards(connection), [])
        with self.assertRaises(IntegrityError), transaction.atomic():
            raw("UPDATE audit_entry SET outcome = 'denied'")


class OrmGuardTest(TestCase):
    def setUp(self) -> None:
        self.entry = make_entries(1)[0]

    def test_it_refuses_to_save_an_existing_entry(self) -> None:
        self.entry.outcome = Entry.Outcome.DENIED
        with self.assertRaises(AppendOnlyError):
            self.entry.save()

    def test_it_refuses_to_delete_an_entry(self) -> None:
        with self.assertRaises(AppendOnlyError):
            self.entry.delete()

    def test_it_refuses_queryset_update_and_delete(self) -> None:
        with self.assertRaises(AppendOnlyError):
            Entry.objects.filter(pk=self.entry.pk).update(outcome=Entry.Outcome.DENIED)
        with self.assertRaises(AppendOnlyError):
            Entry.objects.all().delete()

    def test_it_refuses_bulk_update(self) -> None:
        self.entry.outcome = Entry.Outcome.DENIED
        with self.assertRaises(AppendOnlyError):
            Entry.objects.bulk_update([self.entry], ["outcome"])
        self.assertEqual(Entry.objects.get().outcome, Entry.Outcome.SUCCESS)

    def test_it_refuses_entries_that_bypass_record(self) -> None:
        with self.assertRaises(AppendOnlyError):
            Entry.objects.create(event="audit.chain_verified", previous_hash="x", entry_hash="y")
        with self.assertRaises(AppendOnlyError):
            Entry.objects.bulk_create([Entry(event="audit.chain_verified")])
        self.assertEqual(Entry.objects.count(), 1)
