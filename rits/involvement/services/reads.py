"""Auditing what a professional or municipal coordinator reads in the index.

Every read entry names, as NEN 7513 asks, the subject (the youth's pseudonym, or the
match's shared pseudonym) and the organisation and role the reader read in: the
reporter's own signal, or the municipal coordinator's membership.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.models import Match, Signal

Role = Membership.Role


def standing(
    user: User, *, signal: Signal | None = None, match: Match | None = None
) -> dict[str, str]:
    """The organisation, role and "on behalf of" a read is audited with.

    A reporter reads their own signal for its organisation; in a match, their own
    signal in it; otherwise (lists, a municipal coordinator) the index role they hold.
    """
    if signal is None and match is not None:
        signal = (
            Signal.objects.filter(memberships__match=match, reporter=user)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
    if signal is not None and signal.reporter_id == user.pk:
        name = signal.organisation.name
        return {"organisation": name, "role": Role.INDEX_REPORTER, "on_behalf_of": name}
    roles = [Role.MUNICIPAL_COORDINATOR, Role.INDEX_REPORTER]
    if match is None:
        roles.reverse()
    for role in roles:
        membership = (
            Membership.objects.filter(user=user, active=True, role=role)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            name = membership.organisation.name
            return {"organisation": name, "role": role, "on_behalf_of": name}
    return {}


def record_read(
    user: User,
    event: str,
    obj: Signal | Match | None = None,
    *,
    data: dict[str, Any] | None = None,
) -> None:
    """Audit one read of a signal, a match or a list, in its own transaction."""
    signal = obj if isinstance(obj, Signal) else None
    match = obj if isinstance(obj, Match) else None
    subject = signal.youth_pseudonym if signal else match.key if match else ""
    with transaction.atomic():
        record(
            user,
            event,
            obj,
            subject=subject,
            purpose=Entry.Purpose.COORDINATION,
            data=data,
            **standing(user, signal=signal, match=match),
        )
