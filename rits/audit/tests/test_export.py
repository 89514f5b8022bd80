"""The CSV export of the current search."""

from __future__ import annotations

import csv
import io
import random

from django.urls import reverse

from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.testing import RitsTestCase, login

URL = reverse("audit:export")


def rows(response: object) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(content)))


class TrailExportTest(RitsTestCase):
    bsn: str
    pseudonym: str
    entry: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bsn = synthetic_bsn(random.Random(11))
        cls.pseudonym = pseudonymise_bsn(cls.bsn)
        cls.entry = record(
            cls.professional,
            "audit.chain_verified",
            subject=cls.pseudonym,
            object_label='=HYPERLINK("http://example.invalid")',
            purpose=Entry.Purpose.CARE,
        )
        record(cls.outsider, "audit.trail_exported", outcome=Entry.Outcome.DENIED)

    def setUp(self) -> None:
        login(self.client, self.privacy_officer)

    def test_it_exports_the_current_search_with_dutch_headers(self) -> None:
        response = self.client.get(URL, {"subject": self.pseudonym})

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        header, *body = rows(response)
        self.assertEqual(header[:3], ["id", "tijd", "gebeurtenis"])
        self.assertEqual(len(body), 1)
        self.assertEqual(body[0][0], str(self.entry.pk))
        self.assertEqual(body[0][3], "Logging-keten gecontroleerd")
        self.assertEqual(body[0][9], self.pseudonym)

    def test_it_defuses_spreadsheet_formulas(self) -> None:
        response = self.client.get(URL, {"subject": self.pseudonym})

        object_label = rows(response)[1][12]
        self.assertEqual(object_label, '\'=HYPERLINK("http://example.invalid")')

    def test_each_export_is_audited_with_its_filters_and_size(self) -> None:
        rows(self.client.get(URL, {"outcome": "denied"}))

        entry = Entry.objects.filter(event="audit.trail_exported", actor=self.privacy_officer).get()
        self.assertEqual(entry.data, {"filters": {"outcome": "denied"}, "results": 1})
        self.assertEqual(entry.purpose, Entry.Purpose.ACCOUNTABILITY)

    def test_a_bsn_is_swapped_for_its_pseudonym_before_exporting(self) -> None:
        response = self.client.get(URL, {"subject": self.bsn})

        self.assertRedirects(
            response, f"{URL}?subject={self.pseudonym}", fetch_redirect_response=False
        )
        self.assertFalse(
            Entry.objects.filter(event="audit.trail_exported").exclude(actor=self.outsider).exists()
        )

    def test_a_failing_bsn_goes_back_to_the_search_page_instead_of_exporting_all(self) -> None:
        wrong = self.bsn[:-1] + str((int(self.bsn[-1]) + 1) % 10)

        response = self.client.get(URL, {"subject": wrong}, follow=True)

        self.assertEqual(response.redirect_chain[0][0], reverse("audit:search"))
        self.assertContains(response, "Dit is geen geldig BSN")
        self.assertNotContains(response, wrong)

    def test_it_hides_the_export_from_outsiders(self) -> None:
        login(self.client, self.outsider)

        self.assertEqual(self.client.get(URL).status_code, 404)
