"""Consent under the age rules, recorded per member and purpose, withdrawn at once."""

from __future__ import annotations

from rits.audit.models import Entry
from rits.family_plans import rules, services
from rits.family_plans.models import CareTeamMember, Consent, Person
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import login


class AgeRuleTests(FamilyPlanTestCase):
    def set_age(self, years: int, days: int = 10) -> None:
        self.youth_person.date_of_birth = born_years_ago(years, days)
        self.youth_person.save()
        self.plan.youth.refresh_from_db()

    def test_under_12_the_parents_decide(self) -> None:
        self.set_age(11)
        self.assertTrue(rules.consent_complete(self.plan, [self.parent_person]))
        self.assertFalse(rules.consent_complete(self.plan, [self.youth_person]))

    def test_from_12_to_15_parent_and_youth_decide_together(self) -> None:
        for age in (12, 15):
            self.set_age(age)
            self.assertFalse(rules.consent_complete(self.plan, [self.parent_person]))
            self.assertFalse(rules.consent_complete(self.plan, [self.youth_person]))
            self.assertTrue(
                rules.consent_complete(self.plan, [self.parent_person, self.youth_person])
            )

    def test_from_16_the_youth_decides_alone(self) -> None:
        self.set_age(16)
        self.assertTrue(rules.consent_complete(self.plan, [self.youth_person]))
        self.assertFalse(rules.consent_complete(self.plan, [self.parent_person]))

    def test_the_day_of_the_12th_birthday_counts(self) -> None:
        self.set_age(12, days=0)
        self.assertIs(rules.stage(self.plan), rules.Stage.TOGETHER)
        self.set_age(12, days=-1)  # turns 12 tomorrow
        self.assertIs(rules.stage(self.plan), rules.Stage.PARENTS)

    def test_a_jim_or_grandparent_never_gives_consent(self) -> None:
        self.assertFalse(rules.may_consent(self.plan, self.jim_person))


class ConsentFlowTests(FamilyPlanTestCase):
    pending: CareTeamMember

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pending = cls.add_member(cls.outsider, cls.org_b, active=False)

    def test_a_proposed_professional_sees_nothing_before_consent(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_parent_and_youth_of_14_together_let_a_professional_join(self) -> None:
        services.give_consent(self.pending, actor=self.parent)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, CareTeamMember.Status.PENDING)
        login(self.client, self.youth)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/team/{self.pending.pk}/toestemming/", {"purpose": "plan"}
        )
        self.assertEqual(r.status_code, 302)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, CareTeamMember.Status.ACTIVE)
        self.assertTrue(self.outsider.notifications.filter(kind="family_plans.invited").exists())
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)

    def test_consent_from_the_wrong_person_is_refused_audited_and_changes_nothing(self) -> None:
        self.youth_person.date_of_birth = born_years_ago(16)
        self.youth_person.save()
        with self.assertRaises(services.PlanError):
            services.give_consent(self.pending, actor=self.parent)
        self.assertFalse(Consent.objects.filter(member=self.pending).exists())
        entry = Entry.objects.get(event="family_plans.consent_refused")
        self.assertEqual(entry.outcome, Entry.Outcome.DENIED)
        self.assertEqual(entry.subject, self.youth_person.bsn_pseudonym)

    def test_a_professional_cannot_consent_for_the_family_online(self) -> None:
        login(self.client, self.professional)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/members/{self.pending.pk}/consents",
            {"purpose": "plan"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertFalse(Consent.objects.filter(member=self.pending).exists())

    def test_a_team_professional_may_record_consent_given_in_person(self) -> None:
        for person in (self.parent_person, self.youth_person):
            services.give_consent(self.pending, actor=self.coordinator, on_behalf_of=person)
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, CareTeamMember.Status.ACTIVE)
        self.assertEqual(
            set(self.pending.consents.values_list("method", flat=True)),
            {Consent.Method.IN_PERSON},
        )

    def test_consent_is_recorded_per_purpose(self) -> None:
        services.give_consent(self.pending, actor=self.parent, purpose=Consent.Purpose.CONTACT)
        services.give_consent(self.pending, actor=self.youth, purpose=Consent.Purpose.CONTACT)
        self.pending.refresh_from_db()
        # Contact consent alone does not open the plan.
        self.assertEqual(self.pending.status, CareTeamMember.Status.PENDING)

    def test_withdrawing_consent_removes_access_at_once(self) -> None:
        consent = Consent.objects.get(member=self.professional_member, given_by=self.youth_person)
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)
        login(self.client, self.youth)
        r = self.client.post(f"/gezin/{self.plan.pk}/toestemming/{consent.pk}/intrekken/")
        self.assertEqual(r.status_code, 302)
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").status_code, 404
        )
        self.assertTrue(
            self.professional.notifications.filter(kind="family_plans.consent_withdrawn").exists()
        )
        self.assertTrue(Entry.objects.filter(event="family_plans.consent_withdrawn").exists())

    def test_only_the_family_can_withdraw_consent(self) -> None:
        consent = Consent.objects.get(member=self.professional_member, given_by=self.youth_person)
        with self.assertRaises(services.PlanError):
            services.withdraw_consent(consent, actor=self.coordinator)
        consent.refresh_from_db()
        self.assertIsNone(consent.withdrawn_at)

    def test_withdrawal_by_the_coordinator_member_clears_the_coordinator(self) -> None:
        consent = Consent.objects.get(member=self.coordinator_member, given_by=self.parent_person)
        services.withdraw_consent(consent, actor=self.parent)
        self.plan.refresh_from_db()
        self.assertIsNone(self.plan.coordinator)

    def test_the_family_is_asked_for_consent_when_a_professional_is_proposed(self) -> None:
        plan = self.with_access(self.coordinator)
        from rits.accounts.models import Membership
        from rits.testing import make_user

        newcomer = make_user("nieuw@test.rits.nl", "Nina Nieuw")
        Membership.objects.create(user=newcomer, organisation=self.org_a, role="professional")
        member = services.propose_member(plan, actor=self.coordinator, user=newcomer)
        self.assertEqual(member.status, CareTeamMember.Status.PENDING)
        self.assertTrue(
            self.parent.notifications.filter(kind="family_plans.consent_asked").exists()
        )
        with self.assertRaises(services.PlanError):
            services.propose_member(plan, actor=self.coordinator, user=newcomer)

    def test_family_members_cannot_be_proposed_as_professionals(self) -> None:
        plan = self.with_access(self.coordinator)
        with self.assertRaises(services.PlanError):
            services.propose_member(plan, actor=self.coordinator, user=self.parent)

    def test_the_team_page_explains_who_consents(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/team/")
        self.assertContains(r, "een ouder en de jongere samen")
        self.assertEqual(Person.objects.filter(family=self.family).count(), 3)
