"""Audit logins and logouts, which Django and django-axes signal."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from rits.accounts import events  # noqa: F401  (registers the event codes)
from rits.audit.models import Entry
from rits.audit.services import record


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, "accounts.login", user, purpose=Entry.Purpose.SECURITY)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, "accounts.logout", user, purpose=Entry.Purpose.SECURITY)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Never store the password; the e-mail address typed is what a privacy officer needs.
    record(
        None,
        "accounts.login_failed",
        outcome=Entry.Outcome.FAILURE,
        purpose=Entry.Purpose.SECURITY,
        data={"username": str(credentials.get("username", ""))[:200]},
    )


@receiver(user_locked_out)
def audit_locked_out(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    # Sent on the attempt that locks the account and on every attempt while it stays locked.
    record(
        None,
        "accounts.locked_out",
        outcome=Entry.Outcome.DENIED,
        purpose=Entry.Purpose.SECURITY,
        data={"username": str(username or "")[:200], "ip_address": ip_address or ""},
    )
