"""In-app notifications, also sent by e-mail after the transaction commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction

from rits.accounts.models import Notification, User


def notify(
    user: User, *, kind: str, title: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    """Create the notification now; send the e-mail only once the change is committed,
    so a rolled-back change never mails anyone. ``email=False``: in the app only (the demo
    region, built without mailing its synthetic people)."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url
    )
    if not email:
        return notification
    link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
    transaction.on_commit(
        partial(
            send_mail,
            subject=f"Rits: {title}"[:200],
            message=f"{body}\n\n{link}\n",
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )
    )
    return notification


@dataclass(frozen=True, slots=True)
class Message:
    """One notification for ``notify_many``: the recipient by id and address, so that a
    caller sending many need not load a user object for each."""

    user_id: int
    email: str
    kind: str
    title: str
    body: str = ""
    url: str = ""


def notify_many(messages: Sequence[Message]) -> None:
    """Create many notifications in one statement; send their e-mails in one
    connection once the change is committed."""
    if not messages:
        return
    Notification.objects.bulk_create(
        Notification(user_id=m.user_id, kind=m.kind, title=m.title[:200], body=m.body, url=m.url)
        for m in messages
    )
    mails = tuple(
        (
            f"Rits: {m.title}"[:200],
            f"{m.body}\n\n{settings.SITE_URL}{m.url}\n" if m.url else f"{m.body}\n",
            None,
            [m.email],
        )
        for m in messages
    )
    transaction.on_commit(partial(send_mass_mail, mails, fail_silently=True))
