"""Rits speaks to everyone with "je" (never "u"), in plain Dutch; month and weekday
names are lower case mid-sentence ("31 jan", "vrijdag 4 december"), as Dutch writes
them. The main pages are rendered in Dutch, with dates on them, and read as text."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

from django.test import Client
from django.utils import timezone

from rits.accounts.services import create_token
from rits.directory.models import Closure
from rits.directory.reachability import AMSTERDAM
from rits.directory.tests.base import DirectoryTestCase
from rits.family_plans import services as plan_services
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login

FORMAL = re.compile(
    r"(?<![\w'\u2019&-])(u|uw|uzelf|U|Uw)(?![\w'\u2019-])"
)  # not in "'s-" or "u-bocht"
MONTHS = (
    "Januari|Februari|Maart|April|Mei|Juni|Juli|Augustus|September|Oktober|November|"
    "December|Jan|Feb|Mrt|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dec"
)
WEEKDAYS = "Maandag|Dinsdag|Woensdag|Donderdag|Vrijdag|Zaterdag|Zondag"
# A capitalised month right after a day number, or a weekday after a word, comma or
# colon in the same sentence: "31 Jan", "tot Vrijdag 4 december".
CAPITALISED_MONTH = re.compile(rf"\b\d{{1,2}}\.? ({MONTHS})\b")
CAPITALISED_WEEKDAY = re.compile(rf"[\w,;:)] +({WEEKDAYS})\b")


def page_text(content: str) -> list[str]:
    """The page's text pieces: text between tags and the texts people read in
    attributes (placeholder, label, title), without scripts and styles."""
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    attributes = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', content)
    pieces = re.split(r"<[^>]+>", content)
    return [html.unescape(p).strip() for p in [*pieces, *attributes] if p.strip()]


def problems(content: str) -> list[str]:
    found = []
    for piece in page_text(content):
        for pattern, what in (
            (FORMAL, "formal 'u'"),
            (CAPITALISED_MONTH, "capitalised month"),
            (CAPITALISED_WEEKDAY, "capitalised weekday"),
        ):
            if pattern.search(piece):
                found.append(f"{what}: {piece[:120]!r}")
    return found


class DutchTextCheckTests(DirectoryTestCase):
    """The check itself must be able to fail."""

    def test_it_finds_formal_address_and_capitals_mid_sentence(self) -> None:
        self.assertTrue(problems("<p>Kies uw gemeente</p>"))
        self.assertTrue(problems("<p>Wat zoekt u?</p>"))
        self.assertTrue(problems("<td>31 Jan 2026</td>"))
        self.assertTrue(problems("<p>Dit geldt tot Vrijdag 4 december.</p>"))
        self.assertFalse(problems("<td>Vrijdag</td><p>Kies je gemeente, 31 jan 2026</p>"))
        self.assertFalse(problems('<a href="/u/">Jan Mentor</a><p>Bij u-bocht</p>'))


class DutchPagesTests(FamilyPlanTestCase, DirectoryTestCase):
    def setUp(self) -> None:
        today = timezone.localdate()
        Closure.objects.create(
            service=self.autism,
            starts_on=today + timedelta(days=30),
            ends_on=today + timedelta(days=31),
            reason="Verbouwing",
        )
        plan_services.add_action(
            self.plan,
            actor=self.coordinator,
            what="Samen naar de huisarts",
            who="Petra",
            due_date=date(2027, 1, 31),
        )
        plan_services.plan_evaluation(
            self.plan,
            actor=self.coordinator,
            starts_at=datetime(2027, 2, 5, 10, 0, tzinfo=AMSTERDAM),
        )
        create_token(self.professional, name="Koppeling")

    def assert_plain_dutch(self, client: Client, url: str, **params: str) -> None:
        response = client.get(url, params)
        self.assertEqual(response.status_code, 200, url)
        self.assertEqual(response["Content-Language"], "nl", url)
        found = problems(response.content.decode())
        self.assertEqual(found, [], url)

    def test_public_pages_say_je_and_write_dates_in_lower_case(self) -> None:
        client = Client()
        self.assert_plain_dutch(client, "/wie-bel-ik-nu/")
        self.assert_plain_dutch(client, "/wie-bel-ik-nu/", gemeente="Heerlen")
        self.assert_plain_dutch(
            client, "/wie-bel-ik-nu/", gemeente="Heerlen", datum="2026-12-04", tijd="18:00"
        )
        self.assert_plain_dutch(client, "/wie-bel-ik-nu/afdrukken/", gemeente="GM0917")
        self.assert_plain_dutch(client, "/sociale-kaart/")
        self.assert_plain_dutch(client, "/sociale-kaart/", q="zzzzqqq")
        self.assert_plain_dutch(client, f"/sociale-kaart/dienst/{self.autism.pk}/")
        self.assert_plain_dutch(client, "/account/login/")

    def test_a_professional_s_pages_say_je_and_write_dates_in_lower_case(self) -> None:
        login(self.client, self.coordinator)
        for url in [
            "/",
            "/sociale-kaart/professionals/",
            "/sociale-kaart/mijn-profiel/",
            "/gezin/",
            f"/gezin/{self.plan.pk}/",
            f"/gezin/{self.plan.pk}/team/",
            f"/gezin/{self.plan.pk}/acties/",
            f"/gezin/{self.plan.pk}/afdrukken/",
        ]:
            with self.subTest(url=url):
                self.assert_plain_dutch(self.client, url)
        login(self.client, self.professional)
        self.assert_plain_dutch(self.client, "/account/tokens/")

    def test_the_family_s_pages_say_je(self) -> None:
        login(self.client, self.parent)
        for url in ["/", "/gezin/", f"/gezin/{self.plan.pk}/"]:
            with self.subTest(url=url):
                self.assert_plain_dutch(self.client, url)

    def test_the_privacy_officer_s_pages_say_je(self) -> None:
        login(self.client, self.privacy_officer)
        self.assert_plain_dutch(self.client, "/audit/")

    def test_an_outsider_gets_the_dutch_not_found_page(self) -> None:
        login(self.client, self.outsider)
        response = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(problems(response.content.decode()), [])
        self.assertContains(response, "Pagina niet gevonden", status_code=404)
