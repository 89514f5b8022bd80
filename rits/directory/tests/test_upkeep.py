# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""Keeping the social map true: an editor's whole round (edit, confirm, reminder, a
user's report, resolved), the checks on locations, hours and crisis lines, and that
nobody but the keeper reaches an entry's edit pages."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from rits.accounts.models import Membership, Notification, User
from rits.audit.models import Entry
from rits.directory import exchange, hsds, review, services
from rits.directory.models import CrisisLine, Location, Report, ReviewRequest, Service
from rits.directory.tests.base import DirectoryTestCase
from rits.testing import AuditAssertions, login, make_user


def weekdays(opens: time, closes: time) -> list[services.Slot]:
    return [services.Slot(d, opens, closes) for d in range(5)]


class UpkeepTestCase(AuditAssertions, DirectoryTestCase):
    town_editor: User  # organisation editor of the municipality, keeps its crisis line

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.town_editor = make_user("redacteur-gemeente@test.rits.nl", "Gert Gemeente")
        Membership.objects.create(
            user=cls.town_editor,
            organisation=cls.gemeente,
            role=Membership.Role.ORGANISATION_ADMIN,
        )
        CrisisLine.objects.filter(pk=cls.office_heerlen.pk).update(organisation=cls.gemeente)
        cls.office_heerlen.refresh_from_db()

    def age_everything(self, days: int) -> None:
        """As if every entry was last checked ``days`` ago."""
        past = timezone.now() - timedelta(days=days)
        Service.objects.update(checked_at=past, confirmed_at=None, confirmed_by=None)
        CrisisLine.objects.update(checked_at=past)


class EditorRoundTests(UpkeepTestCase):
    def test_an_editors_whole_round(self) -> None:
        self.age_everything(200)
        regions = [self.region.pk]
        stale = {i.entry.pk for i in review.queue(regions) if i.kind == "service"}
        self.assertIn(self.autism.pk, stale)

        # The rhythm: one request per organisation per period, never twice.
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_review_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
            call_command("send_review_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
        asked = Notification.objects.filter(user=self.editor, kind="directory.review")
        self.assertEqual([n.url for n in asked], ["/sociale-kaart/beheer/"] * asked.count())
        self.assertEqual(
            ReviewRequest.objects.filter(organisation=self.org_a, kind="confirm").count(), 1
        )
        self.assert_audited("directory.review_requested", actor=None, kind="confirm", count=3)

        # The review page: everything the editor keeps, and one click confirms.
        login(self.client, self.editor)
        page = self.client.get("/sociale-kaart/beheer/")
        self.assertContains(page, "Begeleiding bij autisme")
        self.assertContains(page, "Opvoedspreekuur")
        self.assertNotContains(page, "angst en somberheid")  # org B's
        response = self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/bevestigen/", {"terug": "overzicht"}
        )
        self.assertRedirects(response, "/sociale-kaart/beheer/")
        self.autism.refresh_from_db()
        self.assertEqual((self.autism.state, self.autism.confirmed_by), ("confirmed", self.editor))
        self.assert_audited("directory.entry_confirmed", actor=self.editor, obj=self.autism)
        self.assertNotIn(self.autism, [i.entry for i in review.queue(regions)])

        # "Still 10 weeks" renews the waiting time in one click.
        self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/wachttijd/",
            {"wait_weeks": 10, "terug": "overzicht"},
        )
        self.autism.refresh_from_db()
        self.assertEqual(self.autism.wait_confirmed_on, timezone.localdate())

        # A professional reports the number; the editor hears of it; the queue shows it.
        login(self.client, self.professional)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                f"/sociale-kaart/dienst/{self.autism.pk}/melden/",
                {"suggested": "045 – 400 2000", "note": "Nummer is veranderd"},
            )
        self.assertRedirects(response, f"/sociale-kaart/dienst/{self.autism.pk}/")
        report = Report.objects.get()
        self.assertEqual((report.number, report.suggested), ("045 – 400 1002", "045 – 400 2000"))
        self.assertTrue(
            Notification.objects.filter(user=self.editor, kind="directory.report").exists()
        )
        reasons = [
            r.code for i in review.queue(regions) if i.entry == self.autism for r in i.reasons
        ]
        self.assertEqual(reasons, ["reported"])

        # The editor resolves it from the review page.
        login(self.client, self.editor)
        self.assertContains(self.client.get("/sociale-kaart/beheer/"), "Nummer is veranderd")
        response = self.client.post(
            f"/sociale-kaart/melding/{report.pk}/afhandelen/",
            {"resolution": "Nummer aangepast", "terug": "overzicht"},
        )
        self.assertRedirects(response, "/sociale-kaart/beheer/")
        report.refresh_from_db()
        self.assertEqual((report.resolved_by, report.resolution), (self.editor, "Nummer aangepast"))
        self.assert_audited("directory.report_resolved", actor=self.editor, took_suggested=False)
        self.assertNotIn(self.autism, [i.entry for i in review.queue(regions)])

    def test_editing_shows_what_changed_and_confirms(self) -> None:
        self.age_everything(200)
        login(self.client, self.editor)
        from rits.directory.tests.test_editing import form_data

        response = self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/bewerken/",
            form_data(self.autism, name="Autisme thuis", wait_weeks=6),
            follow=True,
        )
        self.assertContains(response, "Gewijzigd: naam, wachttijd")
        self.autism.refresh_from_db()
        self.assertEqual(self.autism.state, "confirmed")

    @override_settings(RITS_REVIEW_EVERY_MONTHS=3)
    def test_the_rhythm_is_configurable(self) -> None:
        self.age_everything(100)
        self.assertEqual(services.period_start(timezone.now(), 3).month % 3, 1)
        self.assertIn(self.autism, [i.entry for i in review.queue([self.region.pk])])

    def test_a_stale_waiting_time_gets_its_own_message_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            first = services.send_review_requests()
            again = services.send_review_requests()
        self.assertEqual((first.wait_time, again.wait_time), (1, 0))  # anxiety, 40 days
        self.assertFalse(
            Notification.objects.filter(user=self.editor, kind="directory.review").exists()
        )


class CheckTests(UpkeepTestCase):
    def location(self, **changes: object) -> services.LocationData:
        values: dict[str, object] = {
            "name": "Spreekuur Hoensbroek",
            "address_1": "Markt 2",
            "postal_code": "6431 lk",
            "city": "Hoensbroek",
            "municipality": self.heerlen,
            "latitude": 50.9156,
            "longitude": 5.9261,
        }
        values.update(changes)
        return services.LocationData(**values)  # type: ignore[arg-type]

    def test_a_location_is_saved_with_coordinates_and_audited(self) -> None:
        location, changed = services.save_location(
            self.provider_a, self.location(), actor=self.editor
        )
        self.assertEqual((location.postal_code, changed), ("6431 LK", ["created"]))
        self.assert_audited("directory.location_saved", actor=self.editor, obj=location)

    def test_a_location_outside_the_netherlands_or_the_region_is_refused(self) -> None:
        for changes, field, words in (
            ({"latitude": 50.7753, "longitude": 6.0839}, "latitude", "buiten Nederland"),  # Aken
            ({"municipality": self.amsterdam()}, "municipality", "niet in deze regio"),
            ({"longitude": None}, "latitude", "allebei"),
            ({"postal_code": "64311"}, "postal_code", "6411 AB"),
        ):
            with self.subTest(field=field):
                with self.assertRaises(ValidationError) as caught:
                    services.save_location(
                        self.provider_a, self.location(**changes), actor=self.editor
                    )
                self.assertIn(words, " ".join(caught.exception.message_dict[field]))
        self.assertEqual(Location.objects.count(), 1)

    def amsterdam(self) -> object:
        from rits.regions.models import Municipality

        return Municipality.objects.get(code="GM0363")

    def test_overlapping_slots_are_refused_and_touching_ones_are_not(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.replace_schedule(
                self.autism,
                [services.Slot(0, time(9), time(12)), services.Slot(0, time(11), time(14))],
                actor=self.editor,
            )
        self.assertIn("overlappen", " ".join(caught.exception.messages))
        self.assertEqual(self.autism.hours.count(), 5)  # unchanged
        services.replace_schedule(
            self.autism,
            [
                services.Slot(0, time(9), time(12)),
                services.Slot(0, time(12), time(14)),
                # The same hours in another period do not overlap.
                services.Slot(1, time(9), time(12), date(2026, 1, 1), date(2026, 6, 30)),
                services.Slot(1, time(9), time(12), date(2026, 7, 1), None),
            ],
            actor=self.editor,
        )

    def test_a_closure_without_an_alternative_is_saved_and_flagged(self) -> None:
        today = timezone.localdate()
        warnings = services.replace_schedule(
            self.autism,
            weekdays(time(9), time(17)),
            [services.ClosureData(today, today + timedelta(days=14), "Zomer")],
            actor=self.editor,
        )
        self.assertEqual(len(warnings), 1)
        self.assertIn("waar mensen dan terechtkunnen", warnings[0])
        items = review.editor_entries(self.editor)
        autism = next(i for i in items if i.entry == self.autism)
        self.assertEqual([r.code for r in autism.reasons], ["closure"])

    def test_a_crisis_line_without_hours_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.save_crisis_line(
                self.office_heerlen,
                services.CrisisLineData(name="Gemeente Heerlen", phone="045 – 560 4004"),
                actor=self.town_editor,
            )
        self.assertIn("schedule", caught.exception.message_dict)

    def test_a_gap_in_coverage_is_shown_before_saving(self) -> None:
        self.regional.delete()  # without the region's line, evenings have no number
        data = services.CrisisLineData(
            name="Gemeente Heerlen",
            phone="045 – 560 4004",
            slots=weekdays(time(8, 30), time(17)),
        )
        with self.assertRaises(services.GapsFound) as caught:
            services.save_crisis_line(self.office_heerlen, data, actor=self.town_editor)
        self.assertIn("Heerlen heeft geen nummer", caught.exception.gaps[0])
        changed, warnings = services.save_crisis_line(
            self.office_heerlen,
            services.CrisisLineData(
                name="Gemeente Heerlen", phone="045 – 560 4005", slots=data.slots
            ),
            actor=self.town_editor,
            accept_gaps=True,
        )
        self.assertEqual(changed, ["phone"])
        self.assertTrue(warnings)
        self.assert_audited(
            "directory.crisis_line_changed", actor=self.town_editor, new="045 – 560 4005"
        )

    def test_conflicting_numbers_for_one_line_land_in_the_queue(self) -> None:
        # The two published versions of one crisis page give two office numbers.
        report = services.record_conflict(
            self.office_heerlen, number="045 – 567 7530", source="Crisispagina 2023", actor=None
        )
        assert report is not None
        self.assertIsNone(
            services.record_conflict(
                self.office_heerlen, number="045 – 567 7530", source="Crisispagina", actor=None
            )
        )
        item = next(i for i in review.queue([self.region.pk]) if i.entry == self.office_heerlen)
        self.assertIn("045 – 567 7530", item.reasons[0].text)
        self.assertIn("045 – 560 4004", item.reasons[0].text)
        services.resolve_report(
            report, actor=self.town_editor, resolution="Gebeld", use_suggested=True
        )
        self.office_heerlen.refresh_from_db()
        self.assertEqual(self.office_heerlen.phone, "045 – 567 7530")

    def test_the_hsds_export_carries_the_confirmation(self) -> None:
        services.confirm_entry(self.autism, actor=self.editor)
        document = exchange.export_map()
        autism = next(s for s in document["services"] if s["id"] == str(self.autism.uuid))
        self.assertEqual(hsds.errors("service", autism), [])
        self.assertEqual(
            [(m["last_action_type"], m["updated_by"]) for m in autism["metadata"]],
            [("verified", self.provider_a.name)],
        )
        self.assertEqual(autism["x_rits"]["review"]["state"], "confirmed")


class AccessTests(UpkeepTestCase):
    def test_nobody_but_the_keeper_reaches_an_entrys_edit_pages(self) -> None:
        report = Report.objects.create(kind="wrong_number", service=self.anxiety, number="1")
        own = Location.objects.create(
            provider=self.provider_b,
            name="GGZ Kerkrade",
            address_1="Straat 1",
            postal_code="6461 AA",
            city="Kerkrade",
            municipality=self.heerlen,
        )
        for method, url in (
            ("get", f"/sociale-kaart/dienst/{self.anxiety.pk}/tijden/"),
            ("post", f"/sociale-kaart/dienst/{self.anxiety.pk}/tijden/"),
            ("get", f"/sociale-kaart/dienst/{self.anxiety.pk}/contacten/"),
            ("post", f"/sociale-kaart/dienst/{self.anxiety.pk}/bevestigen/"),
            ("get", f"/sociale-kaart/locatie/{own.pk}/"),
            ("get", f"/sociale-kaart/aanbieder/{self.provider_b.pk}/locatie/"),
            ("get", f"/sociale-kaart/crisislijn/{self.office_heerlen.pk}/"),
            ("post", f"/sociale-kaart/crisislijn/{self.office_heerlen.pk}/bevestigen/"),
            ("post", f"/sociale-kaart/melding/{report.pk}/afhandelen/"),
        ):
            for user in (self.editor, self.outsider):
                login(self.client, user)
                with self.subTest(url=url, user=user.email):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 404)
        login(self.client, self.outsider)
        self.assertEqual(self.client.get("/sociale-kaart/beheer/").status_code, 404)
        self.assertEqual(self.client.get("/sociale-kaart/beheer/wachtrij/").status_code, 404)
        self.assertFalse(Entry.objects.filter(event__startswith="directory.").exists())

    def test_a_report_needs_a_sign_in(self) -> None:
        url = f"/sociale-kaart/crisislijn/{self.office_heerlen.pk}/melden/"
        self.assertEqual(self.client.get(url).status_code, 302)
        login(self.client, self.parent)
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"suggested": "bel me", "note": ""})
        self.assertContains(response, "geen telefoonnummer", status_code=422)
        self.assertFalse(Report.objects.exists())

    def test_the_functional_admin_sees_the_queue_oldest_first(self) -> None:
        self.age_everything(200)
        Service.objects.filter(pk=self.parenting.pk).update(
            checked_at=timezone.now() - timedelta(days=400)
        )
        login(self.client, self.admin)
        page = self.client.get("/sociale-kaart/beheer/wachtrij/")
        self.assertEqual(page.status_code, 200)
        items = page.context["items"]
        self.assertEqual(items[0].entry, self.parenting)
        self.assertEqual([i.since for i in items], sorted(i.since for i in items))

    def test_forms_validate_as_the_api_does(self) -> None:
        login(self.client, self.editor)
        response = self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/tijden/",
            {
                "slot-TOTAL_FORMS": "1",
                "slot-INITIAL_FORMS": "0",
                "slot-0-weekday": "0",
                "slot-0-opens_at": "17:00",
                "slot-0-closes_at": "09:00",
                "closure-TOTAL_FORMS": "0",
                "closure-INITIAL_FORMS": "0",
            },
        )
        self.assertContains(response, "sluitingstijd", status_code=422)
        self.assertEqual(self.autism.hours.count(), 5)


class MapTests(UpkeepTestCase):
    second: Location

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Location.objects.filter(pk=cls.location_a.pk).update(latitude=50.8882, longitude=5.9795)
        cls.second = Location.objects.create(
            provider=cls.provider_a,
            name="Spreekuur Schaesberg",
            address_1="Markt 2",
            postal_code="6371 AA",
            city="Landgraaf",
            municipality=cls.landgraaf,
            latitude=50.8990,
            longitude=6.0200,
        )
        cls.autism.at_locations.create(location=cls.second)

    def region_codes(self) -> list[str]:
        return list(self.region.municipalities.values_list("code", flat=True))

    def test_the_search_map_has_one_shape_per_municipality_and_a_dot_per_location(self) -> None:
        response = self.client.get("/sociale-kaart/", {"gemeente": "GM0917"})
        body = response.content.decode()
        for code in self.region_codes():
            self.assertEqual(body.count(f'data-code="{code}"'), 1, code)
        self.assertEqual(body.count('class="map-dot"'), 2)  # autism's two locations
        # A municipality's shape filters the search by it; the list says the same.
        self.assertIn('href="/sociale-kaart/?gemeente=GM0882"', body)
        self.assertContains(response, "De kaart als lijst")

    def test_a_services_page_shades_its_areas_and_shows_its_locations(self) -> None:
        response = self.client.get(f"/sociale-kaart/dienst/{self.anxiety.pk}/")
        body = response.content.decode()
        for code in self.region_codes():
            self.assertEqual(body.count(f'data-code="{code}"'), 1, code)
        self.assertEqual(body.count('class="map-dot"'), 0)  # no locations
        served = response.context["service_map"].rows
        self.assertEqual(sorted(r.name for r in served), ["Heerlen", "Landgraaf", "Voerendaal"])
        autism = self.client.get(f"/sociale-kaart/dienst/{self.autism.pk}/").content.decode()
        self.assertEqual(autism.count('class="map-dot"'), 2)

    def test_the_region_map_and_the_country_map(self) -> None:
        region = self.client.get("/sociale-kaart/kaart/", {"regio": "JZ41"})
        self.assertEqual(region.content.decode().count('class="map-dot"'), 2)
        country = self.client.get("/sociale-kaart/kaart/", {"regio": "NL"})
        body = country.content.decode()
        self.assertEqual(body.count("data-code="), 342)
        self.assertEqual(body.count('class="map-dot"'), 0)
        heerlen = next(r for r in country.context["drawn"].rows if r.code == "GM0917")
        self.assertEqual(heerlen.count, 2)  # autism, anxiety (the stopped one does not count)

    def test_the_crisis_page_shows_which_municipalities_a_line_covers_now(self) -> None:
        response = self.client.get(
            "/wie-bel-ik-nu/", {"gemeente": "GM0917", "datum": "2026-03-10", "tijd": "10:00"}
        )
        lines = {c.name: c.places for c in response.context["crisis_cover"][1]}
        self.assertEqual(lines["Gemeente Heerlen"], ["Heerlen"])
        self.assertIn("Landgraaf", lines["Crisishulp Jeugd Zuid-Limburg"])
        self.assertContains(response, "Welk nummer elke gemeente nu belt")


class ApiTests(UpkeepTestCase):
    def call(self, method: str, url: str, user: User, body: object = None) -> Any:
        from rits.accounts.models import ApiToken

        raw = f"rits_upkeep_{user.pk}_abcdefghijklmnopqrstuvwxyz"
        if not ApiToken.objects.filter(token_hash=ApiToken.hash(raw)).exists():
            ApiToken.objects.create(
                user=user, name="t", token_hash=ApiToken.hash(raw), hint=raw[:9]
            )
        headers = {"Authorization": f"Bearer {raw}"}
        if method == "get":
            return Client().get("/api/v1" + url, headers=headers)
        return getattr(Client(), method)(
            "/api/v1" + url,
            json.dumps(body or {}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

    def test_the_same_round_through_the_api(self) -> None:
        self.age_everything(200)
        confirmed = self.call("post", f"/services/{self.autism.uuid}/confirm", self.editor)
        self.assertEqual(confirmed.json()["state"], "confirmed")
        refused = self.call("post", f"/services/{self.anxiety.uuid}/confirm", self.editor)
        self.assertEqual(refused.status_code, 404)  # org B's service
        made = self.call(
            "post",
            f"/crisis/lines/{self.office_heerlen.pk}/reports",
            self.professional,
            {"suggested": "045 – 560 4005", "note": "Oud nummer"},
        )
        self.assertEqual(made.status_code, 201)
        queue = self.call("get", "/review/queue", self.admin).json()
        heerlen = next(i for i in queue if i["id"] == str(self.office_heerlen.uuid))
        self.assertIn("reported", [r["code"] for r in heerlen["reasons"]])
        self.assertEqual(self.call("get", "/review/queue", self.editor).status_code, 404)
        resolved = self.call(
            "post",
            f"/review/reports/{made.json()['id']}/resolve",
            self.town_editor,
            {"resolution": "Klopt", "use_suggested": True},
        )
        self.assertEqual(resolved.status_code, 200, resolved.content)
        self.office_heerlen.refresh_from_db()
        self.assertEqual(self.office_heerlen.phone, "045 – 560 4005")
        mine = self.call("get", "/review/mine", self.town_editor).json()
        self.assertEqual([i["name"] for i in mine], ["Gemeente Heerlen"])

    def test_bad_input_is_a_clear_dutch_422_and_changes_nothing(self) -> None:
        line = f"/crisis/lines/{self.office_heerlen.pk}"
        no_hours = self.call(
            "put",
            line,
            self.town_editor,
            {"name": "Gemeente Heerlen", "phone": "045 1", "slots": []},
        )
        self.assertEqual(no_hours.status_code, 422)
        self.assertIn("tijden nodig", no_hours.content.decode())
        backwards = self.call(
            "put",
            line,
            self.town_editor,
            {
                "name": "Gemeente Heerlen",
                "phone": "045 – 560 4004",
                "slots": [{"weekday": 0, "opens_at": "17:00", "closes_at": "09:00"}],
            },
        )
        self.assertEqual(backwards.status_code, 422)
        self.assertEqual(self.office_heerlen.hours.count(), 5)
        outside = self.call(
            "post",
            f"/organizations/{self.provider_a.uuid}/locations",
            self.editor,
            {
                "name": "Aken",
                "address_1": "Markt 1",
                "postal_code": "6411 AA",
                "city": "Aken",
                "municipality": "Heerlen",
                "latitude": 50.7753,
                "longitude": 6.0839,
            },
        )
        self.assertEqual(outside.status_code, 422)
        self.assertIn("buiten Nederland", outside.content.decode())
        elsewhere = self.call(
            "post",
            f"/organizations/{self.provider_a.uuid}/locations",
            self.editor,
            {
                "name": "Amsterdam",
                "address_1": "Dam 1",
                "postal_code": "1012 JS",
                "city": "Amsterdam",
                "municipality": "GM0363",
            },
        )
        self.assertIn("niet in deze regio", elsewhere.content.decode())
        self.assertEqual(Location.objects.count(), 1)
        other = self.call(
            "post",
            f"/organizations/{self.provider_b.uuid}/locations",
            self.editor,
            {
                "name": "X",
                "address_1": "Markt 1",
                "postal_code": "6411 AA",
                "city": "Heerlen",
                "municipality": "Heerlen",
            },
        )
        self.assertEqual(other.status_code, 404)
