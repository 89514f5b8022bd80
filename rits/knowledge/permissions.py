"""Who may read and change what in the knowledge app. Outsiders get 404, never 403:
a private network, its meetings and its minutes do not exist for someone outside it.

- Practices and the glossary: every signed-in user reads them; a public practice anyone.
  Editors (organisation editors, facilitators, the functional admin) add and change them.
- Networks: their members, the region's facilitators and functional admin; a public
  network every signed-in user. The network's facilitators (and the region's) manage it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from rits.accounts.models import Membership, User
from rits.knowledge.models import (
    EDITOR_ROLES,
    GlossaryTerm,
    Meeting,
    Member,
    Network,
    Practice,
)


def can_edit_hub(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*EDITOR_ROLES)))


def can_create_network(user: User) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_superuser
            or user.has_role(Membership.Role.FACILITATOR, Membership.Role.FUNCTIONAL_ADMIN)
        )
    )


def get_practice_for_user(user: User | None, practice_id: int, *, write: bool = False) -> Practice:
    practice = get_object_or_404(Practice.objects.visible_to(user), pk=practice_id)
    if write and (user is None or not can_edit_hub(user)):
        raise PermissionDenied
    return practice


def get_term_for_user(user: User, term_id: int) -> GlossaryTerm:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(GlossaryTerm, pk=term_id)


def membership(network: Network, user: User) -> Member | None:
    if not user.is_authenticated:
        return None
    return network.members.filter(user=user, active=True).first()


def manages(network: Network, user: User) -> bool:
    """The network's own facilitators, and the region's facilitators and functional admin."""
    if user.is_superuser:
        return True
    if network.members.filter(user=user, active=True, role=Member.Role.FACILITATOR).exists():
        return True
    return Membership.objects.filter(
        user=user,
        active=True,
        organisation__region_id=network.region_id,
        role__in=(Membership.Role.FACILITATOR, Membership.Role.FUNCTIONAL_ADMIN),
    ).exists()


def get_network_for_user(
    user: User, network_id: int, *, write: bool = False, take_part: bool = False
) -> Network:
    """``take_part``: members only (posting, registering, amending); ``write``: managers
    only (planning, closing, finalising). Someone who may see the network but not do
    this gets 403."""
    network = get_object_or_404(Network.objects.visible_to(user), pk=network_id)
    if write and not manages(network, user):
        raise PermissionDenied
    if take_part and membership(network, user) is None and not manages(network, user):
        raise PermissionDenied
    return network


def get_meeting_for_user(
    user: User, meeting_id: int, *, write: bool = False, take_part: bool = False
) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.filter(network__in=Network.objects.visible_to(user)).select_related(
            "network"
        ),
        pk=meeting_id,
    )
    if write and not manages(meeting.network, user):
        raise PermissionDenied
    if (
        take_part
        and membership(meeting.network, user) is None
        and not manages(meeting.network, user)
    ):
        raise PermissionDenied
    return meeting
