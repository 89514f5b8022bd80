"""Practices out and in as JSON and XLSX: all or nothing, with an error per row."""

from __future__ import annotations

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from rits.knowledge import services
from rits.knowledge.models import Practice
from rits.knowledge.services import transfer
from rits.knowledge.tests.base import KnowledgeTestCase, practice_data
from rits.testing import login


class TransferTests(KnowledgeTestCase):
    def test_json_export_imports_back_and_replaces_by_uuid(self) -> None:
        data = json.loads(transfer.export_json(actor=self.facilitator))
        row = data["practices"][0]
        self.assertEqual(row["name"], "Huiswerkmaatje")
        self.assertEqual(
            row["conditions"], ["Er zijn genoeg vrijwilligers.", "De school doet mee."]
        )
        row["summary"] = "Aangepast."
        new = dict(row, uuid=None, name="Huiswerkmaatje Plus")
        report = transfer.import_rows([row, new], actor=self.facilitator, source="x.json")
        self.assertTrue(report.ok, report.errors)
        self.assertEqual((report.created, report.changed), (1, 1))
        self.practice.refresh_from_db()
        self.assertEqual(self.practice.summary, "Aangepast.")
        self.assert_audited(
            "knowledge.practices_imported", actor=self.facilitator, created=1, changed=1
        )

    def test_one_bad_row_refuses_the_whole_file_with_an_error_per_row(self) -> None:
        good = transfer.practice_row(self.practice) | {"uuid": None, "name": "Nieuw en goed"}
        rows = [
            good,
            {"name": "Zonder bron", "summary": "x", "problem": "y", "evidence": "effective"},
            {"name": "Fout thema", "summary": "x", "problem": "y", "themes": ["bestaat-niet"]},
            {"summary": "geen naam"},
        ]
        report = transfer.import_rows(rows, actor=self.facilitator)
        self.assertEqual(sorted(report.errors), [2, 3, 4])
        self.assertIn("evidence_source", " ".join(report.errors[2]))
        self.assertIn("bestaat-niet", " ".join(report.errors[3]))
        self.assertFalse(Practice.objects.filter(name="Nieuw en goed").exists())
        self.assert_audited(
            "knowledge.practices_import_rejected", actor=self.facilitator, bad_rows=3
        )
        self.assert_audited("knowledge.practice_created", count=1)  # the fixture's only

    def test_xlsx_round_trip_keeps_lists_and_guards_formulas(self) -> None:
        services.save_practice(
            practice_data(name='=HYPERLINK("x")', conditions=["+31 bellen", "Tweede"]),
            actor=self.facilitator,
        )
        content = transfer.export_xlsx(actor=self.facilitator)
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        names = [r[header.index("name")] for r in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertIn('\'=HYPERLINK("x")', names)
        rows = transfer.read_file("p.xlsx", content)
        self.assertEqual(sorted(r["name"] for r in rows), ['=HYPERLINK("x")', "Huiswerkmaatje"])
        hyper = next(r for r in rows if r["name"].startswith("="))
        self.assertEqual(hyper["conditions"], ["+31 bellen", "Tweede"])
        report = transfer.import_rows(rows, actor=self.facilitator)
        self.assertTrue(report.ok, report.errors)

    def test_a_live_formula_in_an_uploaded_sheet_is_refused(self) -> None:
        book = Workbook()
        sheet = book.active
        sheet.append(["name", "summary", "problem"])
        sheet.append(["Goed", "=1+1", "Iets"])
        out = io.BytesIO()
        book.save(out)
        report = transfer.import_rows(
            transfer.read_file("f.xlsx", out.getvalue()), actor=self.facilitator
        )
        self.assertIn("formule", " ".join(report.errors[1]))

    def test_hostile_uploads_are_refused_on_the_page_and_nothing_changes(self) -> None:
        login(self.client, self.facilitator)
        before = Practice.objects.count()
        for name, content in (
            ("groot.json", b"{" + b" " * (transfer.MAX_UPLOAD_BYTES + 1) + b"}"),
            ("plaatje.png", b"\x89PNG\r\n"),
            ("nep.xlsx", b"PK\x03\x04 geen zip"),
            ("kapot.json", b"{niet json"),
            ("leeg.json", b'{"practices": []}'),
        ):
            with self.subTest(name=name):
                r = self.client.post(
                    "/kennis/praktijken/importeren/",
                    {"file": SimpleUploadedFile(name, content)},
                )
                self.assertEqual(r.status_code, 200)
                self.assertIn("errorlist", r.content.decode())
        self.assertEqual(Practice.objects.count(), before)

    def test_the_page_exports_with_a_safe_content_type(self) -> None:
        login(self.client, self.professional)
        r = self.client.get("/kennis/praktijken/export.xlsx")
        self.assertEqual(r["X-Content-Type-Options"], "nosniff")
        self.assertIn("attachment", r["Content-Disposition"])
        self.assertEqual(self.client.get("/kennis/praktijken/importeren/").status_code, 404)
