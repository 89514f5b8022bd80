"""The deploy check that keeps mail (and the secrets in it) out of the server log."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from rits.accounts.checks import check_mail_is_sent


class MailCheckTests(SimpleTestCase):
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    def test_it_warns_when_mail_would_be_printed_to_the_log(self) -> None:
        self.assertEqual([m.id for m in check_mail_is_sent()], ["rits.accounts.W001"])

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    def test_it_is_quiet_when_mail_is_sent(self) -> None:
        self.assertEqual(check_mail_is_sent(), [])
