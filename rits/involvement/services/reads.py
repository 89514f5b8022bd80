"""Auditing what a professional or municipal coordinator reads in the index.

Every read entry names, as NEN 7513 asks, the subject (the youth's pseudonym, or the
match's shared pseudonym) and the organisation and role the reader read in: the
reporter's own signal, or the municipal coordinator's membership.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.models import Match, Signal, coordinator_municipality_ids

Role = Membership.Role
# The most a match list shows at once, on the page and in the API.
MATCHES_LISTED = 200


def standing(
    user: User,
    *,
    signal: Signal | None = None,
    match: Match | None = None,
    role: str = "",
) -> dict[str, str]:
    """The organisation, role and "on behalf of" a read is audited with.

    A reporter reads their own signal for its organisation; in a match, their own
    signal in it; otherwise (lists, a municipal coordinator) the index role they hold,
    or ``role`` when the read is one only that role may make.
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
    roles: list[str] = [Role.MUNICIPAL_COORDINATOR, Role.INDEX_REPORTER]
    if role:
        roles = [role]
    elif match is None:
        roles.reverse()
    for held in roles:
        membership = (
            Membership.objects.filter(user=user, active=True, role=held)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            name = membership.organisation.name
            return {"organisation": name, "role": held, "on_behalf_of": name}
    return {"role": role} if role else {}


def record_read(
    user: User,
    event: str,
    obj: Signal | Match | None = None,
    *,
    data: dict[str, Any] | None = None,
    subject: str = "",
    purpose: str = Entry.Purpose.COORDINATION,
    role: str = "",
    object_type: str = "",
) -> None:
    """Audit one read of a signal, a match, a list or a person's registrations, in its
    own transaction: every read in the index is audited here.

    ``subject`` defaults to the signal's youth or the match's shared pseudonym; ``role``
    names the role the read needs (the rights overview: the municipal coordinator's);
    ``object_type`` the kind of object a read of several names in its data.
    """
    signal = obj if isinstance(obj, Signal) else None
    match = obj if isinstance(obj, Match) else None
    if not subject:
        subject = signal.youth_pseudonym if signal else match.key if match else ""
    with transaction.atomic():
        record(
            user,
            event,
            obj,
            subject=subject,
            purpose=purpose,
            object_type=object_type,
            data=data,
            **standing(user, signal=signal, match=match, role=role),
        )


def my_matches(user: User) -> list[Match]:
    """My matches (``MatchQuerySet.mine``) with their contacts; the read is audited."""
    matches = list(Match.objects.mine(user).with_contacts()[:MATCHES_LISTED])
    record_read(user, "involvement.matches_listed", data={"matches": [m.pk for m in matches]})
    return matches


def unresolved_matches(user: User) -> list[Match]:
    """The matches awaiting agreement in the user's municipalities, for municipal
    coordinators only (403 for anyone else); the read is audited."""
    municipalities = coordinator_municipality_ids(user)
    if not municipalities:
        raise PermissionDenied
    matches = list(Match.objects.unresolved(municipalities).with_contacts()[:MATCHES_LISTED])
    record_read(user, "involvement.matches_listed", data={"matches": [m.pk for m in matches]})
    return matches
