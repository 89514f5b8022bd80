"""How API callers prove who they are: a personal token (Bearer) or a verified session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from rits.accounts.middleware import needs_second_factor
from rits.accounts.models import ApiToken, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib import plain_sql

# Every API request reads its token and user (see rits.lib.plain_sql).
_TOKEN_BY_HASH = f"SELECT * FROM {ApiToken._meta.db_table} WHERE token_hash = %s"  # noqa: S608
_USER_BY_ID = f"SELECT * FROM {User._meta.db_table} WHERE id = %s"  # noqa: S608


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rits_…``. Unknown, malformed and revoked tokens are refused
    alike (401) and audited, without storing the token itself."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        reason = ""
        api_token = user = None
        if not token.startswith(ApiToken.PREFIX) or len(token) > 200:
            reason = "malformed"
        else:
            api_token = plain_sql.first(ApiToken, _TOKEN_BY_HASH, [ApiToken.hash(token)])
            if api_token is not None:
                user = plain_sql.first(User, _USER_BY_ID, [api_token.user_id])
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
        api_token.user = user
        # A write per request would serialise API traffic; a minute's precision is enough.
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        return user


class VerifiedSessionAuth(APIKeyCookie):
    """The browser session, but only once the second factor has been passed (with CSRF)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if needs_second_factor(user):
            return None
        return user


api_auth = [TokenAuth(), VerifiedSessionAuth()]


def api_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts as (token or verified session)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


class AccountBackend(ModelBackend):
    """Django's model backend (passwords, ``is_active``), reading the session's user
    in one plain statement."""

    def get_user(self, user_id: Any) -> User | None:
        # ``user_id`` comes from the server-side session, converted by django.contrib.auth.
        user = plain_sql.first(User, _USER_BY_ID, [user_id])
        return user if user is not None and self.user_can_authenticate(user) else None
