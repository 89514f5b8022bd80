"""The invitation link: single use, expiring, stored as a hash only."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.models import Invitation, Person
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.lib.testing import login

GOOD = {"password": "een lang wachtwoord 77", "password_again": "een lang wachtwoord 77"}


class InvitationTests(FamilyPlanTestCase):
    second_parent: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second_parent = Person.objects.create(
            family=cls.family, role=Person.Role.PARENT, name="Paul Ouder"
        )

    def invite(self) -> str:
        plan = self.with_access(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            link = services.invite_person(
                self.second_parent, plan, actor=self.coordinator, email="paul@test.rits.nl"
            )
        return link.rstrip("/").rsplit("/", 1)[1]

    def test_it_mails_a_link_and_stores_only_a_hash(self) -> None:
        token = self.invite()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(token, mail.outbox[0].body)
        invitation = Invitation.objects.get()
        self.assertNotEqual(invitation.token_hash, token)
        self.assertEqual(invitation.token_hash, Invitation.hash(token))

    def test_a_parent_sets_a_password_and_sees_the_plan(self) -> None:
        token = self.invite()
        r = self.client.get(f"/gezin/uitnodiging/{token}/")
        self.assertContains(r, "Paul Ouder")
        r = self.client.post(f"/gezin/uitnodiging/{token}/", GOOD)
        self.assertRedirects(r, "/gezin/", fetch_redirect_response=False)
        user = User.objects.get(email="paul@test.rits.nl")
        self.assertEqual(user.kind, User.Kind.FAMILY)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)

    def test_the_new_account_is_asked_for_decisions_at_once(self) -> None:
        # The decision form (opened from the plan page) keeps the family's people under
        # the plan's content token; an accepted invitation must make it read them again.
        token = self.invite()
        login(self.client, self.coordinator)
        ask = 'name="ask"'
        form = f"/gezin/{self.plan.pk}/besluiten/nieuw/"
        page = self.client.get(form).content.decode()
        self.assertIn(ask, page)
        self.assertNotIn("Paul Ouder</label>", page)
        self.client.logout()
        self.client.post(f"/gezin/uitnodiging/{token}/", GOOD)
        login(self.client, self.coordinator)
        page = self.client.get(form).content.decode()
        self.assertIn(ask, page)
        self.assertIn("Paul Ouder</label>", page)

    def test_a_reused_link_is_refused_and_creates_nothing(self) -> None:
        token = self.invite()
        self.client.post(f"/gezin/uitnodiging/{token}/", GOOD)
        self.client.logout()
        r = self.client.get(f"/gezin/uitnodiging/{token}/")
        self.assertEqual(r.status_code, 410)
        r = self.client.post(f"/gezin/uitnodiging/{token}/", GOOD)
        self.assertEqual(r.status_code, 410)
        self.assertEqual(User.objects.filter(email="paul@test.rits.nl").count(), 1)
        self.assertTrue(
            Entry.objects.filter(
                event="family_plans.invitation_refused", outcome=Entry.Outcome.DENIED
            ).exists()
        )

    def test_an_expired_link_is_refused(self) -> None:
        token = self.invite()
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        r = self.client.post(f"/gezin/uitnodiging/{token}/", GOOD)
        self.assertEqual(r.status_code, 410)
        self.assertFalse(User.objects.filter(email="paul@test.rits.nl").exists())

    def test_an_unknown_link_is_refused(self) -> None:
        self.assertEqual(self.client.get("/gezin/uitnodiging/verzonnen/").status_code, 410)

    def test_a_weak_password_is_refused_and_the_link_stays_usable(self) -> None:
        token = self.invite()
        r = self.client.post(
            f"/gezin/uitnodiging/{token}/",
            {"password": "123456789012", "password_again": "123456789012"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIsNone(Invitation.objects.get().used_at)

    def test_a_new_invitation_replaces_the_old_link(self) -> None:
        first = self.invite()
        self.invite()
        self.assertEqual(self.client.get(f"/gezin/uitnodiging/{first}/").status_code, 410)

    def test_children_under_12_get_no_account(self) -> None:
        child = Person.objects.create(
            family=self.family, role="youth", name="Kleintje", date_of_birth=born_years_ago(8)
        )
        with self.assertRaises(services.PlanError):
            services.invite_person(
                child,
                self.with_access(self.coordinator),
                actor=self.coordinator,
                email="k@test.rits.nl",
            )

    def test_an_outsider_cannot_send_invitations(self) -> None:
        login(self.client, self.outsider)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/personen/{self.second_parent.pk}/uitnodigen/",
            {"email": "x@test.rits.nl"},
        )
        self.assertEqual(r.status_code, 404)
        self.assertFalse(Invitation.objects.exists())
