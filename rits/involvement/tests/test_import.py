"""Bulk import: all or nothing per file, per-row errors, never a BSN in a message."""

import json
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.models import Match, Signal
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login

HEADER = "bsn,birth_date,municipality,parent_bsns,youth_informed,parents_informed,own_reference\n"


class ImportTests(IndexTestCase):
    def csv(self, rows: list[tuple[str, ...]]) -> bytes:
        return (HEADER + "".join(",".join(r) + "\n" for r in rows)).encode()

    def row(self, bsn: str, ref: str = "", parents: str = "") -> tuple[str, ...]:
        return (bsn, self.born(10).isoformat(), "GM0917", parents, "ja", "ja", ref)

    def upload(self, content: bytes, name: str = "export.csv", **headers: str) -> Any:
        return self.client.post(
            reverse("involvement:import"),
            {"file": SimpleUploadedFile(name, content), "organisation": self.org_a.pk},
            headers=headers,
        )

    def test_it_imports_every_row_and_matches(self) -> None:
        shared = self.bsn()
        self.register(self.outsider, shared)
        login(self.client, self.professional)
        response = self.upload(self.csv([self.row(shared), self.row(self.bsn())]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Signal.objects.filter(reporter=self.professional).count(), 2)
        self.assertEqual(Match.objects.count(), 1)
        self.assertTrue(Entry.objects.filter(event="involvement.import_completed").exists())

    def test_one_bad_row_registers_nothing_and_says_which_row(self) -> None:
        login(self.client, self.professional)
        bad = self.bsn()
        bad = bad[:-1] + str((int(bad[-1]) + 1) % 10)
        content = self.csv(
            [
                self.row(self.bsn()),
                self.row(bad),
                (self.bsn(), "not-a-date", "GM0917", "", "ja", "ja", ""),
            ]
        )
        response = self.upload(content)
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Signal.objects.exists())
        body = response.content.decode()
        self.assertIn("<td>2</td>", body)
        self.assertIn("<td>3</td>", body)
        self.assertNotIn(bad, body)
        self.assertTrue(Entry.objects.filter(event="involvement.import_rejected").exists())

    def test_a_duplicate_within_the_file_is_refused(self) -> None:
        login(self.client, self.professional)
        bsn = self.bsn()
        response = self.upload(self.csv([self.row(bsn), self.row(bsn)]))
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Signal.objects.exists())

    def test_json_lines_work_too(self) -> None:
        login(self.client, self.professional)
        lines = [
            {
                "bsn": self.bsn(),
                "birth_date": self.born(5).isoformat(),
                "municipality": "GM0882",
                "parents_informed": True,
                "parent_bsns": [self.bsn()],
            },
            {
                "bsn": self.bsn(),
                "birth_date": self.born(17).isoformat(),
                "municipality": "GM0917",
                "youth_informed": True,
            },
        ]
        content = "\n".join(json.dumps(line) for line in lines).encode()
        response = self.upload(content, name="export.jsonl")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Signal.objects.count(), 2)

    def test_a_malformed_json_line_is_a_row_error(self) -> None:
        login(self.client, self.professional)
        response = self.upload(b'{"bsn": \n', name="export.jsonl")
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Signal.objects.exists())

    def test_htmx_gets_the_outcome_partial(self) -> None:
        login(self.client, self.professional)
        response = self.upload(self.csv([self.row(self.bsn())]), HX_Request="true")
        self.assertContains(response, 'id="outcome"')
        self.assertNotContains(response, "<html")

    def test_an_unauthorised_professional_cannot_import(self) -> None:
        login(self.client, self.municipality_officer)
        response = self.client.get(reverse("involvement:import"))
        self.assertEqual(response.status_code, 403)

    def test_the_command_imports_with_progress(self) -> None:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            path.write_bytes(self.csv([self.row(self.bsn()), self.row(self.bsn())]))
            out = StringIO()
            call_command(
                "import_involvement", str(path), reporter=self.professional.email, stdout=out
            )
        self.assertIn("2/2", out.getvalue())
        self.assertEqual(Signal.objects.count(), 2)

    def test_the_command_fails_the_whole_file_on_a_bad_row(self) -> None:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            path.write_bytes(self.csv([self.row(self.bsn()), self.row("123")]))
            with self.assertRaises(CommandError):
                call_command(
                    "import_involvement",
                    str(path),
                    reporter=self.professional.email,
                    stdout=StringIO(),
                    stderr=StringIO(),
                )
        self.assertFalse(Signal.objects.exists())


class BulkMatchingTests(IndexTestCase):
    """The import matches a whole batch at once, with the same outcome as one by one."""

    def test_a_file_meets_client_and_family_matches_and_everyone_is_told(self) -> None:
        from django.core import mail

        from rits.accounts.models import Notification
        from rits.involvement.services import import_signals

        known_youth, parent = self.bsn(), self.bsn()
        existing = self.register(self.outsider, known_youth).signal
        sibling = self.register(self.coordinator, self.bsn(), parent_bsns=[parent]).signal
        rows = [
            self.data(known_youth),
            self.data(self.bsn(), parent_bsns=[parent]),
            self.data(self.bsn(), parent_bsns=[parent, self.bsn()]),
            self.data(self.bsn()),
        ]
        with self.captureOnCommitCallbacks(execute=True):
            result = import_signals(rows, actor=self.professional, batch_size=2)
        self.assertEqual(result.signals, 4)
        client = Match.objects.get(kind=Match.Kind.CLIENT)
        family = Match.objects.get(kind=Match.Kind.FAMILY)
        self.assertEqual(result.matches, 2)
        self.assertIn(existing.pk, client.members.values_list("signal_id", flat=True))
        self.assertEqual(family.members.count(), 3)
        self.assertIn(sibling.pk, family.members.values_list("signal_id", flat=True))
        told = set(Notification.objects.values_list("user__email", flat=True))
        self.assertEqual(
            told, {self.professional.email, self.outsider.email, self.coordinator.email}
        )
        body = Notification.objects.filter(user=self.outsider).first().body  # type: ignore[union-attr]
        self.assertIn(self.professional.full_name, body)
        self.assertTrue(mail.outbox)

    def test_joining_an_open_match_reopens_it(self) -> None:
        from rits.involvement.services import import_signals

        youth = self.bsn()
        self.register(self.outsider, youth)
        match = self.register(self.coordinator, youth).matches[0]
        Match.objects.filter(pk=match.pk).update(status=Match.Status.SETTLED)
        import_signals([self.data(youth)], actor=self.professional)
        match.refresh_from_db()
        self.assertEqual(match.status, Match.Status.OPEN)
        self.assertEqual(match.members.count(), 3)
        self.assertEqual(Match.objects.count(), 1)
