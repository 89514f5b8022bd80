"""The pages of the flow, as each persona sees them; outsiders get 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.dialogues import services
from rits.dialogues.models import Account, Code, Finding, ImprovementAction, Kind, Trajectory
from rits.dialogues.tests.base import DialogueTestCase, leaked
from rits.testing import login


class PageTests(DialogueTestCase):
    def test_the_whole_flow_through_the_pages(self) -> None:
        login(self.client, self.coordinator)
        response = self.client.post(
            "/dialoogtafels/voordragen/", {"plan": self.plan.pk, "title": "Schoolgang Jesse"}
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        trajectory = Trajectory.objects.get()
        self.assertEqual(leaked(trajectory.title), [])
        for user in (self.parent, self.youth):
            login(self.client, user)
            page = self.client.get(f"/dialoogtafels/toestemming/{trajectory.pk}/")
            self.assertContains(page, "Mogen we samen terugkijken")
            self.client.post(f"/dialoogtafels/toestemming/{trajectory.pk}/", {"give": "1"})
        self.assertTrue(services.consent_complete(trajectory))
        login(self.client, self.facilitator)
        response = self.client.post(
            "/dialoogtafels/nieuw/",
            {
                "kind": "case",
                "title": "Tafel",
                "trajectories": [trajectory.pk],
                "starts_at": "2030-01-10T14:00",
                "location": "Heerlen",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:800])
        table = trajectory.tables.get()
        self.client.post(
            f"/dialoogtafels/{table.pk}/uitnodigen/", {"email": self.chair.email, "role": "chair"}
        )
        self.client.post(f"/dialoogtafels/{table.pk}/verslag/", {"prepare": "1"})
        account = Account.objects.get(table=table)
        login(self.client, self.chair)
        self.assertNotContains(self.client.get(f"/dialoogtafels/{table.pk}/"), account.text[:30])
        login(self.client, self.facilitator)
        self.client.post(f"/dialoogtafels/{table.pk}/verslag/", {"release": "1"})
        self.client.post(
            f"/dialoogtafels/{table.pk}/gehouden/", {"held_on": timezone.localdate().isoformat()}
        )
        login(self.client, self.chair)
        page = self.client.get(f"/dialoogtafels/{table.pk}/")
        self.assertContains(page, "Chronologisch verslag")
        improvement = Code.objects.filter(region=self.region, kind=Kind.IMPROVEMENT).first()
        assert improvement is not None
        response = self.client.post(
            f"/dialoogtafels/{table.pk}/bevindingen/",
            {
                "text": "Petra wil één plan",
                "phase": "plan",
                "view": "parent",
                "codes": [improvement.pk],
            },
        )
        finding = Finding.objects.get()
        self.assertRedirects(
            response,
            f"/dialoogtafels/bevindingen/{finding.pk}/actie/",
            fetch_redirect_response=False,
        )
        response = self.client.post(
            f"/dialoogtafels/bevindingen/{finding.pk}/actie/",
            {
                "what": "Eén plan",
                "owner_organisation": self.org_a.pk,
                "owner": self.professional.email,
                "due_date": (timezone.localdate() + timedelta(days=20)).isoformat(),
            },
        )
        action = ImprovementAction.objects.get()
        login(self.client, self.professional)
        response = self.client.post(
            f"/dialoogtafels/acties/{action.pk}/", {"status": "done", "result": "Afgesproken"}
        )
        self.assertEqual(response.status_code, 302)
        action.refresh_from_db()
        self.assertEqual(action.status, "done")
        ics = self.client.get(f"/dialoogtafels/{table.pk}/uitnodiging.ics")
        self.assertEqual(ics.status_code, 404)  # the owner is not at the table
        login(self.client, self.chair)
        ics = self.client.get(f"/dialoogtafels/{table.pk}/uitnodiging.ics")
        self.assertIn(b"BEGIN:VEVENT", ics.content)
        self.assertNotIn(b"Jesse", ics.content)

    def test_outsiders_get_404_everywhere(self) -> None:
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="x",
            phase="help",
            view="shared",
            codes=[self.code(Kind.IMPROVEMENT)],
        )
        action = services.create_action(
            finding,
            actor=self.chair,
            what="y",
            owner_organisation=self.org_a,
            owner=self.professional,
            due_date=timezone.localdate() + timedelta(days=3),
        )
        trajectory = table.trajectories.get()
        urls = [
            f"/dialoogtafels/{table.pk}/",
            f"/dialoogtafels/{table.pk}/uitnodiging.ics",
            f"/dialoogtafels/{table.pk}/bevindingen/",
            f"/dialoogtafels/toestemming/{trajectory.pk}/",
            f"/dialoogtafels/bevindingen/{finding.pk}/actie/",
            f"/dialoogtafels/bevindingen/{finding.pk}/tweede-codering/",
            f"/dialoogtafels/acties/{action.pk}/",
            f"/dialoogtafels/codes/{self.code().pk}/",
            "/dialoogtafels/overzicht/",
            "/dialoogtafels/codeboek/",
        ]
        for user in (self.outsider, self.jim, self.privacy_officer, self.admin):
            login(self.client, user)
            for url in urls:
                with self.subTest(user=user.full_name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_municipality_staff_see_figures_only(self) -> None:
        login(self.client, self.municipality_officer)
        self.assertEqual(self.client.get("/dialoogtafels/overzicht/").status_code, 200)
        self.assertEqual(self.client.get("/dialoogtafels/overzicht/tellingen.csv").status_code, 200)
        self.assertEqual(
            self.client.get("/dialoogtafels/overzicht/bevindingen.csv").status_code, 404
        )
        self.assertEqual(self.client.get("/dialoogtafels/overzicht/project.qdpx").status_code, 404)
        self.assertEqual(
            self.client.get(
                f"/dialoogtafels/overzicht/segmenten/?code={self.code().pk}"
            ).status_code,
            404,
        )

    def test_the_researcher_sees_segments_from_five_tables_only(self) -> None:
        code = self.code()
        table = self.open_table()
        services.record_finding(
            table, actor=self.chair, text="Wachten", phase="access", view="shared", codes=[code]
        )
        login(self.client, self.researcher)
        page = self.client.get(f"/dialoogtafels/overzicht/segmenten/?code={code.pk}")
        self.assertContains(page, "Minder dan 5 tafels")
        self.assertNotContains(page, "Wachten")
        self.assertNotContains(self.client.get("/dialoogtafels/overzicht/"), code.name + "</a>")

    def test_second_coder_does_not_see_first_codes(self) -> None:
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="Segment",
            phase="help",
            view="shared",
            codes=[self.code()],
        )
        services.invite(table, actor=self.facilitator, user=self.researcher, role="second_coder")
        login(self.client, self.researcher)
        page = self.client.get(f"/dialoogtafels/{table.pk}/")
        self.assertContains(page, "tweede codeur")
        self.assertNotContains(page, self.code().name)
        second = self.code(Kind.SUCCESS_FACTOR)
        self.client.post(
            f"/dialoogtafels/bevindingen/{finding.pk}/tweede-codering/", {"codes": [second.pk]}
        )
        self.assertEqual(finding.codings.filter(round="second").get().code, second)

    def test_bad_import_shows_errors_and_changes_nothing(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        login(self.client, self.facilitator)
        before = Code.objects.count()
        response = self.client.post(
            "/dialoogtafels/codeboek/importeren/",
            {
                "file": SimpleUploadedFile(
                    "x.qdc", b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'
                )
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "niet ingelezen", status_code=422)
        self.assertEqual(Code.objects.count(), before)

    def test_synthesis_page_for_the_facilitator(self) -> None:
        login(self.client, self.facilitator)
        page = self.client.get("/dialoogtafels/overzicht/")
        self.assertContains(page, "Codes per soort")
        self.assertEqual(
            self.client.get(
                "/dialoogtafels/overzicht/?start=2026-05-01&end=2020-01-01"
            ).status_code,
            422,
        )
        self.assertEqual(
            self.client.get("/dialoogtafels/overzicht/bevindingen.xlsx").status_code, 200
        )
        self.assertEqual(self.client.get("/dialoogtafels/codeboek/export.qdc").status_code, 200)
        self.assertEqual(self.client.get("/dialoogtafels/overeenstemming/").status_code, 200)
