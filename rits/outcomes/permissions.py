"""Who may read the monitor of which area. Anyone else gets 404, never 403.

- municipality staff (policy) and municipal coordinators: their own municipality, its
  region and the country;
- the region's functional admins: the region, each of its municipalities and the country;
- researchers: the figures of every area (figures only: a cell is an aggregate).

Nobody reaches a row about a person here: the monitor stores and shows cells only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from rits.accounts.models import Membership, User
from rits.outcomes.periods import COUNTRY_CODE, AreaKind
from rits.regions.models import Municipality, YouthCareRegion

Role = Membership.Role
MUNICIPAL_ROLES = (Role.MUNICIPALITY_STAFF, Role.MUNICIPAL_COORDINATOR)


@dataclass(frozen=True)
class Area:
    kind: str
    code: str
    name: str
    # The region of a municipality (for comparison); None for a region or the country.
    region: Area | None = None
    # A region's municipalities, by name.
    members: tuple[Area, ...] = field(default=())

    @property
    def is_country(self) -> bool:
        return self.kind == AreaKind.COUNTRY


COUNTRY = Area(AreaKind.COUNTRY, COUNTRY_CODE, "Nederland")


@dataclass(frozen=True)
class Reach:
    municipality_ids: frozenset[int]
    region_ids: frozenset[int]
    everything: bool = False

    @property
    def any(self) -> bool:
        return self.everything or bool(self.municipality_ids or self.region_ids)


def reach_of(user: User) -> Reach:
    if not getattr(user, "is_authenticated", False):
        return Reach(frozenset(), frozenset())
    memberships = Membership.objects.filter(user=user, active=True).values_list(
        "role", "organisation__municipality_id", "organisation__region_id"
    )
    municipalities: set[int] = set()
    regions: set[int] = set()
    everything = False
    for role, municipality, region in memberships:
        if role in MUNICIPAL_ROLES and municipality:
            municipalities.add(municipality)
            regions.add(region)
        elif role == Role.FUNCTIONAL_ADMIN:
            regions.add(region)
            municipalities.update(
                Municipality.objects.filter(region_id=region).values_list("pk", flat=True)
            )
        elif role == Role.RESEARCHER:
            everything = True
    return Reach(frozenset(municipalities), frozenset(regions), everything)


def may_use_monitor(user: User) -> bool:
    return reach_of(user).any


def _region_area(region: YouthCareRegion) -> Area:
    members = tuple(
        Area(AreaKind.MUNICIPALITY, m.code, m.name)
        for m in Municipality.objects.filter(region=region).order_by("name")
    )
    return Area(AreaKind.REGION, region.code, region.name, members=members)


def area_by_code(code: str) -> Area | None:
    """Any area by its code (public pages use this, for the areas they publish)."""
    if code == COUNTRY_CODE:
        return COUNTRY
    if code.startswith("GM"):
        municipality = Municipality.objects.select_related("region").filter(code=code).first()
        if municipality is None:
            return None
        region = Area(AreaKind.REGION, municipality.region.code, municipality.region.name)
        return Area(AreaKind.MUNICIPALITY, municipality.code, municipality.name, region=region)
    if code.startswith("JZ"):
        found = YouthCareRegion.objects.filter(code=code).first()
        return _region_area(found) if found else None
    return None


def get_area_for_user(user: User, code: str) -> Area:
    """The area if the user may read its monitor; 404 for an unknown and a foreign one alike."""
    reach = reach_of(user)
    if not reach.any:
        raise Http404
    area = area_by_code(code)
    if area is None:
        raise Http404
    if reach.everything or area.is_country:
        return area
    if area.kind == AreaKind.MUNICIPALITY:
        if Municipality.objects.filter(code=code, pk__in=reach.municipality_ids).exists():
            return area
    elif YouthCareRegion.objects.filter(code=code, pk__in=reach.region_ids).exists():
        return area
    raise Http404


def home_area(user: User) -> Area:
    """The area a user's monitor opens with: their municipality, else their region."""
    reach = reach_of(user)
    if not reach.any:
        raise Http404
    mine = Municipality.objects.filter(pk__in=reach.municipality_ids).order_by("name").first()
    if mine is not None and not user.has_role(Role.FUNCTIONAL_ADMIN):
        found = area_by_code(mine.code)
    else:
        region = YouthCareRegion.objects.filter(pk__in=reach.region_ids).order_by("name").first()
        found = area_by_code(region.code) if region else COUNTRY
    assert found is not None
    return found


def areas_for_user(user: User) -> list[Area]:
    """The areas a user may choose from (besides the country), for the area menu."""
    reach = reach_of(user)
    regions = YouthCareRegion.objects.order_by("name")
    municipalities = Municipality.objects.order_by("name")
    if not reach.everything:
        regions = regions.filter(pk__in=reach.region_ids)
        municipalities = municipalities.filter(pk__in=reach.municipality_ids)
    return [
        *(Area(AreaKind.REGION, r.code, r.name) for r in regions),
        *(Area(AreaKind.MUNICIPALITY, m.code, m.name) for m in municipalities),
    ]
