"""Who may read the audit trail: privacy officers, and nobody else.

Everyone else gets 404, not 403: the trail's pages do not reveal that they exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from rits.accounts.models import Membership


def can_read_trail(user: Any) -> bool:
    """An active user holding the privacy-officer role in an active membership.

    Superusers and functional admins are not privacy officers; being able to change
    the system must not mean being able to read who looked at whose data.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_role(Membership.Role.PRIVACY_OFFICER))


def get_trail_reader(user: Any) -> Membership:
    """The privacy-officer membership the user reads the trail in; 404 for everyone else.

    Its organisation and role go into the audit entry of the read (NEN 7513).
    """
    if not can_read_trail(user):
        raise Http404
    membership = (
        Membership.objects.filter(user=user, active=True, role=Membership.Role.PRIVACY_OFFICER)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise Http404
    return membership
