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

# Paths a logged-in user who has not yet passed the second factor may still reach.
_OPEN_PREFIXES = ("/account/", "/static/", "/i18n/", "/wie-bel-ik-nu", "/api/")


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
