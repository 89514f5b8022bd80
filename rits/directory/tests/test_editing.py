"""Who may change the social map, and that every change is audited."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from rits.accounts.models import ApiToken, User
from rits.audit.models import Entry
from rits.directory import search
from rits.directory.models import Service
from rits.directory.tests.base import DirectoryTestCase
from rits.testing import login


def form_data(service: Service, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "themes": [t.pk for t in service.themes.all()],
        "minimum_age": service.minimum_age if service.minimum_age is not None else "",
        "maximum_age": service.maximum_age if service.maximum_age is not None else "",
        "languages_list": service.language_codes,
        "municipalities": [a.municipality_id for a in service.areas.all() if a.area_id is None],
        "wijken": [a.area_id for a in service.areas.all() if a.area_id],
        "wait_weeks": service.wait_weeks if service.wait_weeks is not None else "",
    }
    data.update(changes)
    return data


class ServiceEditPageTests(DirectoryTestCase):
    def url(self, service: Service) -> str:
        return f"/sociale-kaart/dienst/{service.pk}/bewerken/"

    def test_the_organisation_editor_changes_their_own_service(self) -> None:
        login(self.client, self.editor)
        response = self.client.post(
            self.url(self.autism), form_data(self.autism, name="Autisme-begeleiding thuis")
        )
        self.assertRedirects(response, f"/sociale-kaart/dienst/{self.autism.pk}/")
        self.autism.refresh_from_db()
        self.assertEqual(self.autism.name, "Autisme-begeleiding thuis")
        entry = Entry.objects.get(event="directory.service_changed")
        self.assertEqual((entry.actor, entry.object_id), (self.editor, str(self.autism.pk)))
        self.assertIn("name", entry.data["changed"])
        found = search.search(search.SearchParams(q="thuis autisme"))
        self.assertEqual([s.pk for s in found.services], [self.autism.pk])

    def test_another_organisations_editor_gets_a_404(self) -> None:
        login(self.client, self.editor)
        self.assertEqual(self.client.get(self.url(self.anxiety)).status_code, 404)
        response = self.client.post(self.url(self.anxiety), form_data(self.anxiety, name="X"))
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Entry.objects.filter(event="directory.service_changed").exists())

    def test_the_functional_admin_changes_any_service(self) -> None:
        login(self.client, self.admin)
        response = self.client.post(self.url(self.anxiety), form_data(self.anxiety, wait_weeks=3))
        self.assertEqual(response.status_code, 302)
        self.anxiety.refresh_from_db()
        self.assertEqual(self.anxiety.wait_weeks, 3)
        self.assertFalse(self.anxiety.wait_is_stale)

    def test_a_professional_reads_but_may_not_edit(self) -> None:
        login(self.client, self.professional)
        self.assertEqual(
            self.client.get(f"/sociale-kaart/dienst/{self.autism.pk}/").status_code, 200
        )
        self.assertEqual(self.client.get(self.url(self.autism)).status_code, 404)

    def test_an_outsider_does_not_see_an_inactive_service(self) -> None:
        login(self.client, self.outsider)  # org B's professional, no editor rights
        self.assertEqual(
            self.client.get(f"/sociale-kaart/dienst/{self.closed.pk}/").status_code, 404
        )
        self.assertEqual(self.client.get(self.url(self.closed)).status_code, 404)

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        response = Client().get(self.url(self.autism))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/account/login/", response["Location"])

    def test_impossible_ages_are_refused(self) -> None:
        login(self.client, self.editor)
        response = self.client.post(
            self.url(self.autism), form_data(self.autism, minimum_age=15, maximum_age=4)
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        response = self.client.post(self.url(self.autism), form_data(self.autism, minimum_age=300))
        self.assertContains(response, "errorlist")
        self.autism.refresh_from_db()
        self.assertEqual((self.autism.minimum_age, self.autism.maximum_age), (4, 18))

    def test_the_editor_adds_a_service(self) -> None:
        login(self.client, self.editor)
        url = f"/sociale-kaart/aanbieder/{self.provider_a.pk}/nieuw/"
        data = form_data(self.autism, name="Nieuwe groep", municipalities=[self.landgraaf.pk])
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Entry.objects.filter(event="directory.service_created").exists())
        login(self.client, self.outsider)
        self.assertEqual(
            self.client.get(f"/sociale-kaart/aanbieder/{self.provider_a.pk}/nieuw/").status_code,
            404,
        )

    def test_confirming_the_waiting_time_is_audited(self) -> None:
        login(self.client, self.editor)
        response = self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/wachttijd/", {"wait_weeks": 7}
        )
        self.assertEqual(response.status_code, 302)
        entry = Entry.objects.get(event="directory.wait_time_confirmed")
        self.assertEqual(entry.data, {"old": 10, "new": 7})
        login(self.client, self.professional)
        response = self.client.post(
            f"/sociale-kaart/dienst/{self.autism.pk}/wachttijd/", {"wait_weeks": 1}
        )
        self.assertEqual(response.status_code, 404)


class ServiceEditApiTests(DirectoryTestCase):
    def token(self, user: User) -> str:
        raw = "rits_" + "a" * 20 + str(user.pk)
        ApiToken.objects.create(user=user, name="test", token_hash=ApiToken.hash(raw), hint=raw[:9])
        return raw

    def put(self, url: str, body: object, token: str | None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Client().put(url, json.dumps(body), content_type="application/json", headers=headers)

    def test_editor_confirms_waiting_time_through_the_api(self) -> None:
        response = self.put(
            f"/api/v1/services/{self.autism.uuid}/wait-time",
            {"wait_weeks": 5},
            self.token(self.editor),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["x_rits"]["wait_weeks"], 5)
        self.assertTrue(Entry.objects.filter(event="directory.wait_time_confirmed").exists())

    def test_other_users_are_refused(self) -> None:
        url = f"/api/v1/services/{self.autism.uuid}/wait-time"
        self.assertEqual(self.put(url, {"wait_weeks": 5}, None).status_code, 401)
        self.assertEqual(
            self.put(url, {"wait_weeks": 5}, self.token(self.outsider)).status_code,
            404,
        )
        self.assertEqual(
            self.put(url, {"wait_weeks": 500}, self.token(self.editor)).status_code,
            422,
        )

    def test_schedules_are_replaced_and_malformed_ones_refused(self) -> None:
        token = self.token(self.editor)
        url = f"/api/v1/services/{self.autism.uuid}/schedules"
        good = {
            "slots": [{"weekday": 5, "opens_at": "10:00", "closes_at": "12:00"}],
            "closures": [{"starts_on": "2026-12-24", "ends_on": "2026-12-31", "reason": "Kerst"}],
        }
        response = self.put(url, good, token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.autism.hours.get().weekday, 5)
        backwards = {"slots": [{"weekday": 1, "opens_at": "17:00", "closes_at": "09:00"}]}
        response = self.put(url, backwards, token)
        self.assertEqual(response.status_code, 422)
        self.assertIn("Tijdvak 1", response.json()["title"])
        self.assertEqual(
            self.put(
                url, {"slots": [{"weekday": 9, "opens_at": "09:00", "closes_at": "10:00"}]}, token
            ).status_code,
            422,
        )
        self.assertEqual(self.autism.hours.get().weekday, 5)  # nothing half-changed


class ServiceDeleteTests(DirectoryTestCase):
    def test_a_removed_service_leaves_the_search_and_the_trail_keeps_it(self) -> None:
        from rits.directory import services

        services.delete_service(self.autism, actor=self.editor)
        found = search.search(search.SearchParams(q="autisme"))
        self.assertEqual((found.total, found.services), (0, []))
        entry = Entry.objects.get(event="directory.service_deleted")
        self.assertEqual(entry.object_label, "Begeleiding bij autisme")


class AdminAuditTests(DirectoryTestCase):
    def test_a_crisis_line_changed_in_the_admin_is_audited(self) -> None:
        superuser = User.objects.create_superuser("super@test.rits.nl", "x" * 16, full_name="Su")
        login(self.client, superuser)
        url = f"/beheer/directory/crisisline/{self.regional.pk}/change/"
        response = self.client.post(
            url,
            {
                "kind": "out_of_hours",
                "region": self.region.pk,
                "name": self.regional.name,
                "phone": "043 - 000 0000",
                "closed_on_holidays": self.regional.closed_on_holidays,
                "hours-TOTAL_FORMS": "0",
                "hours-INITIAL_FORMS": "0",
                "closures-TOTAL_FORMS": "0",
                "closures-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        entry = Entry.objects.get(event="directory.crisis_line_changed")
        self.assertEqual(entry.data["changed"], ["phone"])
