"""The plan page keeps what it read of a plan under the plan's content token
(rits.family_plans.reads). Every change through the services renews the token, so the
page never shows content older than the last change; access is never kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from rits.accounts.models import User
from rits.family_plans import services
from rits.family_plans.models import CareTeamMember, Goal, Person, Plan, Position
from rits.family_plans.permissions import get_plan_for_user
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import login


class PlanContentTests(FamilyPlanTestCase):
    def page(self) -> str:
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    def acting(self) -> Plan:
        return get_plan_for_user(self.coordinator, self.plan.pk)

    def token(self) -> str:
        return Plan.objects.values_list("content_token", flat=True).get(pk=self.plan.pk)

    def test_a_change_through_the_services_shows_on_the_next_page_view(self) -> None:
        goal = services.add_goal(self.acting(), actor=self.coordinator, domain="health", title="x")
        later = timezone.now() + timedelta(days=9)
        changes: list[tuple[str, Callable[[], object], str]] = [
            (
                "goal added",
                lambda: services.add_goal(
                    self.acting(), actor=self.coordinator, domain="money", title="Schulden weg"
                ),
                "Schulden weg",
            ),
            (
                "goal changed",
                lambda: services.update_goal(
                    Goal.objects.get(pk=goal.pk),
                    actor=self.coordinator,
                    plan=self.acting(),
                    version=Goal.objects.get(pk=goal.pk).version,
                    title="Elke dag naar school",
                ),
                "Elke dag naar school",
            ),
            (
                "goal scored",
                lambda: services.score_goal(
                    goal, actor=self.coordinator, plan=self.acting(), score=9
                ),
                "<strong>9</strong>/10",
            ),
            (
                "action added",
                lambda: services.add_action(
                    self.acting(), actor=self.coordinator, what="Bel de school", who="Petra"
                ),
                "Bel de school",
            ),
            (
                "decision proposed",
                lambda: services.propose_decision(
                    self.acting(),
                    actor=self.coordinator,
                    title="Logeren bij oma",
                    ask=[self.parent],
                ),
                "Logeren bij oma",
            ),
            (
                "decision answered",
                lambda: services.answer_decision(
                    Position.objects.get(user=self.parent).decision,
                    actor=self.parent,
                    plan=get_plan_for_user(self.parent, self.plan.pk),
                    answer=Position.Answer.DISAGREE,
                    grounds="Liever bij opa",
                ),
                "Liever bij opa",
            ),
            (
                "comment added",
                lambda: services.add_comment(
                    self.acting(), actor=self.coordinator, text="Goed gesprek gehad"
                ),
                "Goed gesprek gehad",
            ),
            (
                "evaluation planned",
                lambda: services.plan_evaluation(
                    self.acting(), actor=self.coordinator, starts_at=later, location="Buurthuis"
                ),
                "Buurthuis",
            ),
            (
                "network person added",
                lambda: services.add_person(
                    self.acting(),
                    actor=self.coordinator,
                    role=Person.Role.GRANDPARENT,
                    name="Oma Truus",
                ),
                "Oma Truus",
            ),
        ]
        login(self.client, self.coordinator)
        for name, change, shown in changes:
            with self.subTest(name):
                before = self.token()
                self.assertNotIn(shown, self.page())
                self.assertNotIn(shown, self.page())  # now from the kept content
                change()
                self.assertNotEqual(self.token(), before)
                self.assertIn(shown, self.page())

    def test_reading_the_plan_keeps_its_token(self) -> None:
        before = self.token()
        login(self.client, self.parent)
        self.page()
        self.client.get(f"/gezin/{self.plan.pk}/doelen/")
        self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}")
        self.assertEqual(self.token(), before)

    def test_a_change_that_is_rolled_back_leaves_no_token_behind(self) -> None:
        before = self.token()
        with self.assertRaises(services.PlanError):
            services.add_comment(
                self.acting(),
                actor=self.coordinator,
                text="Hoort bij een ander plan",
                goal=Goal(pk=10**6, plan_id=self.plan.pk + 1),
            )
        self.assertEqual(self.token(), before)

    def test_one_plans_content_is_never_shown_on_another(self) -> None:
        other = Plan.objects.create(family=self.family, youth=self.youth_person, status="closed")
        services.add_goal(self.acting(), actor=self.coordinator, domain="health", title="Zwemmen")
        login(self.client, self.parent)
        self.assertIn("Zwemmen", self.page())
        r = self.client.get(f"/gezin/{other.pk}/")
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "Zwemmen")

    def test_a_professional_who_leaves_is_gone_from_the_network_picture_at_once(self) -> None:
        login(self.client, self.parent)
        ecogram = self.svg()
        self.assertIn("Pim Professional", ecogram)
        services.leave_team(self.professional_member, actor=self.professional)
        self.assertNotIn("Pim Professional", self.svg())

    def svg(self) -> str:
        html = self.page()
        start = html.index("<svg")
        return html[start : html.index("</svg>", start)]

    def test_access_is_decided_on_the_database_even_while_the_people_are_kept(self) -> None:
        login(self.client, self.professional)
        self.page()  # the team is now kept under the content token
        # Withdrawn behind the services' back: the kept team still lists Pim as active.
        CareTeamMember.objects.filter(pk=self.professional_member.pk).update(
            status=CareTeamMember.Status.WITHDRAWN
        )
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_a_member_activated_behind_the_services_back_gets_in_with_their_own_row(self) -> None:
        login(self.client, self.parent)
        self.page()  # the team is now kept with Otto absent
        member = self.add_member(self.outsider, self.org_b, active=False)
        self.assertEqual(get_plan_for_user_status(self.outsider, self.plan), 404)
        CareTeamMember.objects.filter(pk=member.pk).update(
            status=CareTeamMember.Status.ACTIVE, can_edit=False
        )
        plan = get_plan_for_user(self.outsider, self.plan.pk)
        self.assertEqual(plan.access.member_id, member.pk)  # type: ignore[attr-defined]
        self.assertEqual(plan.access.organisation, self.org_b.name)  # type: ignore[attr-defined]
        self.assertFalse(plan.access.can_edit)  # type: ignore[attr-defined]

    def test_a_household_place_given_behind_the_services_back_counts_at_once(self) -> None:
        login(self.client, self.parent)
        self.page()
        sibling = Person.objects.create(family=self.family, role=Person.Role.SIBLING, name="Sam")
        self.assertEqual(get_plan_for_user_status(self.outsider, self.plan), 404)
        Person.objects.filter(pk=sibling.pk).update(user=self.outsider)
        plan = get_plan_for_user(self.outsider, self.plan.pk)
        self.assertEqual(plan.access.kind, "family")  # type: ignore[attr-defined]
        self.assertEqual(plan.access.person_id, sibling.pk)  # type: ignore[attr-defined]

    def test_a_youth_under_12_reads_along_and_from_12_writes(self) -> None:
        for years, can_edit in ((11, False), (12, True)):
            with self.subTest(years=years):
                Person.objects.filter(pk=self.youth_person.pk).update(
                    date_of_birth=born_years_ago(years)
                )
                plan = get_plan_for_user(self.youth, self.plan.pk)
                self.assertEqual(plan.access.can_edit, can_edit)  # type: ignore[attr-defined]
                login(self.client, self.youth)
                r = self.client.post(
                    f"/gezin/{self.plan.pk}/doelen/nieuw/",
                    {"title": f"Zwemmen {years}", "domain": "network"},
                )
                self.assertEqual(r.status_code, 302 if can_edit else 403)
                self.assertEqual(Goal.objects.filter(title=f"Zwemmen {years}").exists(), can_edit)


def get_plan_for_user_status(user: User, plan: Plan) -> int:
    """404 or 403 as the views answer, 200 when the helper hands the plan out."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        get_plan_for_user(user, plan.pk)
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return 200
