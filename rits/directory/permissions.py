"""Who may see and change what on the social map.

The map itself is public (active services); the organisation editor changes their own
organisation's entries, the region's functional admin all of them; everyone else reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from rits.directory.models import CrisisLine, Location, Provider, Report, Service

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


def get_service_for_editor(user: User | AnonymousUser, service_id: int) -> Service:
    """A service its editor changes; anyone else gets a 404, so an edit page tells an
    editor of another organisation nothing."""
    if not user.is_authenticated:
        raise Http404
    editable = Provider.objects.editable_by(user).values("pk")  # type: ignore[arg-type]
    return get_object_or_404(
        Service.objects.select_related("provider__organisation").filter(provider__in=editable),
        pk=service_id,
    )


def get_provider_for_editor(user: User | AnonymousUser, provider_id: int) -> Provider:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Provider.objects.editable_by(user).select_related("organisation"),  # type: ignore[arg-type]
        pk=provider_id,
    )


def get_location_for_editor(user: User | AnonymousUser, location_id: int) -> Location:
    if not user.is_authenticated:
        raise Http404
    editable = Provider.objects.editable_by(user).values("pk")  # type: ignore[arg-type]
    return get_object_or_404(
        Location.objects.select_related("provider__organisation").filter(provider__in=editable),
        pk=location_id,
    )


def get_crisis_line_for_user(
    user: User | AnonymousUser, line_id: int | UUID, *, write: bool = False
) -> CrisisLine:
    """Crisis lines are public; changing one is for its keepers only (404 to others)."""
    qs = CrisisLine.objects.select_related("municipality", "region", "organisation")
    if write:
        if not user.is_authenticated:
            raise Http404
        qs = qs.filter(pk__in=CrisisLine.objects.editable_by(user).values("pk"))  # type: ignore[arg-type]
    if isinstance(line_id, UUID):
        return get_object_or_404(qs, uuid=line_id)
    return get_object_or_404(qs, pk=line_id)


def may_keep(user: User | AnonymousUser, entry: Service | CrisisLine) -> bool:
    """Whether the user changes and confirms this entry."""
    if not user.is_authenticated:
        return False
    if isinstance(entry, Service):
        return can_edit_provider(user, entry.provider)
    return CrisisLine.objects.editable_by(user).filter(pk=entry.pk).exists()  # type: ignore[arg-type]


def get_report_for_keeper(user: User | AnonymousUser, report_id: int) -> Report:
    """An open or closed report, for whoever keeps its entry (404 to anyone else)."""
    report = get_object_or_404(
        Report.objects.select_related("service__provider", "crisis_line"), pk=report_id
    )
    if not may_keep(user, report.entry):
        raise Http404
    return report
