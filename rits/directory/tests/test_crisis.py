# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""Who do I call now? Office hours, evening, night, weekend, public holiday, closures and
the daylight-saving switches; the public page, the printable view and the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import Client

from rits.directory.models import Closure, CrisisLine
from rits.directory.reachability import AMSTERDAM, public_holiday, route_crisis
from rits.directory.tests.base import DirectoryTestCase


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


class CrisisRoutingTests(DirectoryTestCase):
    def test_office_hours_give_the_municipality_number_until_five(self) -> None:
        route = route_crisis(self.heerlen, at(2026, 3, 10, 10, 0))  # a Tuesday
        self.assertEqual(route.line.phone, "045 – 560 4004")
        self.assertEqual(route.reason, "office_hours")
        self.assertEqual(route.until, at(2026, 3, 10, 17, 0))
        self.assertEqual(route.next_line, self.regional)

    def test_the_evening_gives_the_regional_line_until_the_next_morning(self) -> None:
        route = route_crisis(self.heerlen, at(2026, 3, 10, 17, 0))
        self.assertEqual(route.line.phone, "043 – 604 5777")
        self.assertEqual(route.reason, "evening")
        self.assertEqual(route.until, at(2026, 3, 11, 8, 30))
        self.assertEqual(route.next_line, self.office_heerlen)

    def test_early_morning_is_night(self) -> None:
        route = route_crisis(self.heerlen, at(2026, 3, 11, 8, 29))
        self.assertEqual((route.line, route.reason), (self.regional, "night"))
        self.assertEqual(route.until, at(2026, 3, 11, 8, 30))

    def test_the_weekend_runs_until_monday_morning(self) -> None:
        route = route_crisis(self.heerlen, at(2026, 3, 14, 12, 0))  # Saturday
        self.assertEqual((route.line, route.reason), (self.regional, "weekend"))
        self.assertEqual(route.until, at(2026, 3, 16, 8, 30))

    def test_a_public_holiday_uses_the_regional_line(self) -> None:
        kings_day = at(2026, 4, 27, 11, 0)  # Koningsdag, a Monday
        route = route_crisis(self.heerlen, kings_day)
        self.assertEqual((route.line, route.reason), (self.regional, "public_holiday"))
        self.assertEqual(route.holiday, "Koningsdag")
        self.assertEqual(route.until, at(2026, 4, 28, 8, 30))

    def test_friday_before_easter_monday_runs_until_tuesday(self) -> None:
        route = route_crisis(self.heerlen, at(2026, 4, 3, 18, 0))  # Good Friday evening
        self.assertEqual(route.until, at(2026, 4, 7, 8, 30))  # Easter Monday is a holiday

    def test_the_switch_to_summer_time_keeps_the_local_opening_time(self) -> None:
        # The clocks go forward on Sunday 29 March 2026: Friday evening is UTC+1,
        # Monday morning UTC+2. The answer is 08:30 local, 06:30 UTC.
        route = route_crisis(self.heerlen, at(2026, 3, 27, 20, 0))
        assert route.until is not None
        self.assertEqual(route.until.utcoffset(), timedelta(hours=2))
        self.assertEqual(route.until.astimezone(AMSTERDAM).hour, 8)
        self.assertEqual(route.until, datetime.fromisoformat("2026-03-30T06:30:00+00:00"))

    def test_the_switch_to_winter_time_keeps_the_local_opening_time(self) -> None:
        # During the repeated hour (02:30 happens twice on 25 October 2026).
        first = datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=AMSTERDAM)
        second = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=AMSTERDAM)
        for moment in (first, second):
            route = route_crisis(self.heerlen, moment)
            self.assertEqual(route.line, self.regional)
            self.assertEqual(route.until, datetime.fromisoformat("2026-10-26T07:30:00+00:00"))

    def test_a_closure_day_of_the_office_uses_the_regional_line(self) -> None:
        Closure.objects.create(
            crisis_line=self.office_heerlen,
            starts_on=date(2026, 5, 15),
            ends_on=date(2026, 5, 15),
            reason="Brugdag",
        )
        route = route_crisis(self.heerlen, at(2026, 5, 15, 10, 0))
        self.assertEqual((route.line, route.reason), (self.regional, "closure"))
        self.assertEqual(route.until, at(2026, 5, 18, 8, 30))

    def test_a_municipality_without_its_own_line_always_gets_the_regional_line(self) -> None:
        route = route_crisis(self.landgraaf, at(2026, 3, 10, 10, 0))
        self.assertEqual((route.line, route.until, route.reason), (self.regional, None, "always"))

    def test_public_holidays_come_from_the_holidays_package(self) -> None:
        self.assertEqual(public_holiday(date(2026, 12, 25)), "Eerste kerstdag")
        self.assertIsNone(public_holiday(date(2026, 3, 10)))


class CrisisPageTests(DirectoryTestCase):
    def test_the_page_is_public_and_shows_the_number_to_call(self) -> None:
        response = Client().get("/wie-bel-ik-nu/?gemeente=GM0917")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "112")
        self.assertTrue(
            "045 – 560 4004" in response.content.decode()
            or "043 – 604 5777" in response.content.decode()
        )

    def test_an_unknown_municipality_is_a_form_error(self) -> None:
        response = Client().get("/wie-bel-ik-nu/?gemeente=GM9999")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="error"')

    def test_a_municipality_without_lines_says_call_112(self) -> None:
        CrisisLine.objects.all().delete()
        response = Client().get("/wie-bel-ik-nu/?gemeente=GM0917")
        self.assertContains(response, "112")
        self.assertContains(response, "message-error")

    def test_the_printable_view_lists_all_numbers(self) -> None:
        response = Client().get("/wie-bel-ik-nu/afdrukken/?gemeente=GM0917")
        self.assertContains(response, "045 – 560 4004")
        self.assertContains(response, "043 – 604 5777")


class CrisisApiTests(DirectoryTestCase):
    def test_it_answers_without_login(self) -> None:
        response = Client().get(
            "/api/v1/crisis/now", {"municipality": "GM0917", "at": "2026-03-14T12:00:00+01:00"}
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["call"]["phone"], "043 – 604 5777")
        self.assertEqual(body["then"]["phone"], "045 – 560 4004")
        self.assertEqual(body["until"], "2026-03-16T08:30:00+01:00")
        self.assertEqual(body["reason"], "weekend")

    def test_a_naive_moment_is_read_as_amsterdam_time(self) -> None:
        body = (
            Client()
            .get("/api/v1/crisis/now", {"municipality": "gm0917", "at": "2026-07-01T10:00:00"})
            .json()
        )
        self.assertEqual(body["call"]["phone"], "045 – 560 4004")
        self.assertEqual(body["until"], "2026-07-01T17:00:00+02:00")

    def test_an_unknown_municipality_is_a_clear_error(self) -> None:
        response = Client().get("/api/v1/crisis/now", {"municipality": "GM9999"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertIn("GM9999", response.json()["title"])

    def test_a_municipality_without_lines_is_not_found(self) -> None:
        response = Client().get("/api/v1/crisis/now", {"municipality": "GM0363"})
        self.assertEqual(response.status_code, 404)
        self.assertIn("112", response.json()["title"])
