"""Print the current code of a user's authenticator, for demos on a development machine."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of a user's confirmed device (only with DEBUG on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-mail address of the user")

    def handle(self, *args: Any, **options: Any) -> None:
        # Anyone who can run this could log in as anyone: never on a real deployment.
        if not settings.DEBUG:
            raise CommandError("totp_code only works with DEBUG on (demo and development).")
        email = str(options["email"]).strip().lower()
        device = TOTPDevice.objects.filter(user__email=email, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"No confirmed authenticator for {email}.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
