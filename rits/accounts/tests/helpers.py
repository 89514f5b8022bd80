"""Small helpers shared by the account tests."""

from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import User
from rits.audit.models import Entry


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for this device."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def events(code: str) -> list[Entry]:
    return list(Entry.objects.filter(event=code).order_by("id"))
