"""Reference data: jeugdregio's and municipalities (public, CBS 2023)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from rits.regions.models import Municipality, YouthCareRegion
from rits.regions.schemas import MunicipalityOut, RegionOut

router = Router(tags=["regions"])


def _municipality_out(m: Municipality) -> MunicipalityOut:
    return MunicipalityOut(
        code=m.code, name=m.name, province_name=m.province_name, region_code=m.region.code
    )


@router.get(
    "/youth-care-regions",
    response=list[RegionOut],
    auth=None,
    operation_id="list_youth_care_regions",
    summary="List the 42 youth-care regions",
)
def list_regions(request: HttpRequest) -> list[YouthCareRegion]:
    return list(YouthCareRegion.objects.all())


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    auth=None,
    operation_id="list_municipalities",
    summary="List municipalities, optionally of one youth-care region",
)
def list_municipalities(request: HttpRequest, region: str | None = None) -> list[MunicipalityOut]:
    qs = Municipality.objects.select_related("region")
    if region:
        qs = qs.filter(region__code=region.upper())
    return [_municipality_out(m) for m in qs]


@router.get(
    "/municipalities/{code}",
    response=MunicipalityOut,
    auth=None,
    operation_id="get_municipality",
    summary="One municipality by CBS code (e.g. GM0917)",
)
def get_municipality(request: HttpRequest, code: str) -> MunicipalityOut:
    m = get_object_or_404(Municipality.objects.select_related("region"), code=code.upper())
    return _municipality_out(m)
