from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import override_settings

from rits.accounts.tests.helpers import confirmed_device, current_code
from rits.testing import RitsTestCase


class TotpCodeCommandTests(RitsTestCase):
    @override_settings(DEBUG=True)
    def test_it_prints_the_current_code_with_debug_on(self) -> None:
        device = confirmed_device(self.professional)
        out = StringIO()
        call_command("totp_code", self.professional.email.upper(), stdout=out)
        self.assertEqual(out.getvalue().strip(), current_code(device))

    @override_settings(DEBUG=False)
    def test_it_refuses_with_debug_off(self) -> None:
        confirmed_device(self.professional)
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "DEBUG"):
            call_command("totp_code", self.professional.email, stdout=out)
        self.assertEqual(out.getvalue(), "")

    @override_settings(DEBUG=True)
    def test_it_says_when_there_is_no_confirmed_device(self) -> None:
        with self.assertRaisesMessage(CommandError, "No confirmed authenticator"):
            call_command("totp_code", self.parent.email)
