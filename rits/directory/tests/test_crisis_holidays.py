"""Which public holidays close a crisis line is set per line. Good Friday is on the
holidays package's list but is no general day off, so by default it closes nothing."""

from __future__ import annotations

import importlib
from datetime import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client

from rits.directory.models import CrisisLine
from rits.directory.public_holidays import general_days_off, holiday_keys
from rits.directory.reachability import AMSTERDAM, forget_crisis_lines, route_crisis
from rits.directory.tests.base import DirectoryTestCase
from rits.testing import login

GOOD_FRIDAY = datetime(2026, 4, 3, 10, 0, tzinfo=AMSTERDAM)
EASTER_MONDAY = datetime(2026, 4, 6, 10, 0, tzinfo=AMSTERDAM)


class CrisisHolidayTests(DirectoryTestCase):
    def set_closed_on(self, keys: list[str]) -> None:
        self.office_heerlen.closed_on_holidays = keys
        self.office_heerlen.save()
        forget_crisis_lines()

    def test_by_default_good_friday_is_office_hours(self) -> None:
        self.assertNotIn("Good Friday", self.office_heerlen.closed_on_holidays)
        route = route_crisis(self.heerlen, GOOD_FRIDAY)
        self.assertEqual((route.line, route.reason), (self.office_heerlen, "office_hours"))

    def test_by_default_easter_monday_closes_the_office(self) -> None:
        route = route_crisis(self.heerlen, EASTER_MONDAY)
        self.assertEqual((route.line, route.reason), (self.regional, "public_holiday"))
        self.assertEqual(route.holiday, "Tweede paasdag")

    def test_a_line_that_closes_on_good_friday_sends_callers_to_the_region(self) -> None:
        self.set_closed_on([*general_days_off(), "Good Friday"])
        route = route_crisis(self.heerlen, GOOD_FRIDAY)
        self.assertEqual((route.line, route.reason), (self.regional, "public_holiday"))
        self.assertEqual(route.holiday, "Goede vrijdag")
        self.assertEqual(route.until, datetime(2026, 4, 7, 8, 30, tzinfo=AMSTERDAM))

    def test_a_line_open_on_a_holiday_keeps_its_office_hours(self) -> None:
        self.set_closed_on([k for k in general_days_off() if k != "Easter Monday"])
        route = route_crisis(self.heerlen, EASTER_MONDAY)
        self.assertEqual((route.line, route.reason), (self.office_heerlen, "office_hours"))

    def test_the_default_is_every_general_day_off_but_not_good_friday(self) -> None:
        self.assertIn("Christmas Day", general_days_off())
        self.assertIn("King's Day", general_days_off())
        self.assertNotIn("Good Friday", general_days_off())
        self.assertIn("Good Friday", holiday_keys())
        line = CrisisLine(kind="office_hours", region=self.region, name="Test", phone="14 045")
        self.assertEqual(line.closed_on_holidays, general_days_off())

    def test_an_unknown_holiday_is_refused(self) -> None:
        self.office_heerlen.closed_on_holidays = ["Carnaval"]
        with self.assertRaises(ValidationError):
            self.office_heerlen.full_clean()

    def test_the_holiday_is_named_in_the_page_language(self) -> None:
        client = Client()
        client.cookies["django_language"] = "en"
        response = client.get(
            "/wie-bel-ik-nu/", {"gemeente": "Heerlen", "datum": "2026-04-06", "tijd": "10:00"}
        )
        self.assertContains(response, "Because it is a public holiday (Easter Monday).")

    def test_the_data_migration_gives_existing_lines_the_general_days_off(self) -> None:
        migration = importlib.import_module(
            "rits.directory.migrations.0006_crisis_line_closed_on_holidays"
        )
        self.assertEqual(migration.GENERAL_DAYS_OFF, general_days_off())
        CrisisLine.objects.update(closed_on_holidays=[])
        migration.set_general_days_off(apps, None)
        for line in CrisisLine.objects.all():
            self.assertEqual(line.closed_on_holidays, general_days_off())

    def test_the_admin_offers_the_holidays_as_checkboxes(self) -> None:
        self.admin.is_staff = True
        self.admin.is_superuser = True
        self.admin.save()
        login(self.client, self.admin)
        response = self.client.get(f"/beheer/directory/crisisline/{self.office_heerlen.pk}/change/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('value="Good Friday"', html)
        self.assertRegex(html, r'value="Christmas Day"[^>]*checked')
        self.assertNotRegex(html, r'value="Good Friday"[^>]*checked')

    def test_the_admin_is_closed_to_outsiders(self) -> None:
        login(self.client, self.outsider)
        response = self.client.get(f"/beheer/directory/crisisline/{self.office_heerlen.pk}/change/")
        self.assertNotEqual(response.status_code, 200)
