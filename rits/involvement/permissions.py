"""Who may see and change which signal or match. Outsiders get 404, never 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from rits.accounts.models import Membership, User
from rits.accounts.throttling import Throttle
from rits.involvement.models import Match, Signal, coordinator_municipality_ids

# Per account, on the page and in the API alike. A registration tells whether others are
# involved with a youth, a rights lookup who registered a person: nobody may ask that
# about many people in a short time.
registrations = Throttle("involvement-registration", "RITS_REGISTRATION_RATE")
rights_lookups = Throttle("involvement-rights-lookup", "RITS_RIGHTS_LOOKUP_RATE")


def get_signal_for_user(user: User, signal_id: int, *, write: bool = False) -> Signal:
    """A signal is visible to the professional who registered it, and to nobody else.

    ``write`` (withdrawing) also needs the index-reporter role still to be held.
    """
    signal = get_object_or_404(
        Signal.objects.visible_to(user).select_related("organisation", "municipality"),
        pk=signal_id,
    )
    if write and not user.has_role(Membership.Role.INDEX_REPORTER):
        raise PermissionDenied
    return signal


def get_match_for_user(user: User, match_id: int, *, write: bool = False) -> Match:
    """Visible to the professionals in the match and to the municipal coordinators of
    the youths' municipalities; only the professionals may coordinate (write)."""
    match = get_object_or_404(Match.objects.visible_to(user).with_contacts(), pk=match_id)
    if write and not any(m.signal.reporter_id == user.pk for m in match.current_members()):
        raise PermissionDenied
    return match


def is_municipal_coordinator(user: User) -> bool:
    return bool(user.is_authenticated and coordinator_municipality_ids(user))


def get_signal_for_rights(user: User, signal_id: int) -> Signal:
    """A municipal coordinator handling a rights request may reach any signal in their
    region; everyone else gets 404."""
    regions = set(
        Membership.objects.filter(
            user=user, active=True, role=Membership.Role.MUNICIPAL_COORDINATOR
        ).values_list("organisation__region_id", flat=True)
    )
    return get_object_or_404(
        Signal.objects.select_related("organisation", "municipality"),
        pk=signal_id,
        organisation__region_id__in=regions,
    )
