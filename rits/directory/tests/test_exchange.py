# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""HSDS export and import (round trip without loss) and the CSV import: all or nothing,
with a report per row."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from rits.audit.models import Entry
from rits.directory import exchange, hsds, search
from rits.directory.models import Closure, Location, Provider, Service
from rits.directory.tests.base import DirectoryTestCase
from rits.testing import login


def without_volatile(document: dict[str, Any]) -> dict[str, Any]:
    document = copy.deepcopy(document)
    document.pop("exported_at")
    return document


class HsdsExchangeTests(DirectoryTestCase):
    def test_the_export_validates_against_hsds(self) -> None:
        Closure.objects.create(
            service=self.autism,
            starts_on=date(2026, 12, 24),
            ends_on=date(2026, 12, 31),
            reason="Kerst",
        )
        document = exchange.export_map(actor=self.admin)
        for kind, key in (
            ("organization", "organizations"),
            ("service", "services"),
            ("taxonomy_term", "taxonomy_terms"),
            ("taxonomy", "taxonomies"),
        ):
            for item in document[key]:
                self.assertEqual(hsds.errors(kind, item), [], item.get("name"))
        self.assertEqual(len(document["services"]), 4)  # inactive ones travel too
        self.assertTrue(Entry.objects.filter(event="directory.exported").exists())

    def test_export_then_import_into_an_empty_map_loses_nothing(self) -> None:
        Closure.objects.create(
            service=self.autism,
            starts_on=date(2026, 12, 24),
            ends_on=date(2026, 12, 31),
            reason="Kerst",
        )
        before = exchange.export_map()
        Service.objects.all().delete()
        Location.objects.all().delete()
        Provider.objects.all().delete()
        counts = exchange.import_map(before, actor=self.admin)
        self.assertEqual(counts, {"organizations": 2, "services": 4})
        after = exchange.export_map()
        self.assertEqual(without_volatile(after), without_volatile(before))
        found = search.search(search.SearchParams(q="autisme"))
        self.assertEqual([s.name for s in found.services], ["Begeleiding bij autisme"])

    def test_importing_the_same_export_twice_changes_nothing(self) -> None:
        before = exchange.export_map()
        exchange.import_map(before, actor=self.admin)
        self.assertEqual(Service.objects.count(), 4)
        self.assertEqual(without_volatile(exchange.export_map()), without_volatile(before))

    def test_a_broken_document_imports_nothing_and_says_why(self) -> None:
        document = exchange.export_map()
        Service.objects.all().delete()
        document["services"][0]["status"] = "sleeping"
        document["services"][1]["schedules"] = [
            {
                "id": "6a2f41a3-c54c-4ce8-92d2-0324e1c32e22",
                "byday": "MO",
                "opens_at": "17:00",
                "closes_at": "09:00",
            }
        ]
        document["services"][2]["service_areas"][0]["extent"] = "GM9999"
        with self.assertRaises(exchange.ImportRejected) as caught:
            exchange.import_map(document, actor=self.admin)
        where = [w for w, _ in caught.exception.errors]
        self.assertIn("services/0", where)
        self.assertIn("services/1", where)
        self.assertIn("services/2", where)
        self.assertEqual(Service.objects.count(), 0)
        self.assertTrue(Entry.objects.filter(event="directory.import_rejected").exists())

    def test_a_document_that_is_not_an_object_is_refused(self) -> None:
        with self.assertRaises(exchange.ImportRejected):
            exchange.import_map([], actor=self.admin)  # type: ignore[arg-type]


HEADER = "name;description;themes;minimum_age;maximum_age;languages;municipalities;phone;"

GOOD_CSV = (
    HEADER
    + """wait_weeks;hours
Huiswerkbegeleiding;Hulp bij huiswerk.;onderwijs;8;16;nl;GM0917;045 – 111 2222;2;ma-do 15:00-17:00
Begeleiding bij autisme;Over autisme en school.;ontwikkeling;4;18;nl;GM0917;;10;
"""
)

BAD_CSV = (
    HEADER
    + """wait_weeks;hours
Goede rij;Deze rij is in orde.;onderwijs;8;16;nl;GM0917;;2;ma-vr 09:00-17:00
Onbekend thema;Tekst.;bestaatniet;8;16;nl;GM0917;;2;
Rare leeftijd;Tekst.;onderwijs;16;8;nl;GM0917;;2;
Geen gemeente;Tekst.;onderwijs;;;nl;GM9999;;;
Slechte tijden;Tekst.;onderwijs;;;nl;GM0917;;;ma 17:00-09:00
Te weinig velden;Tekst.
"""
)


class CsvImportTests(DirectoryTestCase):
    def test_a_good_file_adds_and_updates_services(self) -> None:
        counts = exchange.import_csv(self.provider_a, GOOD_CSV.encode(), actor=self.editor)
        self.assertEqual(counts, {"created": 1, "updated": 1})
        homework = Service.objects.get(name="Huiswerkbegeleiding")
        self.assertEqual([h.weekday for h in homework.hours.all()], [0, 1, 2, 3])
        self.assertEqual(homework.phones.get().number, "045 – 111 2222")
        self.autism.refresh_from_db()
        self.assertEqual(self.autism.description, "Over autisme en school.")
        self.assertTrue(Entry.objects.filter(event="directory.csv_imported").exists())

    def test_a_file_with_broken_rows_imports_nothing_and_reports_each_row(self) -> None:
        with self.assertRaises(exchange.ImportRejected) as caught:
            exchange.import_csv(self.provider_a, BAD_CSV.encode(), actor=self.editor)
        rows = sorted({w for w, _ in caught.exception.errors})
        self.assertEqual(rows, ["rij 3", "rij 4", "rij 5", "rij 6", "rij 7"])
        self.assertFalse(Service.objects.filter(name="Goede rij").exists())

    def test_a_file_that_is_not_text_is_refused(self) -> None:
        with self.assertRaises(exchange.ImportRejected):
            exchange.read_csv(b"\xff\xfe\x00garbage")

    def test_unknown_columns_are_refused(self) -> None:
        with self.assertRaises(exchange.ImportRejected) as caught:
            exchange.read_csv(b"name,description,colour\nA,B,C\n")
        self.assertIn("colour", caught.exception.errors[0][1])

    def test_the_upload_page_shows_the_report(self) -> None:
        login(self.client, self.editor)
        url = f"/sociale-kaart/aanbieder/{self.provider_a.pk}/importeren/"
        upload = SimpleUploadedFile("aanbod.csv", BAD_CSV.encode(), content_type="text/csv")
        response = self.client.post(url, {"file": upload})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "rij 4", status_code=422)
        upload = SimpleUploadedFile("aanbod.csv", GOOD_CSV.encode(), content_type="text/csv")
        response = self.client.post(url, {"file": upload})
        self.assertContains(response, "message-success")

    def test_the_upload_page_is_hidden_from_others(self) -> None:
        login(self.client, self.outsider)
        url = f"/sociale-kaart/aanbieder/{self.provider_a.pk}/importeren/"
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_htmx_gets_the_report_with_a_swappable_status(self) -> None:
        login(self.client, self.editor)
        url = f"/sociale-kaart/aanbieder/{self.provider_a.pk}/importeren/"
        upload = SimpleUploadedFile("aanbod.csv", BAD_CSV.encode(), content_type="text/csv")
        response = self.client.post(url, {"file": upload}, headers={"HX-Request": "true"})
        self.assertContains(response, "rij 4")
