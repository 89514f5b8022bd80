"""In-app notifications, also sent by e-mail after the transaction commits."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from rits.accounts.models import Notification, User


def notify(user: User, *, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Create the notification now; send the e-mail only once the change is committed,
    so a rolled-back change never mails anyone."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url
    )
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
