"""Input that once gave a server error (500) gets a clear 4xx and changes nothing:
ids beyond 64 bits, files that are not UTF-8, a broken multipart body, moments at the
end of the calendar or with offsets RFC 3339 does not know."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from rits.accounts.models import ApiToken, User
from rits.audit.models import Entry
from rits.directory.tests.base import DirectoryTestCase
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.involvement.models import Signal
from rits.involvement.tests.base import IndexTestCase
from rits.lib.ids import MAX_ID
from rits.lib.pseudonyms import synthetic_bsn
from rits.testing import login

TOO_BIG = "99999999999999999999"
# Latin-1 "é": not UTF-8. The BSN is synthetic, made here.
NOT_UTF8 = (
    f"bsn,birth_date,municipality\n{synthetic_bsn(random.Random(7))},2015-01-01,GM0917,Jos\xe9\n"
).encode("latin-1")


def walk(patterns: list, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += [(prefix + str(p.pattern), c) for c in p.pattern.converters.values()]
            found += walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found += [(prefix + str(p.pattern), c) for c in p.pattern.converters.values()]
    return found


class RouteTests(SimpleTestCase):
    def test_no_route_takes_an_unbounded_int(self) -> None:
        converters = walk(get_resolver().url_patterns)

        self.assertGreater(len(converters), 40)
        # django-otp's own admin pages (functional admins only) are not Rits's routes.
        unbounded = [
            route
            for route, c in converters
            if isinstance(c, IntConverter) and not route.startswith("beheer/otp_totp/")
        ]
        self.assertEqual(unbounded, [])


class BadInputTests(FamilyPlanTestCase, DirectoryTestCase, IndexTestCase):
    def setUp(self) -> None:
        DirectoryTestCase.setUp(self)
        IndexTestCase.setUp(self)

    def bearer(self, user: User) -> dict[str, str]:
        raw = f"rits_bad_{user.pk}_abcdefghijklmnopqrstuvwxyz0123"
        ApiToken.objects.get_or_create(
            user=user, name="bad", token_hash=ApiToken.hash(raw), defaults={"hint": raw[:9]}
        )
        return {"Authorization": f"Bearer {raw}"}

    def assert_problem(self, response: object, status: int) -> None:
        self.assertEqual(response.status_code, status, response.content)  # type: ignore[attr-defined]
        self.assertEqual(response["Content-Type"], "application/problem+json")  # type: ignore[index]

    def test_an_id_beyond_64_bits_is_a_404_page(self) -> None:
        login(self.client, self.coordinator)
        for path in (
            f"/gezin/{TOO_BIG}/",
            f"/gezin/{self.plan.pk}/doelen/{TOO_BIG}/",
            f"/betrokkenheid/signalen/{TOO_BIG}/",
            f"/sociale-kaart/dienst/{TOO_BIG}/",
            f"/gezin/{MAX_ID + 1}/",
        ):
            self.assertContains(self.client.get(path), "Pagina niet gevonden", status_code=404)
        self.assertEqual(self.client.get(f"/gezin/{MAX_ID}/").status_code, 404)

    def test_an_outsider_gets_the_same_404_for_a_real_plan(self) -> None:
        login(self.client, self.outsider)

        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/gezin/{TOO_BIG}/").status_code, 404)

    def test_an_api_id_beyond_64_bits_is_a_422_problem_that_changes_nothing(self) -> None:
        headers = self.bearer(self.coordinator)
        base = "/api/v1/family-plans/plans"
        before = Entry.objects.count()
        for method, path in (
            ("get", f"{base}/{TOO_BIG}"),
            ("get", f"{base}/{TOO_BIG}/network"),
            ("post", f"{base}/{self.plan.pk}/goals/{TOO_BIG}/scores"),
            ("patch", f"{base}/{TOO_BIG}/persons/{TOO_BIG}"),
            ("delete", f"{base}/{self.plan.pk}/relationships/{TOO_BIG}"),
            ("get", f"/api/v1/involvement/signals/{TOO_BIG}"),
            ("delete", f"/api/v1/accounts/tokens/{TOO_BIG}"),
        ):
            response = getattr(self.client, method)(
                path, {}, content_type="application/json", headers=headers
            )
            self.assert_problem(response, 422)
        self.assertEqual(Entry.objects.count(), before)

    def test_an_id_beyond_64_bits_in_a_body_is_a_422_problem(self) -> None:
        response = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/decisions",
            {"title": "Samen besluiten", "ask_user_ids": [int(TOO_BIG)]},
            content_type="application/json",
            headers=self.bearer(self.coordinator),
        )

        self.assert_problem(response, 422)
        self.assertFalse(self.plan.decisions.exists())

    def test_a_non_utf8_file_on_the_import_page_is_a_dutch_file_error(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(
            reverse("involvement:import"),
            {"file": SimpleUploadedFile("export.csv", NOT_UTF8), "organisation": self.org_a.pk},
        )

        self.assertContains(response, "Het bestand is geen UTF-8-tekst", status_code=422)
        self.assertFalse(Signal.objects.exists())

    def test_a_non_utf8_file_in_the_api_is_a_422_problem(self) -> None:
        for name in ("export.csv", "export.jsonl"):
            response = self.client.post(
                f"/api/v1/involvement/imports?organisation_id={self.org_a.pk}",
                {"file": SimpleUploadedFile(name, NOT_UTF8)},
                headers=self.bearer(self.professional),
            )
            self.assert_problem(response, 422)
            self.assertEqual(response.json()["errors"][0]["loc"], ["file"])
        self.assertFalse(Signal.objects.exists())

    def test_a_non_utf8_file_in_the_command_is_a_command_error(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.csv"
            path.write_bytes(NOT_UTF8)
            with self.assertRaisesMessage(CommandError, "UTF-8"):
                call_command("import_involvement", str(path), reporter=self.professional.email)
        self.assertFalse(Signal.objects.exists())

    def test_a_non_utf8_file_for_the_social_map_is_a_dutch_file_error(self) -> None:
        login(self.client, self.editor)
        response = self.client.post(
            reverse("directory_import", args=[self.provider_a.pk]),
            {"file": SimpleUploadedFile("aanbod.csv", NOT_UTF8)},
        )

        self.assertContains(response, "Het bestand is geen UTF-8-tekst", status_code=422)

    def test_a_broken_multipart_body_is_a_400(self) -> None:
        body = b"--abc\r\nContent-Disposition: form-data; name=file; filename=x.csv\r\n\r\nbsn"
        login(self.client, self.professional)
        page = self.client.generic(
            "POST",
            reverse("involvement:import"),
            body,
            content_type="multipart/form-data; boundary=",
        )
        api = self.client.generic(
            "POST",
            "/api/v1/involvement/imports",
            body,
            content_type="multipart/form-data; boundary=",
            headers=self.bearer(self.professional),
        )

        self.assertContains(page, "Rits begrijpt deze vraag niet", status_code=400)
        self.assert_problem(api, 400)
        self.assertFalse(Signal.objects.exists())

    def test_the_crisis_route_refuses_a_moment_at_the_end_of_the_calendar(self) -> None:
        for at in (
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "9999-12-31T23:59:59-23:59",
            # Amsterdam's offset was +00:19:32 then: no RFC 3339 offset.
            "1900-01-01T12:00",
            "2026-12-04T12:00:00+00:00:30",
        ):
            response = self.client.get("/api/v1/crisis/now", {"municipality": "GM0917", "at": at})
            self.assert_problem(response, 422)

    def test_the_crisis_route_answers_in_amsterdam_time_whatever_the_offset(self) -> None:
        for at in ("2026-12-04T12:00:00+13:45", "2026-07-01T23:30:00-09:17", "2026-12-04T12:00"):
            response = self.client.get("/api/v1/crisis/now", {"municipality": "GM0917", "at": at})
            self.assertEqual(response.status_code, 200, response.content)
            answer = response.json()
            self.assertRegex(answer["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$")
            if answer["until"]:
                self.assertRegex(answer["until"], r"\+0[12]:00$")

    def test_an_opening_time_with_an_offset_is_a_422_problem(self) -> None:
        response = self.client.put(
            f"/api/v1/services/{self.autism.uuid}/schedules",
            {"slots": [{"weekday": 0, "opens_at": "09:00+02:00", "closes_at": "17:00"}]},
            content_type="application/json",
            headers=self.bearer(self.editor),
        )

        self.assert_problem(response, 422)

    def test_an_audit_search_from_year_1_to_9999_finds_every_entry(self) -> None:
        login(self.client, self.privacy_officer)
        dates = {"date_from": "0001-01-01", "date_to": "9999-12-31"}

        page = self.client.get(reverse("audit:search"), dates)
        api = self.client.get(
            "/api/v1/audit/entries", dates, headers=self.bearer(self.privacy_officer)
        )

        self.assertEqual(page.status_code, 200)
        self.assertEqual(api.status_code, 200, api.content)
        self.assertGreater(api.json()["count"], 0)

    def test_a_nul_character_is_a_4xx_problem_on_either_database(self) -> None:
        headers = self.bearer(self.coordinator)
        goal = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
            {"title": "Naar school", "domain": "school_work"},
            content_type="application/json",
            headers=headers,
        ).json()

        body = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals/{goal['id']}/scores",
            {"score": 2, "note": "a\x00b"},
            content_type="application/json",
            headers=headers,
        )
        query = self.client.get("/api/v1/services", {"search": "a\x00b"}, headers=headers)

        self.assert_problem(body, 422)
        self.assertIn("U+0000", str(body.json()["errors"]))
        self.assert_problem(query, 422)
        self.assertFalse(self.plan.goals.get().scores.exists())

    def test_an_evaluation_at_the_end_of_the_calendar_is_a_422_problem(self) -> None:
        response = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/evaluations",
            {"starts_at": "0001-01-01T04:04:00+04:22"},
            content_type="application/json",
            headers=self.bearer(self.coordinator),
        )

        self.assert_problem(response, 422)

    def test_a_file_with_a_nul_character_is_a_file_error_on_either_database(self) -> None:
        csv_with_nul = (
            "bsn,birth_date,municipality,contact_name\n"
            f"{self.bsn()},{self.born(10).isoformat()},GM0917,Jan\x00Smit\n"
        ).encode()
        login(self.client, self.professional)
        index = self.client.post(
            reverse("involvement:import"),
            {"file": SimpleUploadedFile("export.csv", csv_with_nul), "organisation": self.org_a.pk},
        )
        login(self.client, self.editor)
        social_map = self.client.post(
            reverse("directory_import", args=[self.provider_a.pk]),
            {"file": SimpleUploadedFile("aanbod.csv", b"name,description\nA\x00B,x\n")},
        )

        self.assertContains(index, "Het bestand bevat een NUL-teken", status_code=422)
        self.assertContains(social_map, "Het bestand bevat een NUL-teken", status_code=422)
        self.assertFalse(Signal.objects.exists())
