"""Who may see and change what on the social map.

The map itself is public (active services); the organisation editor changes their own
organisation's entries, the region's functional admin all of them; everyone else reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from rits.directory.models import Provider, Service

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rits.accounts.models import User


def can_edit_provider(user: User | AnonymousUser, provider: Provider) -> bool:
    if not user.is_authenticated:
        return False
    return Provider.objects.editable_by(user).filter(pk=provider.pk).exists()  # type: ignore[arg-type]


def get_service_for_user(
    user: User | AnonymousUser, service_id: int | UUID | str, *, write: bool = False
) -> Service:
    """The service by id or HSDS uuid; 404 if the user may not see it, 403 if they may
    see but not change it."""
    qs = Service.objects.visible_to(user).select_related("provider")  # type: ignore[arg-type]
    if isinstance(service_id, int) or (isinstance(service_id, str) and service_id.isdigit()):
        service = get_object_or_404(qs, pk=int(service_id))
    else:
        try:
            key = UUID(str(service_id))
        except ValueError:
            from django.http import Http404

            raise Http404("No such service.") from None
        service = get_object_or_404(qs, uuid=key)
    if write and not can_edit_provider(user, service.provider):
        raise PermissionDenied
    return service


def get_provider_for_user(
    user: User | AnonymousUser, provider_id: int, *, write: bool = False
) -> Provider:
    provider = get_object_or_404(Provider, pk=provider_id)
    if write and not can_edit_provider(user, provider):
        raise PermissionDenied
    return provider
