"""The plan page is read first; each form opens where it is needed: in place with HTMX,
on a page of its own without JavaScript (Post/Redirect/Get)."""

from __future__ import annotations

import re

from rits.audit.models import Entry
from rits.family_plans.models import Action, Comment, Decision, Evaluation, Goal, Person
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import AuditAssertions, login

HX = {"HX-Request": "true"}


class PlanFormsTestCase(AuditAssertions, FamilyPlanTestCase):
    goal: Goal
    action: Action
    decision: Decision

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="school_work", title="Naar school")
        cls.action = Action.objects.create(plan=cls.plan, what="School bellen", who="Petra")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Weekendopvang")

    def forms(self) -> dict[str, str]:
        """Each form of the plan page and its address."""
        p, g, a, d = self.plan.pk, self.goal.pk, self.action.pk, self.decision.pk
        return {
            "goal_add": f"/gezin/{p}/doelen/nieuw/",
            "goal_score": f"/gezin/{p}/doelen/{g}/score/",
            "goal_edit": f"/gezin/{p}/doelen/{g}/",
            "action_add": f"/gezin/{p}/acties/nieuw/",
            "action_edit": f"/gezin/{p}/acties/{a}/",
            "decision_add": f"/gezin/{p}/besluiten/nieuw/",
            "decision_edit": f"/gezin/{p}/besluiten/{d}/",
            "evaluation_add": f"/gezin/{p}/evaluaties/nieuw/",
            "comment_add": f"/gezin/{p}/reacties/nieuw/",
        }


class ReadFirstTests(PlanFormsTestCase):
    def test_the_plan_page_renders_no_form_until_one_is_asked_for(self) -> None:
        login(self.client, self.parent)
        html = self.client.get(f"/gezin/{self.plan.pk}/").content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        self.assertNotIn("<textarea", main)
        self.assertNotIn("<select", main)
        self.assertNotIn('name="title"', main)
        self.assertNotIn("<form", main)  # not even the score form per goal

    def test_every_form_is_a_real_link_that_htmx_opens_in_place(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        for name, url in self.forms().items():
            with self.subTest(name):
                self.assertContains(r, f'href="{url}" hx-get="{url}"')

    def test_the_plan_shows_goals_actions_decisions_team_and_the_next_evaluation(self) -> None:
        Evaluation.objects.create(
            plan=self.plan, starts_at=self.now_plus(days=3), location="Gebiedsteam"
        )
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(r, '<h3 class="goal-title">Naar school</h3>', html=True)
        self.assertContains(r, "Wie: <strong>Petra</strong>", html=True)
        self.assertContains(r, "Weekendopvang")
        self.assertContains(r, "Regisseur en zorgteam")
        self.assertContains(r, "Pim Professional")
        self.assertContains(r, "Volgende evaluatie")
        self.assertContains(r, "Gebiedsteam")

    def test_an_asked_member_is_offered_to_answer_and_others_are_not(self) -> None:
        self.decision.positions.create(user=self.parent)
        answer = f'href="/gezin/{self.plan.pk}/besluiten/{self.decision.pk}/#answer"'
        login(self.client, self.parent)
        self.assertContains(self.client.get(f"/gezin/{self.plan.pk}/"), answer)
        login(self.client, self.professional)
        self.assertNotContains(self.client.get(f"/gezin/{self.plan.pk}/"), answer)

    def now_plus(self, *, days: int):  # type: ignore[no-untyped-def]
        from datetime import timedelta

        from django.utils import timezone

        return timezone.now() + timedelta(days=days)


class FormPageTests(PlanFormsTestCase):
    def test_without_javascript_each_form_is_a_page_of_its_own(self) -> None:
        login(self.client, self.parent)
        for name, url in self.forms().items():
            with self.subTest(name):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200)
                html = r.content.decode()
                self.assertIn("<html", html)
                self.assertIn(f'<form method="post" action="{url}"', html)
                self.assertNotIn("hx-post", html)
                self.assertIn(f'href="/gezin/{self.plan.pk}/#', html)  # back and cancel
                # Every visible field has a label tied to it; the first takes the focus.
                fields = re.findall(r"<(?:input|textarea|select)\b[^>]*>", html)
                visible = [f for f in fields if 'type="hidden"' not in f and "csrf" not in f]
                visible = [f for f in visible if 'name="language"' not in f]
                self.assertTrue(visible)
                for field in visible:
                    ident = re.search(r'id="([^"]+)"', field)
                    assert ident is not None, field
                    self.assertIn(f'for="{ident.group(1)}"', html)
                self.assertIn("autofocus", visible[0])
                self.assertEqual(html.count("autofocus"), 1)

    def test_the_goal_is_written_in_a_full_textarea_with_the_model_s_limit(self) -> None:
        login(self.client, self.parent)
        for url in (self.forms()["goal_add"], self.forms()["goal_edit"]):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                field = re.search(r'<textarea name="title"[^>]*>', html)
                assert field is not None
                self.assertIn('maxlength="300"', field.group(0))

    def test_a_form_page_posts_and_returns_to_the_plan(self) -> None:
        login(self.client, self.youth)
        r = self.client.post(
            self.forms()["goal_add"], {"title": "Elke dag fietsen", "domain": "health"}
        )
        self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get(r["Location"]), "Elke dag fietsen")
        self.assert_audited("family_plans.goal_added", actor=self.youth)

    def test_refused_input_shows_the_form_again_with_the_reason_at_the_field(self) -> None:
        login(self.client, self.parent)
        before = Entry.objects.count()
        r = self.client.post(self.forms()["goal_add"], {"title": "  ", "domain": "health"})
        self.assertContains(r, 'id="new-goal-title_error"', status_code=400)
        html = r.content.decode()
        self.assertRegex(html, r'<textarea[^>]*aria-invalid="true"[^>]*id="new-goal-title"')
        self.assertRegex(html, r'<textarea[^>]*aria-describedby="[^"]*new-goal-title_error')
        self.assertIn("Nog niet opgeslagen", html)
        self.assertEqual(Goal.objects.count(), 1)
        self.assertEqual(Entry.objects.count(), before)

    def test_each_add_form_refuses_empty_input_and_changes_nothing(self) -> None:
        login(self.client, self.coordinator)
        counts = (Goal, Action, Decision, Evaluation, Comment)
        before = [m.objects.count() for m in counts]
        for name in ("goal_add", "action_add", "decision_add", "evaluation_add", "comment_add"):
            with self.subTest(name):
                url = self.forms()[name]
                self.assertEqual(self.client.post(url, {}).status_code, 400)
                self.assertEqual(self.client.post(url, {}, headers=HX).status_code, 422)
        self.assertEqual([m.objects.count() for m in counts], before)

    def test_opening_a_form_is_audited_as_a_read(self) -> None:
        login(self.client, self.professional)
        self.client.get(self.forms()["action_add"])
        self.assert_audited(
            "family_plans.plan_viewed",
            actor=self.professional,
            subject=self.youth_person.bsn_pseudonym,
            form="action_add",
        )
        self.client.get(self.forms()["goal_edit"], headers=HX)
        self.assert_audited("family_plans.plan_viewed", part="goal", id=self.goal.pk)


class InPlaceTests(PlanFormsTestCase):
    def test_with_htmx_a_form_comes_alone_and_posts_back_to_its_section(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(self.forms()["goal_add"], headers=HX)
        self.assertEqual(r.status_code, 200)
        html = r.content.decode()
        self.assertNotIn("<html", html)
        self.assertIn(f'hx-post="{self.forms()["goal_add"]}" hx-target="#goals"', html)
        self.assertIn('id="new-goal"', html)
        self.assertIn("autofocus", html)
        # Cancel puts the section back as the plan page shows it.
        self.assertIn(f'hx-get="/gezin/{self.plan.pk}/" hx-select="#goals"', html)

    def test_a_save_in_place_returns_the_section_with_the_change(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            self.forms()["goal_edit"],
            {
                "domain": "school_work",
                "title": "Elke dag naar school",
                "description": "",
                "status": "open",
                "version": 1,
            },
            headers=HX,
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'id="goals"')
        self.assertContains(r, "Elke dag naar school")
        self.assertNotContains(r, "<html")
        self.assert_audited("family_plans.goal_changed", actor=self.parent)

    def test_each_in_place_save_returns_its_own_section(self) -> None:
        login(self.client, self.coordinator)
        posts = [
            ("goal_score", {"score": 6}, "goals"),
            ("action_add", {"what": "Mentor mailen", "who": "Ria"}, "actions"),
            ("decision_add", {"title": "Logeren"}, "decisions"),
            ("evaluation_add", {"starts_at": "2030-01-01T10:00", "minutes": 60}, "evaluations"),
            ("comment_add", {"text": "Goed gesprek gehad"}, "comments"),
        ]
        for name, data, section in posts:
            with self.subTest(name):
                r = self.client.post(self.forms()[name], data, headers=HX)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, f'<section id="{section}"')
                self.assertNotContains(r, "<html")

    def test_refused_input_in_place_replaces_only_the_form(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(self.forms()["goal_add"], {"domain": "health"}, headers=HX)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r["HX-Retarget"], "#new-goal")
        self.assertEqual(r["HX-Reswap"], "outerHTML")
        self.assertContains(r, 'id="new-goal-title_error"', status_code=422)
        self.assertEqual(Goal.objects.count(), 1)

    def test_a_clash_in_place_shows_both_versions_with_409(self) -> None:
        url = self.forms()["action_edit"]
        login(self.client, self.parent)
        data = {"what": "School bellen", "who": "Petra", "status": "doing", "version": 1}
        self.assertEqual(self.client.post(url, data, headers=HX).status_code, 200)
        login(self.client, self.coordinator)
        r = self.client.post(url, {**data, "who": "Ria", "status": "todo"}, headers=HX)
        self.assertEqual(r.status_code, 409)
        self.assertEqual(r["HX-Retarget"], f"#action-{self.action.pk}-form")
        self.assertContains(r, "Iemand anders was je voor", status_code=409)
        self.assertContains(r, 'value="Ria"', status_code=409)  # their own text stays
        self.assertContains(r, "<dd>Mee bezig</dd>", status_code=409)  # what is stored now
        label = f'<label for="action-{self.action.pk}-goal">Doel:</label>'
        self.assertContains(r, label, status_code=409)
        self.assertContains(r, 'name="version" value="2"', status_code=409)
        self.action.refresh_from_db()
        self.assertEqual((self.action.who, self.action.status), ("Petra", "doing"))

    def test_a_transition_topic_has_no_form_before_16_and_a_half(self) -> None:
        login(self.client, self.youth)  # Jesse is 14
        self.assertEqual(
            self.client.get(f"/gezin/{self.plan.pk}/overgang/housing/").status_code, 404
        )

    def test_a_transition_topic_opens_in_place_from_16_and_a_half(self) -> None:
        url = f"/gezin/{self.plan.pk}/overgang/housing/"
        Person.objects.filter(pk=self.youth_person.pk).update(date_of_birth=born_years_ago(17))
        login(self.client, self.youth)
        r = self.client.get(url, headers=HX)
        self.assertContains(r, 'name="topic" value="housing"')
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/overgang/mars/").status_code, 404)
        data = {"topic": "housing", "status": "arranged", "note": "Kamer gevonden", "version": 0}
        r = self.client.post(f"/gezin/{self.plan.pk}/overgang/", data, headers=HX)
        self.assertContains(r, '<section id="transition"')
        self.assertContains(r, "Kamer gevonden")
        r = self.client.post(f"/gezin/{self.plan.pk}/overgang/", data, headers=HX)
        self.assertEqual(r.status_code, 409)


class FormAccessTests(PlanFormsTestCase):
    def test_outsiders_get_404_on_every_form_with_and_without_htmx(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            for name, url in self.forms().items():
                with self.subTest(user=user.email, form=name):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.get(url, headers=HX).status_code, 404)
        self.assertFalse(Entry.objects.filter(event="family_plans.plan_viewed").exists())

    def test_a_reader_who_may_not_edit_gets_no_form(self) -> None:
        Person.objects.filter(pk=self.youth_person.pk).update(date_of_birth=born_years_ago(11))
        login(self.client, self.youth)
        page = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertNotContains(page, self.forms()["goal_add"])
        for name in ("goal_add", "goal_score", "action_add", "comment_add"):
            with self.subTest(name):
                self.assertEqual(self.client.get(self.forms()[name]).status_code, 403)
        # A decision can still be read (to answer it), but not changed in place.
        r = self.client.get(self.forms()["decision_edit"])
        self.assertContains(r, "Weekendopvang")
        self.assertNotContains(r, 'name="title"')
        self.assertEqual(
            self.client.get(self.forms()["decision_edit"], headers=HX).status_code, 403
        )
