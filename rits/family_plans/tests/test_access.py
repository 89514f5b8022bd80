"""The access matrix: every persona against every plan page and API endpoint."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from rits.audit.models import Entry
from rits.family_plans.models import Action, Decision, Evaluation, Goal, Relationship
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login


class AccessMatrixTests(FamilyPlanTestCase):
    goal: Goal
    action: Action
    decision: Decision
    evaluation: Evaluation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="school_work", title="Naar school")
        cls.action = Action.objects.create(plan=cls.plan, what="Bellen", who="Petra")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Weekendopvang")
        cls.evaluation = Evaluation.objects.create(
            plan=cls.plan, starts_at=timezone.now() + timedelta(days=7)
        )

    def read_urls(self) -> list[str]:
        p = self.plan.pk
        return [
            reverse("family_plans:plan", args=[p]),
            reverse("family_plans:team", args=[p]),
            reverse("family_plans:history", args=[p]),
            reverse("family_plans:print", args=[p]),
            reverse("family_plans:fhir", args=[p]),
            reverse("family_plans:ecogram", args=[p]),
            reverse("family_plans:goal_edit", args=[p, self.goal.pk]),
            reverse("family_plans:action_edit", args=[p, self.action.pk]),
            reverse("family_plans:decision_edit", args=[p, self.decision.pk]),
            reverse("family_plans:evaluation_ics", args=[p, self.evaluation.pk]),
            reverse("family_plans:close", args=[p]),
            reverse("family_plans:person_edit", args=[p, self.parent_person.pk]),
            reverse("family_plans:person_remove", args=[p, self.parent_person.pk]),
            f"/api/v1/family-plans/plans/{p}",
            f"/api/v1/family-plans/plans/{p}/fhir",
            f"/api/v1/family-plans/plans/{p}/network",
        ]

    def test_it_shows_every_plan_view_to_the_family_and_consenting_team(self) -> None:
        for user in self.readers:
            login(self.client, user)
            for url in self.read_urls():
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_hides_every_plan_view_from_outsiders_admins_and_municipality(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            for url in self.read_urls():
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_hides_the_plan_from_a_colleague_in_the_same_organisation(self) -> None:
        from rits.accounts.models import Membership
        from rits.testing import make_user

        colleague = make_user("collega@test.rits.nl", "Cor Collega")
        Membership.objects.create(user=colleague, organisation=self.org_a, role="professional")
        login(self.client, colleague)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").status_code, 404
        )

    def test_it_refuses_writes_from_outsiders_with_404_and_changes_nothing(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            with self.subTest(user=user.email):
                r = self.client.post(
                    f"/gezin/{self.plan.pk}/doelen/nieuw/",
                    {"title": "x", "domain": "health"},
                )
                self.assertEqual(r.status_code, 404)
                r = self.client.post(
                    f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
                    {"title": "x", "domain": "health"},
                    content_type="application/json",
                )
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertEqual(self.plan.goals.count(), 1)

    def test_it_lets_every_editor_add_a_goal(self) -> None:
        for user in self.readers:
            login(self.client, user)
            r = self.client.post(
                f"/gezin/{self.plan.pk}/doelen/nieuw/",
                {"title": f"Doel van {user.full_name}", "domain": "health"},
            )
            self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        self.assertEqual(self.plan.goals.count(), 1 + len(self.readers))

    def test_it_lists_only_visible_plans(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get("/api/v1/family-plans/plans").json(), [])
        login(self.client, self.parent)
        ids = [p["id"] for p in self.client.get("/api/v1/family-plans/plans").json()]
        self.assertEqual(ids, [self.plan.pk])
        self.assertContains(self.client.get("/gezin/"), "Gezin Jongere (test)")

    def test_it_answers_404_for_an_unknown_plan_and_audits_the_attempt(self) -> None:
        login(self.client, self.coordinator)
        self.assertEqual(self.client.get("/gezin/999999/").status_code, 404)
        entry = Entry.objects.filter(event="family_plans.access_denied").first()
        assert entry is not None
        self.assertEqual(entry.object_id, "999999")
        self.assertEqual(entry.outcome, Entry.Outcome.DENIED)

    def test_it_answers_404_for_a_goal_of_another_plan(self) -> None:
        from rits.family_plans.models import Family, Person, Plan

        other_family = Family.objects.create(name="Ander gezin")
        youth = Person.objects.create(family=other_family, role="youth", name="Ander")
        other_plan = Plan.objects.create(family=other_family, youth=youth)
        foreign_goal = Goal.objects.create(plan=other_plan, domain="health", title="Geheim")
        login(self.client, self.coordinator)
        r = self.client.get(f"/gezin/{self.plan.pk}/doelen/{foreign_goal.pk}/")
        self.assertEqual(r.status_code, 404)

    def test_it_gives_403_to_a_read_only_network_member(self) -> None:
        self.jim_member.can_edit = False
        self.jim_member.save()
        login(self.client, self.jim)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/", {"title": "x", "domain": "health"}
        )
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
            {"title": "x", "domain": "health"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 403)

    def test_it_shows_the_access_log_to_the_family_only(self) -> None:
        login(self.client, self.professional)
        self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/inzage/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/access-log").status_code,
            403,
        )
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/inzage/").status_code, 404)
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/inzage/")
        self.assertContains(r, "Pim Professional")
        log = self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/access-log").json()
        self.assertTrue(any("Pim Professional" in e["who"] for e in log))

    def test_it_requires_login(self) -> None:
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get("/api/v1/family-plans/plans").status_code, 401)


class WriteMatrixTests(FamilyPlanTestCase):
    """Every write endpoint, HTML and API, refuses outsiders with 404 and changes nothing."""

    goal: Goal
    action: Action
    decision: Decision
    line: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="school_work", title="Naar school")
        cls.action = Action.objects.create(plan=cls.plan, what="Bellen", who="Petra")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Weekendopvang")
        cls.line = Relationship.objects.create(
            family=cls.family,
            from_person=cls.parent_person,
            to_person=cls.youth_person,
            kind=Relationship.Kind.PARENT_OF,
        )

    def html_writes(self) -> list[tuple[str, dict[str, object]]]:
        p, g, a, d = self.plan.pk, self.goal.pk, self.action.pk, self.decision.pk
        pp, ln = self.parent_person.pk, self.line.pk
        m = self.professional_member.pk
        c = self.professional_member.consents.first()
        assert c is not None
        return [
            (f"/gezin/{p}/doelen/nieuw/", {"title": "x", "domain": "health"}),
            (
                f"/gezin/{p}/doelen/{g}/",
                {"title": "x", "domain": "health", "status": "open", "version": 1},
            ),
            (f"/gezin/{p}/doelen/{g}/score/", {"score": 5}),
            (f"/gezin/{p}/acties/nieuw/", {"what": "x", "who": "y"}),
            (f"/gezin/{p}/acties/{a}/", {"what": "x", "who": "y", "status": "done", "version": 1}),
            (f"/gezin/{p}/besluiten/nieuw/", {"title": "x"}),
            (f"/gezin/{p}/besluiten/{d}/", {"title": "x", "version": 1}),
            (f"/gezin/{p}/besluiten/{d}/antwoord/", {"answer": "agree"}),
            (f"/gezin/{p}/evaluaties/nieuw/", {"starts_at": "2030-01-01T10:00", "minutes": 60}),
            (f"/gezin/{p}/reacties/nieuw/", {"text": "x"}),
            (f"/gezin/{p}/overgang/", {"topic": "housing", "status": "arranged", "version": 0}),
            (f"/gezin/{p}/afsluiten/", {"reason": "x"}),
            (f"/gezin/{p}/team/nieuw/", {"email": "buitenstaander@test.rits.nl"}),
            (f"/gezin/{p}/team/{m}/toestemming/", {"purpose": "plan"}),
            (f"/gezin/{p}/team/{m}/vertrek/", {}),
            (f"/gezin/{p}/toestemming/{c.pk}/intrekken/", {}),
            (
                f"/gezin/{p}/jim/",
                {"name": "x", "date_of_birth": "1980-01-01", "email": "x@test.rits.nl"},
            ),
            (f"/gezin/{p}/personen/nieuw/", {"role": "neighbour", "name": "x"}),
            (f"/gezin/{p}/personen/{self.parent_person.pk}/uitnodigen/", {"email": "x@t.nl"}),
            (f"/gezin/{p}/regisseur/", {"user": str(self.outsider.pk)}),
            (f"/gezin/{p}/personen/{pp}/", {"name": "x", "role": "parent", "version": 1}),
            (f"/gezin/{p}/personen/{pp}/weghalen/", {}),
            (
                f"/gezin/{p}/personen/{pp}/lijnen/nieuw/",
                {"new-line-kind": "supports", "new-line-to_person": self.jim_person.pk},
            ),
            (f"/gezin/{p}/personen/{pp}/lijnen/{ln}/", {f"line-{ln}-strength": 3}),
            (f"/gezin/{p}/personen/{pp}/lijnen/{ln}/weghalen/", {}),
        ]

    def api_writes(self) -> list[tuple[str, str, dict[str, object]]]:
        base = f"/api/v1/family-plans/plans/{self.plan.pk}"
        g, a, d = self.goal.pk, self.action.pk, self.decision.pk
        pp, ln = self.parent_person.pk, self.line.pk
        m = self.professional_member.pk
        c = self.professional_member.consents.first()
        assert c is not None
        return [
            ("post", f"{base}/goals", {"title": "x", "domain": "health"}),
            ("patch", f"{base}/goals/{g}", {"version": 1, "title": "x"}),
            ("post", f"{base}/goals/{g}/scores", {"score": 5}),
            ("post", f"{base}/actions", {"what": "x", "who": "y"}),
            ("patch", f"{base}/actions/{a}", {"version": 1, "status": "done"}),
            ("post", f"{base}/decisions", {"title": "x"}),
            ("patch", f"{base}/decisions/{d}", {"version": 1, "title": "x"}),
            ("post", f"{base}/decisions/{d}/answers", {"answer": "agree"}),
            ("post", f"{base}/evaluations", {"starts_at": "2030-01-01T10:00:00+01:00"}),
            ("post", f"{base}/comments", {"text": "x"}),
            (
                "post",
                f"{base}/transition",
                {"topic": "housing", "status": "arranged", "version": 0},
            ),
            ("post", f"{base}/members", {"email": "buitenstaander@test.rits.nl"}),
            ("post", f"{base}/members/{m}/consents", {"purpose": "plan"}),
            ("post", f"{base}/consents/{c.pk}/withdraw", {}),
            (
                "post",
                f"{base}/jim",
                {"name": "x", "date_of_birth": "1980-01-01", "email": "x@test.rits.nl"},
            ),
            ("put", f"{base}/coordinator", {"user_id": self.outsider.pk}),
            ("post", f"{base}/close", {"reason": "x"}),
            ("get", f"{base}/access-log", {}),
            ("get", f"{base}/network", {}),
            ("post", f"{base}/persons", {"role": "neighbour", "name": "x"}),
            ("patch", f"{base}/persons/{pp}", {"version": 1, "name": "x"}),
            ("delete", f"{base}/persons/{pp}", {}),
            (
                "post",
                f"{base}/relationships",
                {"from_person_id": pp, "to_person_id": self.jim_person.pk, "kind": "supports"},
            ),
            ("patch", f"{base}/relationships/{ln}", {"strength": 3}),
            ("delete", f"{base}/relationships/{ln}", {}),
        ]

    def snapshot(self) -> tuple[object, ...]:
        from rits.family_plans.models import CareTeamMember, Comment, Consent, Evaluation, Person

        self.plan.refresh_from_db()
        return (
            Goal.objects.count(),
            Action.objects.count(),
            Decision.objects.count(),
            Evaluation.objects.count(),
            Comment.objects.count(),
            Person.objects.count(),
            CareTeamMember.objects.filter(status="active").count(),
            Consent.objects.filter(withdrawn_at__isnull=True).count(),
            self.plan.status,
            self.plan.coordinator_id,
            Goal.objects.get(pk=self.goal.pk).version,
            list(Person.objects.order_by("pk").values_list("name", "role", "version")),
            list(Relationship.objects.order_by("pk").values_list("kind", "strength")),
        )

    def test_outsiders_get_404_on_every_write_and_nothing_changes(self) -> None:
        before = self.snapshot()
        for user in self.outsiders:
            login(self.client, user)
            for url, data in self.html_writes():
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.post(url, data).status_code, 404)
            for method, url, body in self.api_writes():
                with self.subTest(user=user.email, method=method, url=url):
                    call = getattr(self.client, method)
                    kwargs = {"content_type": "application/json"} if method != "get" else {}
                    r = call(url, body, **kwargs) if method != "get" else call(url)
                    self.assertEqual(r.status_code, 404)
        self.assertEqual(self.snapshot(), before)
        self.assertGreaterEqual(
            Entry.objects.filter(event="family_plans.access_denied").count(),
            len(self.outsiders) * len(self.html_writes()),
        )
