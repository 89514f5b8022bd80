"""No CSV that Rits hands out carries a live spreadsheet formula (CSV injection).

Every export is fetched with a formula in every text field a user can reach, and read
back the way a spreadsheet would: with commas, and with semicolons as Dutch Excel does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
from django.test import SimpleTestCase
from django.urls import reverse

from rits.audit import context
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.tests.base import IndexTestCase
from rits.lib import spreadsheet
from rits.testing import login

FORMULA = '=HYPERLINK("http://example.invalid","klik")'
# Each way a value can start a formula, also where a semicolon reader cuts the cell.
PAYLOADS = [
    FORMULA,
    "+31 6 1234 5678",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    f"Jan;{FORMULA}",
    f"Jan\n{FORMULA}",
]


def live_cells(content: str) -> list[str]:
    """Cells a spreadsheet would run, reading the file with a comma or a semicolon."""
    found = []
    for delimiter in (",", ";"):
        for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter):
            found += [c for c in row if c.startswith(spreadsheet.FORMULA_START)]
        # A reader that ignores quotes sees each physical line as a row.
        for line in re.split(r"[\r\n]", content):
            for c in line.split(delimiter):
                if c.lstrip('"').startswith(spreadsheet.FORMULA_START):
                    found.append(c)
    return found


class CellTests(SimpleTestCase):
    def test_it_puts_a_quote_before_each_formula_start(self) -> None:
        self.assertEqual(spreadsheet.cell(FORMULA), "'" + FORMULA)
        self.assertEqual(spreadsheet.cell("@x"), "'@x")
        self.assertEqual(spreadsheet.cell("\t=1"), "'\t'=1")
        self.assertEqual(spreadsheet.cell("\r1"), "'\r1")

    def test_a_dutch_phone_number_stays_readable(self) -> None:
        self.assertEqual(spreadsheet.cell("+31 45 123 4567"), "'+31 45 123 4567")

    def test_it_defuses_a_formula_after_a_semicolon_or_line_break(self) -> None:
        self.assertEqual(spreadsheet.cell("Jan;=1+1"), "Jan;'=1+1")
        self.assertEqual(spreadsheet.cell("Jan\n-1"), "Jan\n'-1")

    def test_it_leaves_plain_values_alone(self) -> None:
        for value in ("Jan de Vries", "045 123 4567", "2026-12-04", "a=b", "a - b", "", None, 7):
            self.assertEqual(spreadsheet.cell(value), "" if value is None else str(value))

    def test_no_payload_stays_live_in_a_written_file(self) -> None:
        out = io.StringIO()
        spreadsheet.writer(out).writerows([[p, "x"] for p in PAYLOADS])

        self.assertEqual(live_cells(out.getvalue()), [])

    def test_the_check_finds_live_cells_in_a_plain_csv(self) -> None:
        out = io.StringIO()
        csv.writer(out).writerows([[p] for p in PAYLOADS])

        self.assertGreaterEqual(len(live_cells(out.getvalue())), len(PAYLOADS))


class WorkbookTests(SimpleTestCase):
    def test_no_payload_is_a_formula_in_a_written_workbook(self) -> None:
        content = spreadsheet.workbook(
            [
                (
                    "Blad",
                    ["tekst", "getal", "datum"],
                    [[p, 7, dt.date(2026, 12, 4)] for p in PAYLOADS],
                )
            ]
        )

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(rows), len(PAYLOADS))
        self.assertEqual([c.data_type for c in sheet["A"][1:] if c.data_type == "f"], [])
        self.assertEqual(rows[0][0], "'" + FORMULA)
        self.assertEqual(rows[0][1], 7)
        self.assertEqual(rows[0][2], dt.datetime(2026, 12, 4))  # noqa: DTZ001 (XLSX has no zones)

    def test_the_check_finds_a_formula_in_a_plain_workbook(self) -> None:
        book = openpyxl.Workbook()
        assert book.active is not None
        book.active.append([FORMULA])
        out = io.BytesIO()
        book.save(out)

        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
        assert sheet is not None
        self.assertEqual(sheet["A1"].data_type, "f")

    def test_a_moment_is_written_in_amsterdam_time(self) -> None:
        moment = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)
        content = spreadsheet.workbook([("Blad", ["moment"], [[moment]])])

        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet is not None
        self.assertEqual(sheet["A2"].value, dt.datetime(2026, 7, 1, 12, 0))  # noqa: DTZ001


class EveryWriterTests(SimpleTestCase):
    def test_every_csv_or_spreadsheet_writer_goes_through_the_one_helper(self) -> None:
        root = Path(__file__).resolve().parents[1]
        helper = root / "lib" / "spreadsheet.py"
        writers = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl|xlsxwriter")
        offenders = [
            str(path.relative_to(root))
            for path in root.rglob("*.py")
            if path != helper
            and "tests" not in path.parts
            and writers.search(path.read_text(encoding="utf-8"))
        ]
        self.assertEqual(offenders, [])


class ExportTests(IndexTestCase):
    """The rights export and the audit export, with formulas in every text field."""

    def test_the_rights_export_carries_no_live_formula(self) -> None:
        parent_bsn = self.bsn()
        self.org_a.name = f"Jeugdhulp;{FORMULA}"
        self.org_a.save(update_fields=["name"])
        for payload in PAYLOADS:
            self.register(
                self.professional,
                self.bsn(),
                parent_bsns=[parent_bsn],
                contact_name=payload,
                contact_phone=payload[:30],
                contact_email=payload,
            )
        login(self.client, self.heerlen_coordinator)
        self.client.post(reverse("involvement:rights"), {"bsn": parent_bsn})

        response = self.client.get(reverse("involvement:rights_export"))

        content = response.content.decode()
        self.assertIn("'=HYPERLINK(", content)
        self.assertIn("'+31 6 1234 5678", content)
        self.assertEqual(live_cells(content), [])

    def test_the_audit_export_carries_no_live_formula(self) -> None:
        self.outsider.full_name = FORMULA
        self.outsider.save(update_fields=["full_name"])
        for payload in PAYLOADS:
            token = context.set_current(
                context.AccessPoint(user_agent=payload, request_id=payload, channel=payload)
            )
            self.addCleanup(context.reset, token)
            record(
                self.outsider,
                "audit.chain_verified",
                subject=payload,
                object_label=payload,
                on_behalf_of=payload,
                organisation=payload,
                purpose=Entry.Purpose.CARE,
                data={"note": payload},
            )
        login(self.client, self.privacy_officer)

        response = self.client.get(reverse("audit:export"), {"event": "audit.chain_verified"})

        content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("'=HYPERLINK(", content)
        self.assertEqual(live_cells(content), [])

    def test_an_outsider_gets_no_export(self) -> None:
        login(self.client, self.outsider)

        self.assertEqual(self.client.get(reverse("audit:export")).status_code, 404)
        response = self.client.get(reverse("involvement:rights_export"))
        self.assertNotEqual(response.status_code, 200)
