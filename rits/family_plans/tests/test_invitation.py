"""The invitation: a secret of its recipient. It goes by e-mail only, is never shown to the
sender (page, message, API), works once, expires, and needs a code mailed to the invited
address before a password can be chosen."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.models import Invitation, Person
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import AuditAssertions, login

PASSWORD = "een lang wachtwoord 77"
ADDRESS = "paul@test.rits.nl"
STEPS = "/gezin/uitnodiging/"


def _newest(pattern: str) -> str:
    """What ``pattern`` finds in the newest mail that has it (other mails, such as the
    household's notifications, go out beside the invitation)."""
    for message in reversed(mail.outbox):
        found = re.search(pattern, str(message.body))
        if found is not None:
            return found.group(1)
    raise AssertionError(f"no mail with {pattern}")


def token_in() -> str:
    return _newest(r"/gezin/uitnodiging/([^/\s]+)/")


def code_in() -> str:
    return _newest(r"Je code voor Rits is (\d{6})")


class InvitationTests(AuditAssertions, FamilyPlanTestCase):
    second_parent: Person

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.second_parent = Person.objects.create(
            family=cls.family, role=Person.Role.PARENT, name="Paul Ouder"
        )

    def invite(self, email: str = ADDRESS) -> str:
        """Invite Paul as the coordinator; the raw token as only Paul's mailbox has it."""
        plan = self.with_access(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            services.invite_person(self.second_parent, plan, actor=self.coordinator, email=email)
        token = token_in()
        self.client.get(self.url(token))
        return token

    def url(self, token: str) -> str:
        return f"/gezin/uitnodiging/{token}/"

    def ask_code(self, token: str, email: str = ADDRESS) -> Any:
        """The first step, in the browser that opened ``token`` (the session keeps it)."""
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(STEPS, {"email": email})

    def accept(self, token: str, code: str, password: str = PASSWORD) -> Any:
        return self.client.post(
            STEPS, {"code": code, "password": password, "password_again": password}
        )

    def full_flow(self, token: str) -> list[Any]:
        first = self.client.get(self.url(token), follow=True)
        second = self.ask_code(token)
        third = self.accept(token, code_in())
        return [first, second, third]

    # --- the secret stays with its recipient ---------------------------------------------

    def test_it_mails_the_link_to_the_invited_address_and_stores_only_a_hash(self) -> None:
        token = self.invite()
        self.assertEqual(
            [m.to for m in mail.outbox if "/gezin/uitnodiging/" in m.body], [[ADDRESS]]
        )
        invitation = Invitation.objects.get()
        self.assertNotEqual(invitation.token_hash, token)
        self.assertEqual(invitation.token_hash, Invitation.hash(token))
        self.assert_audited(
            "family_plans.invitation_created", actor=self.coordinator, address="p***@t***.nl"
        )

    def test_the_service_does_not_return_the_link(self) -> None:
        plan = self.with_access(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            result = services.invite_person(
                self.second_parent, plan, actor=self.coordinator, email=ADDRESS
            )
        token = token_in()
        self.assertIsInstance(result, Invitation)
        self.assertNotIn(token, repr(vars(result)))

    def test_the_sender_never_sees_the_link_on_the_team_page(self) -> None:
        login(self.client, self.coordinator)
        responses = []
        with self.captureOnCommitCallbacks(execute=True):
            responses.append(
                self.client.post(
                    f"/gezin/{self.plan.pk}/personen/{self.second_parent.pk}/uitnodigen/",
                    {"email": ADDRESS},
                    follow=True,
                )
            )
        first = token_in()
        with self.captureOnCommitCallbacks(execute=True):
            responses.append(
                self.client.post(
                    f"/gezin/{self.plan.pk}/personen/nieuw/",
                    {"role": "parent", "name": "Noor Ouder", "email": "noor@test.rits.nl"},
                    follow=True,
                )
            )
        second = token_in()
        self.assertContains(responses[0], "De uitnodiging is per e-mail naar Paul Ouder gestuurd")
        for r in responses:
            page = r.content.decode()
            for token in (first, second):
                self.assertNotIn(token, page)
            self.assertNotIn("/gezin/uitnodiging/", page)

    def test_the_api_never_returns_the_jim_link(self) -> None:
        login(self.client, self.youth)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                f"/api/v1/family-plans/plans/{self.plan.pk}/jim",
                {
                    "name": "Oma Truus",
                    "date_of_birth": born_years_ago(60).isoformat(),
                    "email": "truus@test.rits.nl",
                },
                content_type="application/json",
            )
        self.assertEqual(r.status_code, 201)
        token = token_in()
        self.assertNotIn(token, r.content.decode())
        self.assertNotIn("uitnodiging", r.content.decode())

    def test_no_response_in_the_flow_contains_the_raw_token(self) -> None:
        login(self.client, self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            sent = self.client.post(
                f"/gezin/{self.plan.pk}/personen/{self.second_parent.pk}/uitnodigen/",
                {"email": ADDRESS},
                follow=True,
            )
        token = token_in()
        team = self.client.get(f"/gezin/{self.plan.pk}/team/")
        network = self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/network")
        self.client.logout()
        responses = [
            sent,
            team,
            network,
            self.client.get(self.url(token)),
            self.client.get(STEPS),
            self.ask_code(token, "fout@test.rits.nl"),
            self.ask_code(token),
            self.accept(token, "000000" if code_in() != "000000" else "111111"),
            self.accept(token, code_in()),
            self.client.get(self.url(token)),
        ]
        for r in responses:
            self.assertNotIn(token, r.content.decode())
            self.assertNotIn(token, str(r.headers))
        self.assertTrue(User.objects.filter(email=ADDRESS).exists())

    def test_the_page_shows_neither_the_address_nor_who_is_invited(self) -> None:
        token = self.invite()
        for r in (self.client.get(self.url(token), follow=True), self.ask_code(token)):
            page = r.content.decode()
            self.assertNotIn(ADDRESS, page)
            self.assertNotIn("Paul Ouder", page)
            self.assertNotIn(self.family.name, page)

    def test_the_household_is_told_who_invited_whom_at_a_masked_address(self) -> None:
        self.invite()
        told = self.parent.notifications.get(kind="family_plans.invitation_sent")
        self.assertIn("Ria Regisseur", told.body)
        self.assertIn("Paul Ouder", told.title)
        self.assertIn("p***@t***.nl", told.body)
        self.assertNotIn(ADDRESS, told.body)
        self.assertTrue(self.youth.notifications.filter(kind="family_plans.invitation_sent"))
        self.assertFalse(self.coordinator.notifications.filter(kind="family_plans.invitation_sent"))

    # --- accepting needs the code ------------------------------------------------------

    def test_a_parent_accepts_with_the_code_and_is_offered_a_second_factor(self) -> None:
        token = self.invite()
        first, second, third = self.full_flow(token)
        self.assertEqual(first.status_code, 200)
        self.assertEqual(second.status_code, 200)
        self.assertEqual([m.to for m in mail.outbox if "Je code voor Rits" in m.body], [[ADDRESS]])
        self.assertRedirects(
            third, "/account/two-factor/setup/?next=%2Fgezin%2F", fetch_redirect_response=False
        )
        user = User.objects.get(email=ADDRESS)
        self.assertEqual(user.kind, User.Kind.FAMILY)
        self.second_parent.refresh_from_db()
        self.assertEqual(self.second_parent.user, user)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)
        person = self.second_parent.reference
        self.assert_audited("family_plans.invitation_code_sent", actor=None, subject=person)
        self.assert_audited("family_plans.invitation_accepted", actor=user, subject=person)

    def test_the_link_without_the_code_does_nothing(self) -> None:
        token = self.invite()
        # The sender opens the link and types the address they know; the code goes to
        # the recipient's mailbox, so a password without it changes nothing.
        self.ask_code(token)
        for code in ("", "12345", "abcdef"):
            r = self.accept(token, code)
            self.assertEqual(r.status_code, 400)
        r = self.client.post(STEPS, {"password": PASSWORD, "password_again": PASSWORD})
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assertIsNone(Invitation.objects.get().used_at)

    def test_a_code_before_the_address_step_is_refused(self) -> None:
        token = self.invite()
        r = self.accept(token, "123456")
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assert_audited("family_plans.invitation_refused", outcome="denied", why="no code")

    def test_a_wrong_address_is_refused_audited_and_sends_nothing(self) -> None:
        token = self.invite()
        sent = len(mail.outbox)
        r = self.ask_code(token, "iemand@test.rits.nl")
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "niet het e-mailadres", status_code=400)
        self.assertEqual(len(mail.outbox), sent)
        self.assert_audited(
            "family_plans.invitation_refused", actor=None, outcome="denied", why="wrong address"
        )

    def test_the_address_is_compared_without_case(self) -> None:
        token = self.invite()
        self.assertEqual(self.ask_code(token, "Paul@Test.Rits.NL").status_code, 200)

    def test_too_many_wrong_addresses_spend_the_invitation(self) -> None:
        token = self.invite()
        for _i in range(services.ADDRESS_TRIES - 1):
            self.assertEqual(self.ask_code(token, "fout@test.rits.nl").status_code, 400)
        self.assertEqual(self.ask_code(token, "fout@test.rits.nl").status_code, 410)
        self.assertEqual(self.ask_code(token).status_code, 410)
        self.assert_audited("family_plans.invitation_refused", why="too many wrong addresses")

    def test_a_wrong_code_is_refused_and_audited(self) -> None:
        token = self.invite()
        self.ask_code(token)
        right = code_in()
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        r = self.accept(token, wrong)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assert_audited("family_plans.invitation_refused", outcome="denied", why="wrong code")
        self.assertEqual(Invitation.objects.get().code_tries, 1)

    def test_too_many_wrong_codes_end_the_code(self) -> None:
        token = self.invite()
        self.ask_code(token)
        right = code_in()
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        for _i in range(services.CODE_TRIES):
            self.accept(token, wrong)
        r = self.accept(token, right)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assert_audited("family_plans.invitation_refused", why="too many wrong codes")

    def test_an_expired_code_is_refused(self) -> None:
        token = self.invite()
        self.ask_code(token)
        Invitation.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
        r = self.accept(token, code_in())
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assert_audited("family_plans.invitation_refused", why="code expired")

    def test_codes_are_throttled_per_invitation(self) -> None:
        token = self.invite()
        self.assertEqual(self.ask_code(token).status_code, 200)
        sent = len(mail.outbox)
        r = self.ask_code(token)
        self.assertContains(r, "Wacht een minuut", status_code=400)
        self.assertEqual(len(mail.outbox), sent)
        self.assert_audited("family_plans.invitation_refused", why="code asked too soon")
        for _i in range(services.CODES_PER_INVITATION - 1):
            Invitation.objects.update(code_sent_at=timezone.now() - timedelta(minutes=2))
            self.assertEqual(self.ask_code(token).status_code, 200)
        Invitation.objects.update(code_sent_at=timezone.now() - timedelta(minutes=2))
        self.assertEqual(self.ask_code(token).status_code, 400)
        self.assert_audited("family_plans.invitation_refused", why="too many codes")

    def test_only_the_newest_code_works(self) -> None:
        token = self.invite()
        self.ask_code(token)
        old = code_in()
        Invitation.objects.update(code_sent_at=timezone.now() - timedelta(minutes=2))
        self.ask_code(token)
        new = code_in()
        if old != new:
            self.assertEqual(self.accept(token, old).status_code, 400)
        self.assertEqual(self.accept(token, new).status_code, 302)

    # --- single use, expiry, binding ----------------------------------------------------

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
        self.full_flow(token)
        self.client.logout()
        login(self.client, self.coordinator)
        page = self.client.get(form).content.decode()
        self.assertIn(ask, page)
        self.assertIn("Paul Ouder</label>", page)

    def test_a_reused_link_is_refused_and_creates_nothing(self) -> None:
        token = self.invite()
        self.full_flow(token)
        self.client.logout()
        self.assertEqual(self.client.get(self.url(token), follow=True).status_code, 410)
        self.assertEqual(self.ask_code(token).status_code, 410)
        self.assertEqual(self.accept(token, "123456").status_code, 410)
        self.assertEqual(User.objects.filter(email=ADDRESS).count(), 1)
        self.assertTrue(
            Entry.objects.filter(
                event="family_plans.invitation_refused", outcome=Entry.Outcome.DENIED
            ).exists()
        )

    def test_an_expired_link_is_refused(self) -> None:
        token = self.invite()
        self.ask_code(token)
        code = code_in()
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        self.assertEqual(self.accept(token, code).status_code, 410)
        self.assertEqual(self.ask_code(token).status_code, 410)
        self.assertFalse(User.objects.filter(email=ADDRESS).exists())
        self.assert_audited("family_plans.invitation_refused", why="expired", count=2)

    def test_an_unknown_link_is_refused(self) -> None:
        self.assertEqual(self.client.get(self.url("verzonnen"), follow=True).status_code, 410)
        self.assertEqual(self.ask_code("verzonnen").status_code, 410)

    def test_the_steps_need_the_link_opened_in_this_browser(self) -> None:
        token = self.invite()
        self.client.logout()  # another browser: a session without the opened link
        self.assertEqual(self.ask_code(token).status_code, 410)
        self.assertFalse(Invitation.objects.exclude(code_hash="").exists())

    def test_the_link_leaves_the_address_bar_once_opened(self) -> None:
        token = self.invite()
        r = self.client.get(self.url(token))
        self.assertRedirects(r, STEPS)
        self.assertNotIn(token, r["Location"])

    def test_a_weak_password_is_refused_and_the_code_stays_usable(self) -> None:
        token = self.invite()
        self.ask_code(token)
        code = code_in()
        self.assertEqual(self.accept(token, code, "123456789012").status_code, 400)
        self.assertIsNone(Invitation.objects.get().used_at)
        self.assertEqual(self.accept(token, code).status_code, 302)

    def test_a_new_invitation_replaces_the_old_link(self) -> None:
        first = self.invite()
        self.invite()
        self.assertEqual(self.client.get(self.url(first), follow=True).status_code, 410)

    def test_the_account_is_bound_to_the_invited_person(self) -> None:
        token = self.invite()
        self.full_flow(token)
        user = User.objects.get(email=ADDRESS)
        self.assertEqual(list(Person.objects.filter(user=user)), [self.second_parent])

    def test_an_address_of_someone_else_in_the_family_is_refused(self) -> None:
        plan = self.with_access(self.coordinator)
        for taken in ("ouder@test.rits.nl", "JIM@test.rits.nl"):
            with self.assertRaises(services.PlanError):
                services.invite_person(
                    self.second_parent, plan, actor=self.coordinator, email=taken
                )
        self.assertFalse(Invitation.objects.exists())

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
