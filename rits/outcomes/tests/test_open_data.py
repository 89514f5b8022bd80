"""CBS StatLine import: both shapes, JSON and CSV, "." or empty as suppressed, all or
nothing with a per-row report, and the figures next to Rits' own."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError

from rits.audit.models import Entry
from rits.outcomes import services
from rits.outcomes.models import OpenFigure
from rits.outcomes.services import OpenDataRejected, import_open_data
from rits.testing import AuditAssertions, RitsTestCase, login

DATA = Path(__file__).resolve().parents[1] / "data" / "statline"
TODAY = date(2026, 6, 15)
IN_KIND, PER_1000, STAY = (
    "JongerenMetJeugdzorgInNatura_1",
    "JongerenMetJeugdzorgInNatura_2",
    "JongerenMetJeugdhulpMetVerblijf_3",
)


class OpenDataTests(AuditAssertions, RitsTestCase):
    def setUp(self) -> None:
        patcher = mock.patch("rits.outcomes.periods.today", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def load(self, name: str, **kw: Any) -> Any:
        raw = (DATA / name).read_bytes()
        return import_open_data(raw, name=name, table="85098NED", actor=self.admin, **kw)

    def figures(self) -> dict[tuple[str, str, int], tuple[float | None, bool, str]]:
        return {
            (f.measure, f.area_code, f.period_start.year): (f.value, f.suppressed, f.status)
            for f in OpenFigure.objects.all()
        }

    def test_both_shapes_in_json_and_csv_give_the_same_figures(self) -> None:
        for name in ("85098NED-wide.json", "85098NED-wide.csv"):
            OpenFigure.objects.all().delete()
            self.load(name)
            got = self.figures()
            self.assertEqual(len(got), 12, name)
            self.assertEqual(got[IN_KIND, "GM0917", 2024], (2310, False, "definitive"))
            self.assertEqual(got[STAY, "GM0882", 2024][:2], (None, True))
            # empty is suppressed too, never zero
            self.assertEqual(
                got[STAY, "GM0917", 2025],
                (None, True, "preliminary"),
            )
            self.assertIn((IN_KIND, "NL", 2025), got)
        for name in ("85098NED-long.json", "85098NED-long.csv"):
            OpenFigure.objects.all().delete()
            self.load(name)
            got = self.figures()
            self.assertEqual(len(got), 6, name)
            self.assertEqual(got[PER_1000, "GM0917", 2024][0], 131.2)
            self.assertEqual(got[STAY, "GM0882", 2024][:2], (None, True))
        self.assert_audited("outcomes.open_data_imported", actor=self.admin, count=4)

    def test_a_second_import_replaces_the_same_figures(self) -> None:
        self.load("85098NED-long.json")
        self.load("85098NED-wide.json")
        self.assertEqual(OpenFigure.objects.count(), 12)

    def refused(self, text: str, name: str = "x.csv") -> list[tuple[int, str]]:
        with self.assertRaises(OpenDataRejected) as caught:
            import_open_data(text.encode(), name=name, table="85098NED", actor=self.admin)
        self.assertFalse(OpenFigure.objects.exists())
        return caught.exception.errors

    def test_bad_rows_are_reported_per_row_and_nothing_is_imported(self) -> None:
        head = "Id;Measure;Value;RegioS;Perioden\n"
        errors = self.refused(
            head
            + "0;M001234;12;GM0917;2024JJ00\n"
            + "1;M001234;12;GM9999;2024JJ00\n"  # unknown municipality
            + "2;M999999;12;GM0917;2024JJ00\n"  # not a measure of this table
            + "3;M001234;12;GM0917;2030JJ00\n"  # in the future
            + "4;M001234;12;GM0917;2024\n"  # not a CBS period
            + "5;M001234;twaalf;GM0917;2023JJ00\n"  # not a number
            + "6;M001234;13;GM0917;2024JJ00\n"  # the same cell twice
        )
        self.assertEqual([row for row, _m in errors], [2, 3, 4, 5, 6, 7])
        messages = " | ".join(m for _r, m in errors)
        self.assertIn("onbekende gemeentecode GM9999", messages)
        self.assertIn("geen onderdeel van tabel 85098NED", messages)
        self.assertIn("in de toekomst", messages)
        self.assertIn("eerder in het bestand", messages)
        self.assert_audited("outcomes.open_data_rejected", actor=self.admin, outcome="failure")

    def test_a_file_of_another_table_is_refused(self) -> None:
        errors = self.refused("ID;RegioS;Perioden;Bevolking_1\n0;GM0917;2024JJ00;87000\n")
        self.assertIn("Bevolking_1", errors[0][1])
        self.refused('{"value": [{"Foo": 1}]}', "x.json")
        self.refused("not json at all {", "x.json")

    def test_the_command_shows_progress_and_refuses_whole_files(self) -> None:
        out = io.StringIO()
        call_command("import_statline", str(DATA / "85098NED-wide.csv"), stdout=out)
        self.assertIn("Imported 12 figures", out.getvalue())
        self.assertIn("rows checked", out.getvalue())
        bad = DATA / "README.md"
        with self.assertRaises(CommandError):
            call_command("import_statline", str(bad), stdout=io.StringIO(), stderr=io.StringIO())

    def test_cbs_figures_stand_next_to_rits_figures_with_source_and_status(self) -> None:
        self.load("85098NED-wide.json")
        services.refresh_figures(today=TODAY)
        login(self.client, self.municipality_officer)
        response = self.client.get("/monitor/GM0917/?periode=2025")
        self.assertContains(response, "Open data (CBS)")
        self.assertContains(response, "2.255")
        self.assertContains(response, "voorlopig")
        self.assertContains(response, "CBS StatLine 85098NED")
        self.assertContains(response, "geheim of niet beschikbaar bij CBS")
        self.assertTrue(Entry.objects.filter(event="outcomes.monitor_viewed").exists())
