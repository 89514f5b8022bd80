from __future__ import annotations

import re

from django.core import mail

from rits.accounts.tests.helpers import events
from rits.testing import PASSWORD, RitsTestCase, login

NEW_PASSWORD = "a brand new passphrase 2026"


class PasswordResetTests(RitsTestCase):
    def test_it_shows_a_dutch_form(self) -> None:
        response = self.client.get("/account/password-reset/")
        self.assertContains(response, "Wachtwoord vergeten?")
        self.assertContains(response, "E-mailadres")

    def test_a_known_address_gets_a_dutch_e_mail(self) -> None:
        response = self.client.post("/account/password-reset/", {"email": self.parent.email})
        self.assertRedirects(response, "/account/password-reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [self.parent.email])
        self.assertEqual(message.subject, "Rits: kies een nieuw wachtwoord")
        self.assertIn("Beste Petra Ouder,", message.body)
        self.assertIn("/account/password-reset/", message.body)
        entry = events("accounts.password_reset_requested")[0]
        self.assertEqual(entry.data, {"email": self.parent.email, "accounts_found": 1})

    def test_an_unknown_address_looks_the_same_but_sends_nothing(self) -> None:
        known = self.client.post("/account/password-reset/", {"email": self.parent.email})
        unknown = self.client.post("/account/password-reset/", {"email": "niemand@test.rits.nl"})
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known["Location"], unknown["Location"])
        self.assertEqual(len(mail.outbox), 1)
        self.assertContains(self.client.get(unknown["Location"]), "Kijk in je e-mail")
        entries = events("accounts.password_reset_requested")
        self.assertEqual([e.data["accounts_found"] for e in entries], [1, 0])
        self.assertTrue(all(e.actor_id is None for e in entries))

    def test_the_link_sets_a_new_password_once(self) -> None:
        self.client.post("/account/password-reset/", {"email": self.parent.email})
        link = re.search(r"http://testserver(/\S+)", str(mail.outbox[0].body))
        assert link is not None
        form_page = self.client.get(link.group(1), follow=True)
        self.assertContains(form_page, "Kies een nieuw wachtwoord")
        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(response, "/account/password-reset/done/")
        self.parent.refresh_from_db()
        self.assertTrue(self.parent.check_password(NEW_PASSWORD))
        changed = events("accounts.password_changed")
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed[0].data, {"how": "reset"})
        self.assertContains(
            self.client.get(link.group(1), follow=True), "Deze link werkt niet meer"
        )


class PasswordChangeTests(RitsTestCase):
    def test_a_logged_in_user_changes_their_password(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, "/account/password/done/")
        self.professional.refresh_from_db()
        self.assertTrue(self.professional.check_password(NEW_PASSWORD))
        entry = events("accounts.password_changed")[0]
        self.assertEqual(entry.actor_id, self.professional.pk)
        self.assertEqual(entry.data, {"how": "change"})
        # Still logged in and past the second factor.
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_a_wrong_old_password_changes_nothing(self) -> None:
        login(self.client, self.parent)
        response = self.client.post(
            "/account/password/",
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Wachtwoord wijzigen")
        self.parent.refresh_from_db()
        self.assertTrue(self.parent.check_password(PASSWORD))
        self.assertEqual(events("accounts.password_changed"), [])

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get("/account/password/")
        self.assertTrue(response["Location"].startswith("/account/login/"))
