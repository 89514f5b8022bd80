"""Which youth-care region a page should put first for someone.

A professional works in the regions of their organisations. Anyone else (a family,
someone not logged in) gets the site's home region: ``RITS_HOME_REGION`` when it is
set, else the one region whose organisations are on this Rits, if there is just one.
"""

from __future__ import annotations

from django.conf import settings

from rits.accounts.models import Organisation
from rits.regions.models import Municipality, YouthCareRegion


def home_region_ids(user: object) -> list[int]:
    if getattr(user, "is_authenticated", False):
        mine = list(
            user.memberships.filter(active=True)  # type: ignore[attr-defined]
            .order_by()
            .values_list("organisation__region_id", flat=True)
            .distinct()
        )
        if mine:
            return mine
    if settings.RITS_HOME_REGION:
        return list(
            YouthCareRegion.objects.filter(code=settings.RITS_HOME_REGION).values_list(
                "pk", flat=True
            )
        )
    on_rits = list(
        Organisation.objects.order_by().values_list("region_id", flat=True).distinct()[:2]
    )
    return on_rits if len(on_rits) == 1 else []


def home_municipalities(user: object) -> list[Municipality]:
    """The municipalities of the home regions, by name."""
    regions = home_region_ids(user)
    if not regions:
        return []
    return list(Municipality.objects.filter(region_id__in=regions).order_by("name"))
