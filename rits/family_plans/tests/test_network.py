"""The family keeps its own network right: change someone's details, remove someone,
say how strong a line on the ecogram is and what kind, and draw new lines."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.exports import ecogram_svg
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Family,
    Person,
    Plan,
    Relationship,
)
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import PASSWORD, AuditAssertions, login, make_user
from rits.testing.browser import BrowserTestCase

API = "/api/v1/family-plans/plans"


def line_for(svg: str, title_start: str) -> str:
    """The <line> element of the ecogram whose title starts with ``title_start``."""
    for match in re.finditer(r"<line [^>]*><title>([^<]*)</title></line>", svg):
        if match.group(1).startswith(title_start):
            return match.group(0)
    raise AssertionError(f"No line titled {title_start!r} in the ecogram")


class NetworkTestCase(AuditAssertions, FamilyPlanTestCase):
    """Jesse's family with grandmother Truus and neighbour Bert in the network."""

    grandmother: Person
    neighbour: Person
    grandmother_line: Relationship
    neighbour_line: Relationship

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.grandmother = Person.objects.create(
            family=cls.family, role=Person.Role.GRANDPARENT, name="Oma Truus"
        )
        cls.neighbour = Person.objects.create(
            family=cls.family, role=Person.Role.NEIGHBOUR, name="Buurman Bert"
        )
        cls.grandmother_line = Relationship.objects.create(
            family=cls.family,
            from_person=cls.grandmother,
            to_person=cls.youth_person,
            kind=Relationship.Kind.GRANDPARENT_OF,
        )
        cls.neighbour_line = Relationship.objects.create(
            family=cls.family,
            from_person=cls.neighbour,
            to_person=cls.youth_person,
            kind=Relationship.Kind.SUPPORTS,
        )

    def person_url(self, person: Person, suffix: str = "") -> str:
        return reverse("family_plans:person_edit", args=[self.plan.pk, person.pk]) + suffix

    def remove_url(self, person: Person) -> str:
        return reverse("family_plans:person_remove", args=[self.plan.pk, person.pk])

    def line_url(self, person: Person, line: Relationship, remove: bool = False) -> str:
        name = "relationship_remove" if remove else "relationship_change"
        return reverse(f"family_plans:{name}", args=[self.plan.pk, person.pk, line.pk])

    def details(self, person: Person, **changes: object) -> dict[str, object]:
        """The person form as the page fills it, with ``changes``."""
        data: dict[str, object] = {
            "name": person.name,
            "role": person.role,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
            "email": person.email,
            "version": person.version,
        }
        data.update(changes)
        return data


class ChangeDetailsTests(NetworkTestCase):
    def test_a_parent_corrects_a_name_and_the_team_page_shows_it(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(self.person_url(self.grandmother))
        self.assertContains(r, 'name="version" value="1"')
        r = self.client.post(
            self.person_url(self.grandmother), self.details(self.grandmother, name="Oma Gertruda")
        )
        self.assertRedirects(r, reverse("family_plans:team", args=[self.plan.pk]))
        self.grandmother.refresh_from_db()
        self.assertEqual((self.grandmother.name, self.grandmother.version), ("Oma Gertruda", 2))
        self.assertContains(self.client.get(r["Location"]), "Oma Gertruda")
        entry = self.assert_audited(
            "family_plans.person_changed", actor=self.parent, obj=self.grandmother, fields=["name"]
        )
        self.assertEqual(entry.subject, self.youth_person.reference)
        self.assertNotIn("Oma Gertruda", str(entry.data))  # which fields, not the values

    def test_the_neighbour_becomes_the_coach(self) -> None:
        login(self.client, self.coordinator)
        r = self.client.post(
            self.person_url(self.neighbour), self.details(self.neighbour, role="coach")
        )
        self.assertEqual(r.status_code, 302)
        self.neighbour.refresh_from_db()
        self.assertEqual(self.neighbour.role, Person.Role.COACH)
        self.assert_audited(
            "family_plans.person_changed", obj=self.neighbour, role=["neighbour", "coach"]
        )

    def test_the_form_has_labels_and_ties_errors_to_their_field(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(self.person_url(self.neighbour), self.details(self.neighbour, name=""))
        self.assertEqual(r.status_code, 400)
        html = r.content.decode()
        self.assertIn('<label for="id_name">', html)
        self.assertIn('id="id_name_error"', html)
        self.assertRegex(html, r'<input[^>]*aria-describedby="id_name_error"[^>]*id="id_name"')
        self.assertEqual(Person.objects.get(pk=self.neighbour.pk).name, "Buurman Bert")

    def test_a_stale_version_is_refused_with_both_versions_and_nothing_changed(self) -> None:
        url = self.person_url(self.grandmother)
        login(self.client, self.parent)
        self.client.post(url, self.details(self.grandmother, name="Oma Truus Jansen"))
        login(self.client, self.coordinator)
        r = self.client.post(url, self.details(self.grandmother, name="Oma Geertruida"))
        self.assertEqual(r.status_code, 409)
        self.assertContains(r, "Oma Truus Jansen", status_code=409)  # what is stored now
        self.assertContains(r, "Oma Geertruida", status_code=409)  # their own text
        self.assertContains(r, 'name="version" value="2"', status_code=409)
        self.assertContains(r, "Iemand anders was je voor", status_code=409)
        self.grandmother.refresh_from_db()
        self.assertEqual((self.grandmother.name, self.grandmother.version), ("Oma Truus Jansen", 2))
        self.assert_audited("family_plans.person_changed", obj=self.grandmother, count=1)

    def test_the_service_refuses_the_second_writer_with_what_is_stored(self) -> None:
        plan = self.with_access(self.parent)
        services.update_person(self.neighbour, actor=self.parent, plan=plan, version=1, name="Bert")
        with self.assertRaises(services.StaleVersion) as caught:
            services.update_person(
                self.neighbour, actor=self.coordinator, plan=plan, version=1, email="b@t.nl"
            )
        self.assertEqual(getattr(caught.exception.current, "name", None), "Bert")
        self.neighbour.refresh_from_db()
        self.assertEqual((self.neighbour.email, self.neighbour.version), ("", 2))

    def test_a_change_to_someone_removed_meanwhile_is_a_clear_refusal(self) -> None:
        plan = self.with_access(self.parent)
        services.remove_person(self.neighbour, actor=self.parent, plan=plan)
        with self.assertRaises(services.PlanError):
            services.update_person(
                self.neighbour, actor=self.coordinator, plan=plan, version=1, name="x"
            )

    def refused(self, person: Person, **changes: object) -> str:
        """Post a change that must be refused; return the page and check nothing changed."""
        before = Person.objects.filter(pk=person.pk).values().get()
        login(self.client, self.coordinator)
        r = self.client.post(self.person_url(person), self.details(person, **changes))
        self.assertEqual(r.status_code, 400)
        self.assertEqual(Person.objects.filter(pk=person.pk).values().get(), before)
        self.assertFalse(Entry.objects.filter(event="family_plans.person_changed").exists())
        return r.content.decode()

    def test_the_youth_keeps_the_role_of_youth(self) -> None:
        with self.assertRaises(services.PlanError):
            services.update_person(
                self.youth_person,
                actor=self.coordinator,
                plan=self.with_access(self.coordinator),
                version=1,
                role="sibling",
            )
        login(self.client, self.coordinator)
        page = self.client.get(self.person_url(self.youth_person)).content.decode()
        select = re.search(r'<select[^>]*name="role"[^>]*>', page)
        assert select is not None
        self.assertIn("disabled", select.group(0))
        # The form does not take a role for the youth, even when one is sent.
        self.client.post(
            self.person_url(self.youth_person), self.details(self.youth_person, role="sibling")
        )
        self.assertEqual(Person.objects.get(pk=self.youth_person.pk).role, Person.Role.YOUTH)

    def test_nobody_becomes_or_stops_being_the_jim_here(self) -> None:
        html = self.refused(self.grandmother, role="jim")
        self.assertNotIn('value="jim"', html)  # not offered either
        with self.assertRaises(services.PersonChangeRefused):
            services.update_person(
                self.jim_person,
                actor=self.parent,
                plan=self.with_access(self.parent),
                version=1,
                role="coach",
            )

    def test_a_jim_stays_an_adult(self) -> None:
        with self.assertRaises(services.PersonChangeRefused) as caught:
            services.update_person(
                self.jim_person,
                actor=self.parent,
                plan=self.with_access(self.parent),
                version=1,
                date_of_birth=born_years_ago(17),
            )
        self.assertEqual(caught.exception.field, "date_of_birth")

    def test_an_account_holder_keeps_what_their_account_may_see(self) -> None:
        html = self.refused(self.parent_person, role="neighbour")
        self.assertIn("heeft een account", html)
        self.assertIn('id="id_role_error"', html)

    def test_whose_consent_counts_does_not_change_through_a_role(self) -> None:
        father = Person.objects.create(
            family=self.family, role=Person.Role.PARENT, name="Frank Vader"
        )
        Consent.objects.create(member=self.professional_member, purpose="plan", given_by=father)
        html = self.refused(father, role="other")
        self.assertIn("heeft toestemming gegeven", html)

    def test_the_youths_birth_date_cannot_move_consent_to_someone_else(self) -> None:
        html = self.refused(self.youth_person, date_of_birth=born_years_ago(10).isoformat())
        self.assertIn("geeft iemand anders toestemming", html)
        self.assertIn('id="id_date_of_birth_error"', html)
        # A correction that keeps the youth in the same age band is fine.
        login(self.client, self.coordinator)
        corrected = born_years_ago(14, days=40)
        r = self.client.post(
            self.person_url(self.youth_person),
            self.details(self.youth_person, date_of_birth=corrected.isoformat()),
        )
        self.assertEqual(r.status_code, 302)
        self.youth_person.refresh_from_db()
        self.assertEqual(self.youth_person.date_of_birth, corrected)


class RemoveTests(NetworkTestCase):
    def test_the_neighbour_who_moved_away_is_removed_with_their_lines(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(self.remove_url(self.neighbour))
        self.assertContains(r, "Buurman Bert uit het netwerk halen")
        self.assertContains(r, "Ja, weghalen")
        r = self.client.post(self.remove_url(self.neighbour))
        self.assertRedirects(
            r, reverse("family_plans:team", args=[self.plan.pk]), fetch_redirect_response=False
        )
        self.assertFalse(Person.objects.filter(pk=self.neighbour.pk).exists())
        self.assertFalse(Relationship.objects.filter(pk=self.neighbour_line.pk).exists())
        entry = self.assert_audited(
            "family_plans.person_removed", actor=self.parent, role="neighbour", relationships=1
        )
        self.assertEqual(entry.object_label, "Buurman Bert")  # the label survives the removal
        team = self.client.get(r["Location"])
        self.assertContains(team, "Buurman Bert is uit het netwerk gehaald.")
        self.assertNotContains(team, f'id="person-{self.neighbour.pk}"')
        self.assertNotContains(team, ">Buurman Bert</text>")  # nor on the ecogram

    def refused(self, person: Person, says: str, user: object = None) -> None:
        login(self.client, user or self.parent)  # type: ignore[arg-type]
        page = self.client.get(self.person_url(person))
        self.assertContains(page, says)  # the person page says why before anyone tries
        self.assertNotContains(page, self.remove_url(person))
        lines = Relationship.objects.count()
        r = self.client.post(self.remove_url(person))
        self.assertContains(r, says, status_code=400)
        self.assertTrue(Person.objects.filter(pk=person.pk).exists())
        self.assertEqual(Relationship.objects.count(), lines)
        self.assertFalse(Entry.objects.filter(event="family_plans.person_removed").exists())

    def test_the_youth_of_the_plan_is_never_removed(self) -> None:
        self.refused(self.youth_person, "De jongere blijft altijd in het plan.")

    def test_a_jim_is_removed_through_the_care_team(self) -> None:
        self.refused(self.jim_person, "Een JIM stopt via het zorgteam: kies daar")

    def test_someone_with_an_account_is_not_removed(self) -> None:
        self.refused(
            self.parent_person, "Iemand met een account kun je niet uit het netwerk weghalen."
        )

    def test_a_care_team_member_is_removed_only_after_leaving_the_team(self) -> None:
        member = CareTeamMember.objects.create(
            plan=self.plan,
            kind=CareTeamMember.Kind.INFORMAL,
            person=self.grandmother,
            status=CareTeamMember.Status.ACTIVE,
        )
        self.refused(
            self.grandmother, "Oma Truus zit in het zorgteam. Haal Oma Truus eerst uit het team."
        )
        services.leave_team(member, actor=self.parent)
        r = self.client.post(self.remove_url(self.grandmother))
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Person.objects.filter(pk=self.grandmother.pk).exists())

    def test_someone_whose_consent_the_plan_holds_stays(self) -> None:
        father = Person.objects.create(
            family=self.family, role=Person.Role.PARENT, name="Frank Vader"
        )
        Consent.objects.create(member=self.professional_member, purpose="plan", given_by=father)
        self.refused(father, "Daarom blijft Frank Vader in het netwerk.")
        self.assertEqual(self.professional_member.consents.filter(given_by=father).count(), 1)


class RelationshipTests(NetworkTestCase):
    def test_a_line_is_made_strong_and_the_ecogram_draws_it_thick(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            self.line_url(self.grandmother, self.grandmother_line),
            {
                f"line-{self.grandmother_line.pk}-kind": "grandparent_of",
                f"line-{self.grandmother_line.pk}-strength": "3",
            },
        )
        self.assertRedirects(r, self.person_url(self.grandmother), fetch_redirect_response=False)
        self.grandmother_line.refresh_from_db()
        self.assertEqual(self.grandmother_line.strength, Relationship.Strength.STRONG)
        self.assert_audited(
            "family_plans.relationship_changed",
            actor=self.parent,
            obj=self.grandmother_line,
            changes={"strength": [2, 3]},
        )
        line = line_for(ecogram_svg(self.plan), "Oma Truus is opa of oma van Jesse Jongere (sterk)")
        self.assertIn('stroke-width="4"', line)
        self.assertNotIn("stroke-dasharray", line)

    def test_a_weak_line_is_dashed_and_its_kind_can_change(self) -> None:
        plan = self.with_access(self.coordinator)
        services.set_relationship(
            self.neighbour_line, actor=self.coordinator, plan=plan, kind="mentor_of", strength=1
        )
        line = line_for(ecogram_svg(self.plan), "Buurman Bert is JIM van Jesse Jongere (zwak)")
        self.assertIn('stroke-dasharray="6 4"', line)
        self.assert_audited(
            "family_plans.relationship_changed",
            changes={"kind": ["supports", "mentor_of"], "strength": [2, 1]},
        )

    def test_a_line_between_two_people_other_than_the_youth(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            reverse("family_plans:relationship_add", args=[self.plan.pk, self.grandmother.pk]),
            {
                "new-line-kind": "supports",
                "new-line-to_person": self.parent_person.pk,
                "new-line-strength": "3",
            },
        )
        self.assertEqual(r.status_code, 302)
        line = Relationship.objects.get(from_person=self.grandmother, to_person=self.parent_person)
        self.assertEqual((line.kind, line.strength), ("supports", 3))
        self.assert_audited(
            "family_plans.relationship_added", obj=line, kind="supports", strength=3
        )
        page = self.client.get(self.person_url(self.grandmother))
        self.assertContains(page, "Oma Truus steunt Petra Ouder (sterk)")
        self.assertIn("Oma Truus steunt Petra Ouder (sterk)", ecogram_svg(self.plan))

    def test_a_duplicate_line_is_a_form_error_at_its_field(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            reverse("family_plans:relationship_add", args=[self.plan.pk, self.neighbour.pk]),
            {
                "new-line-kind": "supports",
                "new-line-to_person": self.youth_person.pk,
                "new-line-strength": "1",
            },
        )
        self.assertContains(
            r,
            "Deze lijn staat al in het netwerk: Buurman Bert steunt Jesse Jongere.",
            status_code=400,
        )
        self.assertContains(r, 'id="id_new-line-kind_error"', status_code=400)
        self.assertRegex(
            r.content.decode(), r'<select[^>]*aria-describedby="id_new-line-kind_error"'
        )
        self.assertEqual(Relationship.objects.filter(from_person=self.neighbour).count(), 1)
        self.assertEqual(Relationship.objects.get(pk=self.neighbour_line.pk).strength, 2)
        self.assertFalse(Entry.objects.filter(event="family_plans.relationship_added").exists())

    def test_a_mutual_line_counts_both_ways(self) -> None:
        plan = self.with_access(self.parent)
        father = Person.objects.create(
            family=self.family, role=Person.Role.PARENT, name="Frank Vader"
        )
        services.add_relationship(
            plan,
            actor=self.parent,
            from_person=self.parent_person,
            to_person=father,
            kind="partner_of",
        )
        with self.assertRaises(services.DuplicateRelationship):
            services.add_relationship(
                plan,
                actor=self.parent,
                from_person=father,
                to_person=self.parent_person,
                kind="partner_of",
            )
        # "supports" is not mutual: Bert may support Jesse and Jesse support Bert.
        services.add_relationship(
            plan,
            actor=self.parent,
            from_person=self.youth_person,
            to_person=self.neighbour,
            kind="supports",
        )

    def test_changing_a_line_into_one_that_exists_is_refused(self) -> None:
        Relationship.objects.create(
            family=self.family,
            from_person=self.neighbour,
            to_person=self.youth_person,
            kind="mentor_of",
        )
        login(self.client, self.parent)
        prefix = f"line-{self.neighbour_line.pk}"
        r = self.client.post(
            self.line_url(self.neighbour, self.neighbour_line),
            {f"{prefix}-kind": "mentor_of", f"{prefix}-strength": "2"},
        )
        self.assertContains(r, "Deze lijn staat al in het netwerk", status_code=400)
        self.assertContains(r, f'id="id_{prefix}-kind_error"', status_code=400)
        self.assertEqual(Relationship.objects.get(pk=self.neighbour_line.pk).kind, "supports")

    def test_a_line_to_oneself_or_another_family_is_refused(self) -> None:
        plan = self.with_access(self.parent)
        with self.assertRaises(services.PlanError):
            services.add_relationship(
                plan,
                actor=self.parent,
                from_person=self.neighbour,
                to_person=self.neighbour,
                kind="supports",
            )
        other = Person.objects.create(
            family=Plan.objects.create(
                family=type(self.family).objects.create(name="Ander gezin"), youth=self.youth_person
            ).family,
            role=Person.Role.NEIGHBOUR,
            name="Vreemde",
        )
        with self.assertRaises(services.PlanError):
            services.add_relationship(
                plan,
                actor=self.parent,
                from_person=self.neighbour,
                to_person=other,
                kind="supports",
            )
        login(self.client, self.parent)
        r = self.client.post(
            reverse("family_plans:relationship_add", args=[self.plan.pk, self.neighbour.pk]),
            {"new-line-kind": "supports", "new-line-to_person": other.pk, "new-line-strength": "2"},
        )
        self.assertEqual(r.status_code, 400)  # not a choice on this family's form
        self.assertFalse(Relationship.objects.filter(to_person=other).exists())

    def test_a_line_is_removed_and_both_people_stay(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(self.line_url(self.neighbour, self.neighbour_line, remove=True))
        self.assertRedirects(r, self.person_url(self.neighbour), fetch_redirect_response=False)
        self.assertFalse(Relationship.objects.filter(pk=self.neighbour_line.pk).exists())
        self.assertTrue(Person.objects.filter(pk=self.neighbour.pk).exists())
        self.assert_audited(
            "family_plans.relationship_removed", actor=self.parent, kind="supports", strength=2
        )

    def test_a_line_of_someone_else_is_not_reached_through_this_person(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(self.line_url(self.neighbour, self.grandmother_line, remove=True))
        self.assertEqual(r.status_code, 404)
        self.assertTrue(Relationship.objects.filter(pk=self.grandmother_line.pk).exists())


class PlanPageTests(NetworkTestCase):
    """The plan page keeps its content under the plan's content token; the network
    services renew it, so the next view shows the change."""

    def ecogram(self) -> str:
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(r.status_code, 200)
        match = re.search(r"<svg.*?</svg>", r.content.decode(), re.S)
        assert match is not None
        return match.group(0)

    def test_a_parent_renames_grandmother_makes_her_line_strong_and_sees_it_on_the_plan(
        self,
    ) -> None:
        login(self.client, self.parent)
        self.assertIn("Oma Truus is opa of oma van Jesse Jongere (gewoon)", self.ecogram())
        self.ecogram()  # kept now
        self.client.post(
            self.person_url(self.grandmother), self.details(self.grandmother, name="Oma Trees")
        )
        prefix = f"line-{self.grandmother_line.pk}"
        self.client.post(
            self.line_url(self.grandmother, self.grandmother_line),
            {f"{prefix}-kind": "grandparent_of", f"{prefix}-strength": "3"},
        )
        svg = self.ecogram()
        self.assertIn(">Oma Trees</text>", svg)
        self.assertIn(
            'stroke-width="4"', line_for(svg, "Oma Trees is opa of oma van Jesse Jongere (sterk)")
        )
        self.client.post(
            self.line_url(self.grandmother, self.grandmother_line),
            {f"{prefix}-kind": "grandparent_of", f"{prefix}-strength": "1"},
        )
        self.assertIn("stroke-dasharray", line_for(self.ecogram(), "Oma Trees is opa of oma"))

    def test_every_network_change_renews_the_content_token_of_every_plan_of_the_family(
        self,
    ) -> None:
        closed = Plan.objects.create(family=self.family, youth=self.youth_person, status="closed")
        plan = self.with_access(self.parent)

        def tokens() -> tuple[str, str]:
            return tuple(  # type: ignore[return-value]
                Plan.objects.filter(pk__in=[self.plan.pk, closed.pk])
                .order_by("pk")
                .values_list("content_token", flat=True)
            )

        changes = [
            lambda: services.update_person(
                self.neighbour, actor=self.parent, plan=plan, version=1, name="Bert"
            ),
            lambda: services.set_relationship(
                self.neighbour_line, actor=self.parent, plan=plan, kind="supports", strength=3
            ),
            lambda: services.add_relationship(
                plan,
                actor=self.parent,
                from_person=self.neighbour,
                to_person=self.parent_person,
                kind="supports",
            ),
            lambda: services.remove_relationship(self.neighbour_line, actor=self.parent, plan=plan),
            lambda: services.remove_person(self.neighbour, actor=self.parent, plan=plan),
        ]
        for change in changes:
            before = tokens()
            change()
            after = tokens()
            self.assertNotEqual(after[0], before[0])
            self.assertNotEqual(after[1], before[1])

    def test_a_refused_change_keeps_the_token(self) -> None:
        before = Plan.objects.get(pk=self.plan.pk).content_token
        with self.assertRaises(services.PlanError):
            services.remove_person(
                self.youth_person, actor=self.parent, plan=self.with_access(self.parent)
            )
        self.assertEqual(Plan.objects.get(pk=self.plan.pk).content_token, before)


class AccessTests(NetworkTestCase):
    """Every new page and endpoint: 404 for outsiders, 403 for read-only, nothing changed."""

    def html(self) -> list[tuple[str, str, dict[str, object]]]:
        g, n, line = self.grandmother, self.neighbour, self.grandmother_line
        prefix = f"line-{line.pk}"
        return [
            ("get", self.person_url(g), {}),
            ("post", self.person_url(g), self.details(g, name="x")),
            ("get", self.remove_url(n), {}),
            ("post", self.remove_url(n), {}),
            (
                "post",
                reverse("family_plans:relationship_add", args=[self.plan.pk, g.pk]),
                {"new-line-kind": "supports", "new-line-to_person": n.pk, "new-line-strength": 2},
            ),
            (
                "post",
                self.line_url(g, line),
                {f"{prefix}-kind": "supports", f"{prefix}-strength": 1},
            ),
            ("post", self.line_url(g, line, remove=True), {}),
        ]

    def api(self) -> list[tuple[str, str, dict[str, object]]]:
        base = f"{API}/{self.plan.pk}"
        g, n, line = self.grandmother.pk, self.neighbour.pk, self.grandmother_line.pk
        return [
            ("post", f"{base}/persons", {"role": "neighbour", "name": "x"}),
            ("patch", f"{base}/persons/{g}", {"version": 1, "name": "x"}),
            ("delete", f"{base}/persons/{n}", {}),
            (
                "post",
                f"{base}/relationships",
                {"from_person_id": g, "to_person_id": n, "kind": "supports"},
            ),
            ("patch", f"{base}/relationships/{line}", {"strength": 1}),
            ("delete", f"{base}/relationships/{line}", {}),
        ]

    def snapshot(self) -> object:
        return (
            list(Person.objects.order_by("pk").values_list("pk", "name", "role", "version")),
            list(Relationship.objects.order_by("pk").values_list("pk", "kind", "strength")),
        )

    def call(self, method: str, url: str, data: dict[str, object]) -> int:
        if method == "get":
            return self.client.get(url).status_code
        if method == "post" and not url.startswith(API):
            return self.client.post(url, data).status_code
        return getattr(self.client, method)(url, data, content_type="application/json").status_code

    def test_outsiders_get_404_everywhere_and_nothing_changes(self) -> None:
        before = self.snapshot()
        reads: list[tuple[str, str, dict[str, object]]] = [
            ("get", f"{API}/{self.plan.pk}/network", {})
        ]
        for user in self.outsiders:
            login(self.client, user)
            for method, url, data in self.html() + self.api() + reads:
                with self.subTest(user=user.email, method=method, url=url):
                    self.assertEqual(self.call(method, url, data), 404)
        self.assertEqual(self.snapshot(), before)

    def test_a_read_only_member_gets_403_and_nothing_changes(self) -> None:
        self.jim_member.can_edit = False
        self.jim_member.save()
        login(self.client, self.jim)
        before = self.snapshot()
        for method, url, data in self.html() + self.api():
            with self.subTest(method=method, url=url):
                self.assertEqual(self.call(method, url, data), 403)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.client.get(f"{API}/{self.plan.pk}/network").status_code, 200)
        team = self.client.get(reverse("family_plans:team", args=[self.plan.pk]))
        self.assertNotContains(team, self.person_url(self.grandmother))

    def test_a_closed_plan_cannot_change_its_network(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.CLOSED)
        login(self.client, self.parent)
        before = self.snapshot()
        for method, url, data in self.html() + self.api():
            with self.subTest(method=method, url=url):
                self.assertEqual(self.call(method, url, data), 403)
        self.assertEqual(self.snapshot(), before)

    def test_a_person_of_another_family_is_404(self) -> None:
        other_family = type(self.family).objects.create(name="Ander gezin")
        stranger = Person.objects.create(family=other_family, role="neighbour", name="Vreemde")
        login(self.client, self.parent)
        self.assertEqual(self.client.get(self.person_url(stranger)).status_code, 404)
        self.assertEqual(self.client.post(self.remove_url(stranger)).status_code, 404)
        r = self.client.delete(f"{API}/{self.plan.pk}/persons/{stranger.pk}")
        self.assertEqual(r.status_code, 404)
        self.assertTrue(Person.objects.filter(pk=stranger.pk).exists())


class NetworkApiTests(NetworkTestCase):
    def test_the_network_in_the_api(self) -> None:
        login(self.client, self.parent)
        base = f"{API}/{self.plan.pk}"
        network = self.client.get(f"{base}/network").json()
        names = {p["name"] for p in network["persons"]}
        self.assertLessEqual({"Oma Truus", "Buurman Bert", "Jesse Jongere"}, names)
        self.assertFalse(any("bsn" in key for p in network["persons"] for key in p))
        self.assert_audited("family_plans.plan_viewed", actor=self.parent, part="network")

        r = self.client.post(
            f"{base}/persons",
            {"role": "coach", "name": "Coach Kim"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        kim = r.json()
        self.assertEqual((kim["role"], kim["version"]), ("coach", 1))

        r = self.client.patch(
            f"{base}/persons/{kim['id']}",
            {"version": 1, "name": "Coach Kim de Wit"},
            content_type="application/json",
        )
        self.assertEqual((r.status_code, r.json()["version"]), (200, 2))

        r = self.client.post(
            f"{base}/relationships",
            {
                "from_person_id": kim["id"],
                "to_person_id": self.parent_person.pk,
                "kind": "supports",
                "strength": 1,
            },
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        line = r.json()
        r = self.client.post(
            f"{base}/relationships",
            {
                "from_person_id": kim["id"],
                "to_person_id": self.parent_person.pk,
                "kind": "supports",
            },
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertIn("Deze lijn staat al in het netwerk", r.json()["title"])

        r = self.client.patch(
            f"{base}/relationships/{line['id']}", {"strength": 3}, content_type="application/json"
        )
        self.assertEqual((r.json()["strength"], r.json()["kind"]), (3, "supports"))
        r = self.client.patch(
            f"{base}/relationships/{line['id']}", {"strength": 4}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 422)

        self.assertEqual(self.client.delete(f"{base}/relationships/{line['id']}").status_code, 204)
        self.assertEqual(self.client.delete(f"{base}/persons/{kim['id']}").status_code, 204)
        for event in (
            "person_added",
            "person_changed",
            "relationship_added",
            "relationship_changed",
            "relationship_removed",
            "person_removed",
        ):
            self.assert_audited(f"family_plans.{event}", actor=self.parent)

    def test_a_stale_person_is_a_409_with_what_is_stored(self) -> None:
        login(self.client, self.parent)
        url = f"{API}/{self.plan.pk}/persons/{self.neighbour.pk}"
        self.client.patch(
            url, {"version": 1, "email": "bert@test.rits.nl"}, content_type="application/json"
        )
        r = self.client.patch(
            url, {"version": 1, "name": "Bertus"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 409)
        body = r.json()
        self.assertEqual(body["current_version"], 2)
        self.assertEqual(body["current"]["email"], "bert@test.rits.nl")
        self.assertNotIn("bsn_pseudonym", body["current"])
        self.assertEqual(Person.objects.get(pk=self.neighbour.pk).name, "Buurman Bert")

    def test_refusals_are_problems_and_change_nothing(self) -> None:
        login(self.client, self.parent)
        base = f"{API}/{self.plan.pk}"
        r = self.client.delete(f"{base}/persons/{self.youth_person.pk}")
        self.assertEqual(r.status_code, 400)
        self.assertIn("De jongere blijft altijd in het plan", r.json()["title"])
        r = self.client.patch(
            f"{base}/persons/{self.grandmother.pk}",
            {"version": 1, "role": "jim"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            f"{base}/persons", {"role": "jim", "name": "x"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 422)  # a JIM is invited by the youth
        self.assertTrue(Person.objects.filter(pk=self.youth_person.pk).exists())
        self.assertEqual(Person.objects.get(pk=self.grandmother.pk).role, "grandparent")


class SchemaChoicesTests(NetworkTestCase):
    def test_the_api_choices_match_the_models(self) -> None:
        from typing import get_args

        from rits.family_plans import schemas

        self.assertEqual(set(get_args(schemas.RoleCode)), set(Person.Role.values))
        self.assertEqual(
            set(get_args(schemas.NewPersonRole)), set(Person.Role.values) - {Person.Role.JIM}
        )
        self.assertEqual(set(get_args(schemas.RelationshipKind)), set(Relationship.Kind.values))
        self.assertEqual(set(get_args(schemas.Strength)), set(Relationship.Strength.values))


class ParentKeepsNetworkRightInBrowserTests(BrowserTestCase):
    """In a real browser, without knowing any address: a parent renames grandmother,
    makes her line to the youth strong, and sees both on the plan's ecogram."""

    def setUp(self) -> None:
        self.parent = make_user("ouder-netwerk@test.rits.nl", "Petra Ouder", User.Kind.FAMILY)
        family = Family.objects.create(name="Gezin Netwerktest")
        youth = Person.objects.create(
            family=family, role="youth", name="Jesse", date_of_birth=born_years_ago(14)
        )
        Person.objects.create(family=family, role="parent", name="Petra Ouder", user=self.parent)
        grandmother = Person.objects.create(family=family, role="grandparent", name="Oma Truus")
        self.line = Relationship.objects.create(
            family=family, from_person=grandmother, to_person=youth, kind="grandparent_of"
        )
        self.plan = Plan.objects.create(family=family, youth=youth)
        self.start_browser()

    def test_a_parent_renames_grandmother_and_makes_her_line_strong(self) -> None:
        context: Any = self.browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(f"{self.live_server_url}/gezin/{self.plan.pk}/")
        page.wait_for_url("**/account/login/**")
        page.get_by_label("E-mailadres").fill(self.parent.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"**/gezin/{self.plan.pk}/")

        page.get_by_role("link", name="Team, toestemming en uitnodigingen").click()
        page.get_by_role("link", name=re.compile(r"^Aanpassen\s+Oma Truus$")).click()
        page.get_by_label("Naam").fill("Oma Trees")
        page.get_by_role("button", name="Opslaan", exact=True).click()
        page.get_by_text("Opgeslagen.").wait_for()

        page.get_by_role("link", name=re.compile(r"^Aanpassen\s+Oma Trees$")).click()
        line = page.locator(f"#line-{self.line.pk}")
        line.get_by_label("Hoe sterk is de band?").select_option(label="sterk")
        line.get_by_role("button", name="Opslaan").click()
        page.get_by_text("Oma Trees is opa of oma van Jesse (sterk)").first.wait_for()

        page.goto(f"{self.live_server_url}/gezin/{self.plan.pk}/")
        svg = page.locator("#team svg").evaluate("e => e.outerHTML")
        self.assertIn(">Oma Trees</text>", svg)
        self.assertIn(
            'stroke-width="4"', line_for(svg, "Oma Trees is opa of oma van Jesse (sterk)")
        )
        context.close()


class AddPersonTests(NetworkTestCase):
    def test_adding_someone_without_a_name_says_so_at_the_field(self) -> None:
        login(self.client, self.parent)
        before = Person.objects.count()
        r = self.client.post(
            reverse("family_plans:person_add", args=[self.plan.pk]), {"role": "neighbour"}
        )
        self.assertContains(r, 'id="person-name_error"', status_code=400)
        self.assertRegex(r.content.decode(), r'<input[^>]*aria-describedby="person-name_error"')
        self.assertEqual(Person.objects.count(), before)
        r = self.client.post(
            reverse("family_plans:person_add", args=[self.plan.pk]),
            {"role": "neighbour", "name": "Buurvrouw Ans"},
        )
        self.assertEqual(r.status_code, 302)
        self.assertTrue(Person.objects.filter(name="Buurvrouw Ans").exists())
