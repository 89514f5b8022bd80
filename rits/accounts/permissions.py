"""Access to account objects: a person reaches only their own tokens and notifications.
Someone else's object is reported as not found (404), never as forbidden."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from rits.accounts.models import ApiToken, Notification, User


def get_token_for_user(user: User, token_id: int, *, write: bool = False) -> ApiToken:
    """The user's own token; tokens are personal, so owning it is also the right to revoke it."""
    return get_object_or_404(ApiToken.objects.visible_to(user), pk=token_id)


def get_notification_for_user(
    user: User, notification_id: int, *, write: bool = False
) -> Notification:
    return get_object_or_404(Notification.objects.visible_to(user), pk=notification_id)
