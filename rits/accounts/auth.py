"""How API callers prove who they are: a personal token (Bearer) or a verified session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from rits.accounts.middleware import needs_second_factor
from rits.accounts.models import ApiToken, User
from rits.audit.models import Entry
from rits.audit.services import record


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rits_…``. Unknown, malformed and revoked tokens are refused
    alike (401) and audited, without storing the token itself."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        reason = ""
        api_token = user = None
        if not token.startswith(ApiToken.PREFIX) or len(token) > 200:
            reason = "malformed"
        else:
            api_token = (
                ApiToken.objects.select_related("user")
                .filter(token_hash=ApiToken.hash(token))
                .first()
            )
            user = api_token.user if api_token is not None else None
            if api_token is None or user is None:
                reason = "unknown"
            elif api_token.revoked_at is not None:
                reason = "revoked"
            elif not user.is_active:
                reason = "inactive user"
        if reason:
            record(
                user,
                "accounts.token_rejected",
                api_token,
                outcome=Entry.Outcome.FAILURE,
                purpose=Entry.Purpose.SECURITY,
                data={"reason": reason, "hint": token[:9]},
            )
            return None
        assert api_token is not None and user is not None
        # A write per request would serialise API traffic; a minute's precision is enough.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        return user


class VerifiedSessionAuth(APIKeyCookie):
    """The browser session, but only once the second factor has been passed (with CSRF).

    A call that presents a token (``Authorization``) is judged by that token alone: a
    revoked or unknown one gets 401, not a CSRF refusal meant for browsers. So does a
    call without a signed-in session: there is nothing a CSRF check would protect. The
    CSRF check (ninja's own ``check_csrf``) therefore runs here, after those two, rather
    than before every call as ``APIKeyCookie`` would."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or needs_second_factor(user):
            return None
        if check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return user


api_auth = [TokenAuth(), VerifiedSessionAuth()]


def acting_user(request: HttpRequest) -> User:
    """The signed-in user a login-required view acts as (``login_required`` has made sure
    there is one; anonymous visitors never reach the view)."""
    user: User = request.user  # type: ignore[assignment]
    return user


def api_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts as (token or verified session)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
