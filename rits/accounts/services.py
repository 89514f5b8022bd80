"""Every change to accounts: one transaction, with its audit entry in that same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts import events  # noqa: F401  (registers the event codes)
from rits.accounts.models import ApiToken, Notification, User
from rits.audit.models import Entry
from rits.audit.services import record

# "rits_" + 4 characters: enough to recognise a token in a list, useless for guessing it.
TOKEN_HINT_LENGTH = 9


@transaction.atomic
def create_token(user: User, name: str, *, actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token and return it with the raw token, which is never stored.

    Only the SHA-256 hash and the first characters are kept, so the raw token can be
    shown exactly once.
    """
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        token_hash=ApiToken.hash(raw),
        hint=raw[:TOKEN_HINT_LENGTH],
    )
    record(
        actor or user,
        "accounts.token_created",
        token,
        purpose=Entry.Purpose.SECURITY,
        data={"hint": token.hint},
    )
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User) -> bool:
    """Revoke the token at once; returns False when it was already revoked (nothing changes)."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        return False
    token.refresh_from_db(fields=["revoked_at"])
    record(
        actor,
        "accounts.token_revoked",
        token,
        purpose=Entry.Purpose.SECURITY,
        data={"hint": token.hint, "owner": token.user_id},
    )
    return True


def enrollment_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up, created on first visit.

    The same device is shown again on reload, so a QR code already scanned stays valid.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@dataclass(frozen=True)
class OtpResult:
    verified: bool
    throttled: bool = False


@transaction.atomic
def check_otp_code(user: User, device: TOTPDevice, code: str) -> OtpResult:
    """Check a code against the device with django-otp's own throttling, and audit the outcome.

    Steps, in this order: lock the device row (a code can be used once, even by two
    requests at the same time); ask whether verifying is allowed (throttling); verify;
    on the first success of an unconfirmed device, confirm it; audit.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        record(
            user,
            "accounts.otp_failed",
            device,
            outcome=Entry.Outcome.DENIED,
            purpose=Entry.Purpose.SECURITY,
            data={"reason": "throttled"},
        )
        return OtpResult(verified=False, throttled=True)
    if not device.verify_token(code):
        record(
            user,
            "accounts.otp_failed",
            device,
            outcome=Entry.Outcome.FAILURE,
            purpose=Entry.Purpose.SECURITY,
            data={"reason": "wrong code", "enrollment": not device.confirmed},
        )
        return OtpResult(verified=False)
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Other half-finished enrollments are useless now; one device per person.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        record(user, "accounts.otp_device_confirmed", device, purpose=Entry.Purpose.SECURITY)
    record(user, "accounts.otp_verified", device, purpose=Entry.Purpose.SECURITY)
    return OtpResult(verified=True)


RECOVERY_CODES = 10


@transaction.atomic
def create_recovery_codes(user: User) -> list[str]:
    """New recovery codes for the user's own second factor; the old ones stop working.

    The codes are returned to show once to the user themselves (django-otp keeps them to
    check them, each works once); the audit entry holds only how many there are.
    """
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    record(
        user,
        "accounts.recovery_codes_created",
        device,
        purpose=Entry.Purpose.SECURITY,
        data={"codes": len(codes)},
    )
    return codes


@transaction.atomic
def check_recovery_code(user: User, code: str) -> tuple[OtpResult, StaticDevice | None]:
    """Check a recovery code instead of the app's code, with django-otp's throttling; a
    used code is gone. Audited like an app code."""
    device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        record(
            user,
            "accounts.otp_failed",
            outcome=Entry.Outcome.FAILURE,
            purpose=Entry.Purpose.SECURITY,
            data={"reason": "no recovery codes"},
        )
        return OtpResult(verified=False), None
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        record(
            user,
            "accounts.otp_failed",
            device,
            outcome=Entry.Outcome.DENIED,
            purpose=Entry.Purpose.SECURITY,
            data={"reason": "throttled", "method": "recovery code"},
        )
        return OtpResult(verified=False, throttled=True), None
    if not device.verify_token(code.strip().lower()):
        record(
            user,
            "accounts.otp_failed",
            device,
            outcome=Entry.Outcome.FAILURE,
            purpose=Entry.Purpose.SECURITY,
            data={"reason": "wrong code", "method": "recovery code"},
        )
        return OtpResult(verified=False), None
    record(
        user,
        "accounts.otp_verified",
        device,
        purpose=Entry.Purpose.SECURITY,
        data={"method": "recovery code", "left": device.token_set.count()},
    )
    return OtpResult(verified=True), device


@transaction.atomic
def reset_authenticator(user: User, *, actor: User) -> int:
    """Remove the user's authenticator devices and recovery codes (a lost phone); the
    next login enrolls anew.

    Returns how many devices were removed.
    """
    count, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        actor,
        "accounts.otp_device_reset",
        user,
        purpose=Entry.Purpose.SECURITY,
        data={"devices": count},
    )
    return count


@transaction.atomic
def unlock_login(user: User, *, actor: User) -> int:
    """Lift a lockout after failed logins (django-axes) for this account, from any address.

    Returns how many recorded attempts were removed.
    """
    removed = axes_reset(username=user.email)
    record(
        actor, "accounts.unlocked", user, purpose=Entry.Purpose.SECURITY, data={"attempts": removed}
    )
    return removed


def record_password_reset_request(*, email: str, accounts_found: int) -> None:
    """Audit a reset request. The person asking never learns whether the address exists;
    the privacy officer can see it in the trail."""
    record(
        None,
        "accounts.password_reset_requested",
        purpose=Entry.Purpose.SECURITY,
        data={"email": email[:200], "accounts_found": accounts_found},
    )


def record_password_changed(user: User, *, actor: User, how: str) -> None:
    """Audit a new password (call inside the transaction that saves it)."""
    record(
        actor, "accounts.password_changed", user, purpose=Entry.Purpose.SECURITY, data={"how": how}
    )


@transaction.atomic
def mark_notification_read(notification: Notification, *, actor: User) -> bool:
    """Mark one notification read; returns False when it already was."""
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if not updated:
        return False
    record(actor, "accounts.notification_read", notification, purpose=Entry.Purpose.ADMINISTRATION)
    return True


@transaction.atomic
def mark_all_notifications_read(user: User, *, actor: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        record(
            actor,
            "accounts.notification_read",
            user,
            purpose=Entry.Purpose.ADMINISTRATION,
            data={"count": count},
        )
    return count
