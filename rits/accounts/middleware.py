"""Second factor and idle timeout, enforced for every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.lib import plain_sql

# Paths a logged-in user who has not yet passed the second factor may still reach.
_OPEN_PREFIXES = ("/account/", "/static/", "/i18n/", "/wie-bel-ik-nu", "/api/")


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, reading the session's TOTP device (the only kind Rits
    enrols) in one plain statement, as every signed-in request does (see
    ``rits.lib.plain_sql``). django-otp still checks that the device is the user's own
    and confirmed."""

    _TOTP_LABEL = TOTPDevice._meta.label_lower
    _TOTP_BY_ID = f"SELECT * FROM {TOTPDevice._meta.db_table} WHERE id = %s"  # noqa: S608

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != self._TOTP_LABEL or not device_id.isdigit():
            return super()._device_from_persistent_id(persistent_id)
        return plain_sql.first(TOTPDevice, self._TOTP_BY_ID, [int(device_id)])


def needs_second_factor(user: Any) -> bool:
    """Logged in with a password but not yet past the second factor that their role requires.

    ``is_verified`` is added to the user by django-otp's OTPMiddleware.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "requires_two_factor", False)
        and not user.is_verified()
    )


def two_factor_url(next_url: str) -> str:
    return f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}"


class TwoFactorRequiredMiddleware:
    """Professionals and admins must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not request.path.startswith(_OPEN_PREFIXES):
            return redirect(two_factor_url(request.get_full_path()))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """End the session after RITS_IDLE_TIMEOUT without requests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - last > settings.RITS_IDLE_TIMEOUT.total_seconds():
                from rits.audit.models import Entry
                from rits.audit.services import record

                record(
                    request.user,  # type: ignore[arg-type]
                    "accounts.session_expired",
                    purpose=Entry.Purpose.SECURITY,
                )
                logout(request)
                return redirect(f"{reverse('accounts:login')}?expired=1")
            # A session write per request would cost a database write per page view;
            # a minute's precision is enough for a 30-minute timeout.
            if last is None or now - last >= 60:
                request.session["last_seen"] = now
        return self.get_response(request)
