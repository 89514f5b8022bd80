from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rits.accounts.models import Notification, User
from rits.audit.models import Entry
from rits.involvement.models import KEY_INDEXES, KEY_LENGTH, Match, Signal
from rits.involvement.services import (
    SignalInput,
    import_signals,
    register_signal,
    rights_overview,
    withdraw_signal,
)
from rits.involvement.tests.base import IndexTestCase
from rits.lib.pseudonyms import pseudonymise_bsn


class MatchingTests(IndexTestCase):
    def test_a_first_signal_has_no_match(self) -> None:
        result = self.register(self.professional, self.bsn())
        self.assertEqual(result.matches, [])
        self.assertFalse(Notification.objects.exists())

    def test_it_finds_a_client_match_across_organisations(self) -> None:
        bsn = self.bsn()
        first = self.register(self.professional, bsn).signal
        result = self.register(self.outsider, bsn)
        self.assertEqual(len(result.matches), 1)
        match = result.matches[0]
        self.assertEqual(match.kind, Match.Kind.CLIENT)
        self.assertEqual(
            set(match.members.values_list("signal_id", flat=True)), {first.pk, result.signal.pk}
        )
        # One audit entry for the registration, naming the match it found.
        entry = Entry.objects.get(
            event="involvement.signal_registered", object_id=str(result.signal.pk)
        )
        self.assertEqual(entry.data["client_matches_found"], [match.pk])

    def test_each_professional_is_told_in_their_own_language(self) -> None:
        self.outsider.preferred_language = "en"
        self.outsider.save(update_fields=["preferred_language"])
        bsn = self.bsn()
        self.register(self.professional, bsn)
        with self.captureOnCommitCallbacks(execute=True):
            self.register(self.outsider, bsn)
        titles = dict(
            Notification.objects.filter(kind="involvement.match").values_list("user", "title")
        )
        self.assertTrue(titles[self.professional.pk].startswith("Match: iemand anders is ook"))
        self.assertTrue(titles[self.outsider.pk].startswith("Match: someone else is involved"))
        english = next(m for m in mail.outbox if m.to == [self.outsider.email])
        self.assertIn("Also involved:", english.body)

    def test_it_finds_a_client_match_across_municipalities(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn, municipality=self.heerlen)
        result = self.register(self.landgraaf_worker, bsn, municipality=self.landgraaf)
        self.assertEqual([m.kind for m in result.matches], [Match.Kind.CLIENT])

    def test_it_finds_a_family_match_through_a_shared_parent(self) -> None:
        mother, father, other = self.bsn(), self.bsn(), self.bsn()
        self.register(self.professional, self.bsn(), parent_bsns=[mother, father])
        result = self.register(self.landgraaf_worker, self.bsn(), parent_bsns=[other, mother])
        self.assertEqual([m.kind for m in result.matches], [Match.Kind.FAMILY])

    def test_it_does_not_match_unrelated_youths(self) -> None:
        self.register(self.professional, self.bsn(), parent_bsns=[self.bsn()])
        result = self.register(self.outsider, self.bsn(), parent_bsns=[self.bsn()])
        self.assertEqual(result.matches, [])

    def test_a_third_professional_joins_the_open_match(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        match = self.register(self.outsider, bsn).matches[0]
        joined = self.register(self.coordinator, bsn).matches[0]
        self.assertEqual(joined.pk, match.pk)
        self.assertEqual(joined.members.count(), 3)
        self.assertEqual(Match.objects.count(), 1)

    def test_both_professionals_get_each_others_contact_details_and_only_that(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn, own_reference="DOSSIER-A")
        with self.captureOnCommitCallbacks(execute=True):
            self.register(self.outsider, bsn, own_reference="DOSSIER-B")
        to_professional = Notification.objects.get(user=self.professional)
        to_outsider = Notification.objects.get(user=self.outsider)
        self.assertIn(self.outsider.full_name, to_professional.body)
        self.assertIn(self.org_b.name, to_professional.body)
        self.assertIn(self.outsider.email, to_professional.body)
        self.assertNotIn(self.professional.email, to_professional.body)
        self.assertIn(self.professional.full_name, to_outsider.body)
        # Nothing else: not the other's own reference, birth date or the pseudonym.
        match = Match.objects.get()
        for note in (to_professional, to_outsider):
            self.assertNotIn("DOSSIER", note.body + note.title)
            self.assertNotIn(match.key, note.body)
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted([self.professional.email, self.outsider.email]),
        )

    def test_existing_members_hear_only_about_the_newcomer(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.register(self.outsider, bsn)
        Notification.objects.all().delete()
        self.register(self.coordinator, bsn)
        to_professional = Notification.objects.get(user=self.professional)
        self.assertIn(self.coordinator.full_name, to_professional.body)
        self.assertNotIn(self.outsider.full_name, to_professional.body)
        to_newcomer = Notification.objects.get(user=self.coordinator)
        self.assertIn(self.outsider.full_name, to_newcomer.body)
        self.assertIn(self.professional.full_name, to_newcomer.body)


class OneEntryAndFixedStatementsTests(IndexTestCase):
    """The match path writes one audit entry and costs the same statements however many
    professionals a match already has (no statement per member)."""

    def statements(self, user: User, bsn: str, **kw: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            result = self.register(user, bsn, **kw)
        self.assertTrue(result.matches)
        return len(queries)

    def test_joining_a_client_match_costs_the_same_for_two_or_three_members(self) -> None:
        small, large = self.bsn(), self.bsn()
        self.register(self.landgraaf_worker, self.bsn())  # loads its authorisation once
        for user in (self.professional, self.outsider):
            self.register(user, small)
        for user in (self.professional, self.outsider, self.coordinator):
            self.register(user, large)
        self.assertEqual(
            self.statements(self.coordinator, small), self.statements(self.landgraaf_worker, large)
        )

    def test_joining_a_family_match_costs_the_same_for_two_or_three_youths(self) -> None:
        small, large = self.bsn(), self.bsn()
        self.register(self.landgraaf_worker, self.bsn())
        for user in (self.professional, self.outsider):
            self.register(user, self.bsn(), parent_bsns=[small])
        for user in (self.professional, self.outsider, self.coordinator):
            self.register(user, self.bsn(), parent_bsns=[large])
        self.assertEqual(
            self.statements(self.coordinator, self.bsn(), parent_bsns=[small]),
            self.statements(self.landgraaf_worker, self.bsn(), parent_bsns=[large]),
        )

    def test_a_registration_that_joins_a_match_writes_one_audit_entry(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        match = self.register(self.outsider, bsn).matches[0]
        Match.objects.filter(pk=match.pk).update(status=Match.Status.SETTLED)
        before = Entry.objects.count()
        result = self.register(self.coordinator, bsn)
        self.assertEqual(Entry.objects.count(), before + 1)
        entry = Entry.objects.order_by("-id").first()
        assert entry is not None
        self.assertEqual(entry.event, "involvement.signal_registered")
        self.assertEqual(entry.data["client_matches_joined"], [match.pk])
        match.refresh_from_db()
        self.assertEqual(match.status, Match.Status.OPEN)
        self.assertEqual(result.matches[0].status, Match.Status.OPEN)


class SameOutcomeByHandAndByFileTests(IndexTestCase):
    """Registering one by one and importing the same rows end in the same matches, with
    the same members, and every professional hears of the same others."""

    def existing(self) -> dict[str, str]:
        people = {"y1": self.bsn(), "y2": self.bsn(), "y3": self.bsn(), "p": self.bsn()}
        people["q"] = self.bsn()
        self.register(self.outsider, people["y1"])
        self.register(self.coordinator, people["y2"], parent_bsns=[people["p"]])
        self.register(self.landgraaf_worker, people["y3"], parent_bsns=[people["p"], people["q"]])
        return people

    def rows(self, people: dict[str, str]) -> list[SignalInput]:
        r = self.bsn()
        return [
            self.data(people["y1"]),  # a client match with the outsider
            self.data(self.bsn(), parent_bsns=[people["p"]]),  # joins the family of y2 and y3
            self.data(self.bsn(), parent_bsns=[people["q"]]),  # the same family, through q
            self.data(self.bsn()),  # nobody else
            self.data(self.bsn(), parent_bsns=[r]),  # two siblings within the file
            self.data(self.bsn(), parent_bsns=[r, self.bsn()]),
        ]

    def outcome(self) -> tuple[list[Any], dict[str, set[str]]]:
        matches = sorted(
            (
                m.kind,
                m.status,
                sorted(m.members.values_list("signal__reporter__email", "signal__youth_pseudonym")),
            )
            for m in Match.objects.all()
        )
        heard: dict[str, set[str]] = {}
        for note in Notification.objects.select_related("user"):
            lines = {line for line in note.body.splitlines() if line.startswith("- ")}
            heard.setdefault(note.user.email, set()).update(lines)
        return matches, heard

    def test_a_file_ends_where_registering_one_by_one_ends(self) -> None:
        people = self.existing()
        rows = self.rows(people)

        class Undo(Exception):
            pass

        try:
            with transaction.atomic():
                for row in rows:
                    register_signal(row, actor=self.professional)
                by_hand = self.outcome()
                raise Undo
        except Undo:
            pass
        self.assertEqual(Signal.objects.count(), 3)
        import_signals(rows, actor=self.professional, batch_size=2)
        by_file = self.outcome()
        self.assertEqual(len(by_hand[0]), 3)
        self.assertEqual(by_file, by_hand)


class QueryPlanTests(IndexTestCase):
    """Every read of the signal table by pseudonym or id is an indexed search, on an
    index of pseudonym keys (``models.KEY_LENGTH``), however many values it asks for.

    SQLite plans without statistics on a fresh file. Asked for "id IN (five or more)
    AND status = 'active'", it walked the status index over every active signal (125
    ms at two million signals) instead of fetching the rows by id; the lookups by
    pseudonym therefore leave the status to the caller, except on the active youths'
    key, an index of active signals only, which SQLite is told to use (INDEXED BY).
    """

    def setUp(self) -> None:
        super().setUp()
        # Others' signals, so that PostgreSQL's statistics say what a region's do: nearly
        # every signal is active, so the status alone narrows nothing down.
        import_signals([self.data(self.bsn()) for _ in range(300)], actor=self.coordinator)

    def plans(self, queries: CaptureQueriesContext) -> list[tuple[str, str]]:
        """(plan step, statement) for every step of a statement that reads the signal
        table. PostgreSQL is told to avoid sequential scans, which it rightly prefers
        for the few rows of a test: what is checked is that an index can serve. It
        plans from statistics, which autovacuum gathers in production; here too."""
        steps = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"ANALYZE {Signal._meta.db_table}")
            explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.startswith("SELECT") or "involvement_signal" not in sql:
                    continue
                cursor.execute(f"{explain} {sql}")
                steps += [(str(step[-1]).strip(), sql[:160]) for step in cursor.fetchall()]
        return steps

    def assert_searched(self, queries: CaptureQueriesContext, *indexes: str) -> None:
        steps = self.plans(queries)
        walks = [
            (step, sql)
            for step, sql in steps
            if step.startswith(("SCAN", "Seq Scan")) or step.endswith("(status=?)")
        ]
        self.assertEqual(walks, [])
        used = " ".join(step for step, _sql in steps)
        for name in indexes:
            self.assertIn(name, used)

    def test_postgresql_keeps_statistics_on_the_keys(self) -> None:
        """It ignores a partial index's statistics: without these it guessed some 900 rows
        per key and read the whole table for an import batch (migration 0007). SQLite
        has no such statistics; its queries name their index (the tests below)."""
        if connection.vendor != "postgresql":
            self.assertEqual(connection.vendor, "sqlite")
            return
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE involvement_signal")
            cursor.execute(
                "SELECT statistics_name FROM pg_stats_ext_exprs "
                "WHERE tablename = 'involvement_signal' ORDER BY 1"
            )
            names = [row[0] for row in cursor.fetchall()]
        self.assertEqual(names, [f"signal_{f}_key_stats" for f in ("parent1", "parent2", "youth")])

    def test_registering_searches_the_youth_and_parent_keys(self) -> None:
        parent = self.bsn()
        self.register(self.professional, self.bsn(), parent_bsns=[parent])
        with CaptureQueriesContext(connection) as queries:
            result = self.register(self.outsider, self.bsn(), parent_bsns=[parent, self.bsn()])
        self.assertEqual([m.kind for m in result.matches], [Match.Kind.FAMILY])
        self.assert_searched(
            queries,
            "signal_active_youth_key",
            "signal_active_parent1_key",
            "signal_active_parent2_key",
        )

    def test_a_large_family_match_reads_its_members_by_id(self) -> None:
        parent = self.bsn()
        reporters = [self.professional, self.outsider, self.coordinator, self.landgraaf_worker]
        for user in [*reporters, self.professional]:
            self.register(user, self.bsn(), parent_bsns=[parent])
        with CaptureQueriesContext(connection) as queries:
            result = self.register(self.outsider, self.bsn(), parent_bsns=[parent])
        self.assertEqual(len(result.members[result.matches[0].pk]), 6)
        self.assert_searched(
            queries, "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "_pkey"
        )

    def test_an_import_searches_the_keys(self) -> None:
        known, parent = self.bsn(), self.bsn()
        self.register(self.outsider, known, parent_bsns=[parent])
        rows = [self.data(known), self.data(self.bsn(), parent_bsns=[parent])]
        with CaptureQueriesContext(connection) as queries:
            result = import_signals(rows, actor=self.professional)
        self.assertEqual(result.signals, 2)
        self.assert_searched(
            queries,
            "signal_active_youth_key",
            "signal_active_parent1_key",
            "signal_active_parent2_key",
        )

    def test_the_rights_overview_searches_the_keys_of_youth_and_parents(self) -> None:
        youth, parent = self.bsn(), self.bsn()
        self.register(self.professional, youth, parent_bsns=[parent])
        for bsn, role in ((youth, "youth"), (parent, "parent")):
            with self.subTest(role=role), CaptureQueriesContext(connection) as queries:
                found = rights_overview(bsn, actor=self.heerlen_coordinator)
                self.assertEqual([r for _s, r in found], [role])
                self.assert_searched(
                    queries,
                    *KEY_INDEXES.values(),
                )


class SharedKeyTests(IndexTestCase):
    """Two youths whose pseudonyms share a key (``models.KEY_LENGTH``: about once in
    2**64 pairs) are still two youths: the lookups compare whole pseudonyms."""

    def setUp(self) -> None:
        super().setUp()
        self.youth_bsn = self.bsn()
        pseudonym = pseudonymise_bsn(self.youth_bsn)
        twin = pseudonym[:KEY_LENGTH] + ("0" if pseudonym[-1] != "0" else "1") * (
            len(pseudonym) - KEY_LENGTH
        )
        self.assertNotEqual(twin, pseudonym)
        self.twin = Signal.objects.create(
            youth_pseudonym=twin,
            birth_date=self.born(10),
            municipality=self.heerlen,
            reporter=self.outsider,
            organisation=self.org_b,
            contact_name="Twin",
            contact_email="twin@test.rits.nl",
            ends_on=timezone.localdate() + timedelta(days=30),
        )

    def test_a_youth_sharing_the_key_is_no_match(self) -> None:
        result = self.register(self.professional, self.youth_bsn)
        self.assertEqual(result.matches, [])
        again = self.register(self.coordinator, self.youth_bsn)
        members = {m.signal_id for m in again.members[again.matches[0].pk]}
        self.assertEqual(members, {result.signal.pk, again.signal.pk})

    def test_the_rights_overview_lists_ended_signals_and_not_the_twin(self) -> None:
        ended = self.register(self.professional, self.youth_bsn).signal
        withdraw_signal(ended, actor=self.professional)
        active = self.register(self.coordinator, self.youth_bsn).signal
        found = rights_overview(self.youth_bsn, actor=self.heerlen_coordinator)
        self.assertEqual({s.pk for s, _role in found}, {ended.pk, active.pk})

    def test_the_same_reporter_is_refused_for_a_key_twin(self) -> None:
        # The one limit of indexing keys: the one-active-signal-per-reporter constraint
        # is on the key, so this reporter cannot register the twin's key again.
        with self.assertRaises(ValidationError):
            self.register(self.outsider, self.youth_bsn)
        self.assertEqual(Signal.objects.filter(reporter=self.outsider).count(), 1)
