"""The social map as an HSDS 3.0 API, plus "who do I call now" and opening times.

Reading is public (the social map is public information); changing needs a token
or a verified session of an organisation editor or the functional admin.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from rits.accounts.auth import api_user
from rits.directory import reachability, review, search, services
from rits.directory.hsds import documents
from rits.directory.models import (
    LANGUAGE_CODES,
    CrisisLine,
    Provider,
    Report,
    Service,
    ServiceAtLocation,
    Theme,
)
from rits.directory.permissions import (
    get_crisis_line_for_user,
    get_report_for_keeper,
    get_service_for_user,
)
from rits.directory.schemas import (
    ContactsIn,
    CrisisLineDetail,
    CrisisLineIn,
    CrisisLineOut,
    CrisisRouteOut,
    ListParams,
    LocationIn,
    OpeningOut,
    OrganizationFilters,
    Page,
    ReasonOut,
    ReportIn,
    ReportOut,
    ResolveIn,
    ReviewItemOut,
    ReviewOut,
    ScheduleIn,
    ServiceFilters,
    ServicePage,
    WaitTimeIn,
)
from rits.lib.ids import PathId
from rits.lib.moments import OptionalWallClock
from rits.regions.lookup import MunicipalityNotFound, find_municipality
from rits.regions.models import Area, Municipality

router = Router(tags=["social map"])


def _moment(value: datetime | None) -> reachability.Moment:
    """Now, a moment with an offset, or a local time in Europe/Amsterdam."""
    if value is None:
        return reachability.Moment(timezone.now())
    if timezone.is_naive(value):
        return reachability.moment_from_wall_clock(value)
    return reachability.Moment(value)


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else _moment(value).at


def _page(contents: list[dict[str, Any]], total: int, page: int, per_page: int) -> dict[str, Any]:
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def municipality_or_422(text: str) -> Municipality:
    """A municipality by CBS code or name; the 422 names suggestions."""
    try:
        return find_municipality(text)
    except MunicipalityNotFound as exc:
        raise HttpError(422, str(exc)) from None


def search_params(filters: ServiceFilters) -> search.SearchParams:
    """Turn API filters into search parameters; unknown references are a 422."""
    params = search.SearchParams(
        q=filters.search or "",
        page=filters.page,
        per_page=filters.per_page,
        age=filters.age,
        max_wait_weeks=filters.max_wait_weeks,
        modified_after=filters.modified_after,
    )
    if filters.municipality:
        params.municipality = municipality_or_422(filters.municipality)
    if filters.area_id is not None:
        params.area = Area.objects.filter(pk=filters.area_id).first()
        if params.area is None:
            raise HttpError(422, _("Unknown area_id %(id)s.") % {"id": filters.area_id})
    if filters.taxonomy_term_id:
        params.theme = Theme.objects.filter(uuid=filters.taxonomy_term_id).first()
        if params.theme is None:
            raise HttpError(422, _("Unknown taxonomy_term_id."))
    if filters.organization_id:
        params.provider = Provider.objects.filter(uuid=filters.organization_id).first()
        if params.provider is None:
            raise HttpError(422, _("Unknown organization_id."))
    if filters.language:
        if filters.language not in LANGUAGE_CODES:
            raise HttpError(
                422, _("Unknown language code “%(code)s”.") % {"code": filters.language}
            )
        params.language = filters.language
    if filters.open_now:
        params.open_at = _aware(filters.at) or timezone.localtime()
    return params


@router.get(
    "/services",
    response=ServicePage,
    auth=None,
    operation_id="hsds_list_services",
    summary="Search services (HSDS 3.0 list, with Rits filters)",
)
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> HttpResponse:
    """Search services. The body is built here and sent as it is: the HSDS documents are
    already plain JSON, and re-validating them through the response schema costs more
    than the search itself (the schema stays for the OpenAPI description)."""
    try:
        result = search.search(search_params(filters))
    except search.QueryTooLong:
        raise HttpError(422, _("The search text is too long.")) from None
    body = _page(
        [documents.service_doc(s, full=False) for s in result.services],
        result.total,
        result.page,
        result.per_page,
    )
    body["corrected_search"] = result.corrected
    body["understood"] = result.understood
    return JsonResponse(body)


def _service_by_uuid(request: HttpRequest, id: UUID) -> Service:
    service = get_service_for_user(request.user, id)
    return (
        Service.objects.select_related("provider", "provider__municipality")
        .prefetch_related(*documents.SERVICE_PREFETCH)
        .get(pk=service.pk)
    )


@router.get(
    "/services/{id}",
    response=dict[str, Any],
    auth=None,
    operation_id="hsds_get_service",
    summary="One service, fully nested (HSDS 3.0)",
)
def get_service(request: HttpRequest, id: UUID) -> HttpResponse:
    return JsonResponse(documents.service_doc(_service_by_uuid(request, id)))


@router.get(
    "/services/{id}/opening",
    response=OpeningOut,
    auth=None,
    operation_id="get_service_opening",
    summary="Is this service open at a moment (default now), until when, and when next",
)
def service_opening(request: HttpRequest, id: UUID, at: OptionalWallClock = None) -> OpeningOut:
    service = _service_by_uuid(request, id)
    moment = _aware(at) or timezone.localtime()
    state = reachability.opening(service, moment)
    return OpeningOut(
        service_id=service.uuid,
        at=moment,
        has_schedule=state.has_schedule,
        is_open=state.is_open,
        until=state.until,
        next_opening=state.next_opening,
    )


def _editable(request: HttpRequest, id: UUID) -> Service:
    """A service the API user keeps; 404 for anyone else (an editor of another
    organisation included), as on the pages."""
    user = api_user(request)
    editable = Provider.objects.editable_by(user).values("pk")
    return get_object_or_404(Service.objects.filter(provider__in=editable), uuid=id)


def _raise_validation(exc: ValidationError) -> None:
    messages = (
        [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
        if hasattr(exc, "error_dict")
        else exc.messages
    )
    raise HttpError(422, " ".join(messages))


@router.put(
    "/services/{id}/wait-time",
    response=dict[str, Any],
    operation_id="confirm_service_wait_time",
    summary="Confirm the current waiting time of a service (organisation editor)",
)
def put_wait_time(request: HttpRequest, id: UUID, payload: WaitTimeIn) -> dict[str, Any]:
    service = _editable(request, id)
    services.confirm_wait_time(service, actor=api_user(request), weeks=payload.wait_weeks)
    return documents.service_doc(_service_by_uuid(request, id))


@router.put(
    "/services/{id}/schedules",
    response=dict[str, Any],
    operation_id="replace_service_schedules",
    summary="Replace the weekly opening hours and closures of a service",
)
def put_schedules(request: HttpRequest, id: UUID, payload: ScheduleIn) -> dict[str, Any]:
    service = _editable(request, id)
    slots = [services.Slot(**s.dict()) for s in payload.slots]
    closures = [services.ClosureData(**c.dict()) for c in payload.closures]
    try:
        services.replace_schedule(service, slots, closures, actor=api_user(request))
    except ValidationError as exc:
        _raise_validation(exc)
    return documents.service_doc(_service_by_uuid(request, id))


@router.get(
    "/organizations",
    response=Page,
    auth=None,
    operation_id="hsds_list_organizations",
    summary="List organizations (HSDS 3.0)",
)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    qs = Provider.objects.select_related("municipality").order_by("name", "pk")
    if filters.search:
        qs = qs.filter(name__icontains=filters.search)
    if filters.modified_after:
        qs = qs.filter(updated_at__gte=filters.modified_after)
    total = qs.count()
    start = (filters.page - 1) * filters.per_page
    items = qs[start : start + filters.per_page]
    contents = [documents.organization_doc(p, full=False) for p in items]
    return _page(contents, total, filters.page, filters.per_page)


@router.get(
    "/organizations/{id}",
    response=dict[str, Any],
    auth=None,
    operation_id="hsds_get_organization",
    summary="One organization with its locations (HSDS 3.0)",
)
def get_organization(request: HttpRequest, id: UUID) -> dict[str, Any]:
    provider = get_object_or_404(
        Provider.objects.select_related("municipality").prefetch_related(
            "locations__municipality", "locations__area", "locations__provider"
        ),
        uuid=id,
    )
    return documents.organization_doc(provider)


def _sal_queryset() -> Any:
    return ServiceAtLocation.objects.filter(service__status=Service.Status.ACTIVE).select_related(
        "service",
        "location__municipality",
        "location__area",
        "location__provider",
    )


@router.get(
    "/service_at_locations",
    response=Page,
    auth=None,
    operation_id="hsds_list_service_at_locations",
    summary="List services at locations (HSDS 3.0)",
)
def list_service_at_locations(
    request: HttpRequest,
    params: Query[ListParams],
    organization_id: UUID | None = None,
    taxonomy_term_id: UUID | None = None,
) -> dict[str, Any]:
    qs = _sal_queryset().order_by("pk")
    if organization_id:
        qs = qs.filter(service__provider__uuid=organization_id)
    if taxonomy_term_id:
        qs = qs.filter(service__themes__uuid=taxonomy_term_id)
    total = qs.count()
    start = (params.page - 1) * params.per_page
    contents = [documents.service_at_location_doc(s) for s in qs[start : start + params.per_page]]
    return _page(contents, total, params.page, params.per_page)


@router.get(
    "/service_at_locations/{id}",
    response=dict[str, Any],
    auth=None,
    operation_id="hsds_get_service_at_location",
    summary="One service at a location (HSDS 3.0)",
)
def get_service_at_location(request: HttpRequest, id: UUID) -> dict[str, Any]:
    return documents.service_at_location_doc(get_object_or_404(_sal_queryset(), uuid=id))


@router.get(
    "/taxonomies",
    response=Page,
    auth=None,
    operation_id="hsds_list_taxonomies",
    summary="List taxonomies (HSDS 3.0): the Rits youth-care themes",
)
def list_taxonomies(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    contents = [documents.taxonomy_doc()] if params.page == 1 else []
    return _page(contents, 1, params.page, params.per_page)


@router.get(
    "/taxonomies/{id}",
    response=dict[str, Any],
    auth=None,
    operation_id="hsds_get_taxonomy",
    summary="One taxonomy (HSDS 3.0)",
)
def get_taxonomy(request: HttpRequest, id: UUID) -> dict[str, Any]:
    if id != documents.TAXONOMY_ID:
        raise Http404
    return documents.taxonomy_doc()


@router.get(
    "/taxonomy_terms",
    response=Page,
    auth=None,
    operation_id="hsds_list_taxonomy_terms",
    summary="List taxonomy terms (HSDS 3.0): the themes",
)
def list_taxonomy_terms(
    request: HttpRequest, params: Query[ListParams], taxonomy_id: UUID | None = None
) -> dict[str, Any]:
    qs = Theme.objects.select_related("parent").order_by("position", "pk")
    if taxonomy_id is not None and taxonomy_id != documents.TAXONOMY_ID:
        qs = qs.none()
    total = qs.count()
    start = (params.page - 1) * params.per_page
    contents = [documents.term_doc(t) for t in qs[start : start + params.per_page]]
    return _page(contents, total, params.page, params.per_page)


@router.get(
    "/taxonomy_terms/{id}",
    response=dict[str, Any],
    auth=None,
    operation_id="hsds_get_taxonomy_term",
    summary="One taxonomy term (HSDS 3.0)",
)
def get_taxonomy_term(request: HttpRequest, id: UUID) -> dict[str, Any]:
    return documents.term_doc(get_object_or_404(Theme.objects.select_related("parent"), uuid=id))


def _line(line: Any) -> CrisisLineOut | None:
    if line is None:
        return None
    return CrisisLineOut(name=line.name, phone=line.phone, kind=line.kind)


@router.get(
    "/crisis/now",
    response=CrisisRouteOut,
    auth=None,
    operation_id="get_crisis_route",
    summary="Who do I call now? The crisis number for a municipality at a moment",
)
def crisis_now(
    request: HttpRequest,
    municipality: Annotated[str, Field(max_length=100, description="CBS code or name")],
    at: OptionalWallClock = None,
) -> CrisisRouteOut:
    """A local time without offset is Europe/Amsterdam; one the clocks skip or repeat
    is taken by zoneinfo's rules and explained in `at_note`."""
    place = municipality_or_422(municipality)
    moment = _moment(at)
    try:
        route = reachability.route_crisis(place, moment.at)
    except reachability.NoCrisisLine:
        raise HttpError(
            404,
            _("No crisis line is known for %(place)s; call 112 in an emergency.")
            % {"place": place.name},
        ) from None
    call = _line(route.line)
    assert call is not None
    return CrisisRouteOut(
        municipality_code=place.code,
        municipality_name=place.name,
        at=route.at,
        call=call,
        until=route.until,
        then=_line(route.next_line),
        reason=route.reason,
        public_holiday=route.holiday,
        at_kind=moment.kind,
        at_note=reachability.moment_note(moment) or None,
    )


# Keeping entries up: the same services as the editors' pages.


def _review(entry: Service | CrisisLine) -> ReviewOut:
    return ReviewOut(
        state=entry.state,  # type: ignore[arg-type]
        checked_at=entry.checked_at,
        confirmed_at=entry.confirmed_at,
        source=entry.source,
    )


def _report_out(report: Report) -> ReportOut:
    return ReportOut(
        id=report.pk,
        kind=report.kind,
        number=report.number,
        suggested=report.suggested,
        created_at=report.created_at,
        resolved_at=report.resolved_at,
    )


def _line_out(line: CrisisLine, warnings: list[str] | None = None) -> CrisisLineDetail:
    return CrisisLineDetail(
        id=line.pk,
        uuid=line.uuid,
        kind=line.kind,
        name=line.name,
        phone=line.phone,
        municipality_code=line.municipality.code if line.municipality else None,
        review=_review(line),
        warnings=warnings or [],
    )


def _signed_in(request: HttpRequest) -> Any:
    user = api_user(request)
    if not user.is_authenticated:
        raise HttpError(401, _("Sign in first."))
    return user


@router.post(
    "/services/{id}/confirm",
    response=ReviewOut,
    operation_id="confirm_service",
    summary="Confirm that a service is still right (organisation editor)",
)
def confirm_service(request: HttpRequest, id: UUID) -> ReviewOut:
    service = _editable(request, id)
    services.confirm_entry(service, actor=api_user(request))
    return _review(service)


@router.post(
    "/services/{id}/reports",
    response={201: ReportOut},
    operation_id="report_service_number",
    summary="Report that a service's number is wrong (any signed-in user)",
)
def report_service(request: HttpRequest, id: UUID, payload: ReportIn) -> Status:
    user = _signed_in(request)
    service = get_service_for_user(user, id)
    try:
        report = services.report_wrong_number(
            service, actor=user, suggested=payload.suggested, note=payload.note
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return Status(201, _report_out(report))


@router.put(
    "/services/{id}/contacts",
    response=dict[str, Any],
    operation_id="replace_service_contacts",
    summary="Replace the named contacts of a service",
)
def put_contacts(request: HttpRequest, id: UUID, payload: ContactsIn) -> dict[str, Any]:
    service = _editable(request, id)
    try:
        services.replace_contacts(
            service,
            [services.ContactData(**c.dict()) for c in payload.contacts],
            actor=api_user(request),
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return documents.service_doc(_service_by_uuid(request, id))


def _location_data(payload: LocationIn) -> services.LocationData:
    area = None
    if payload.area_id is not None:
        area = Area.objects.filter(pk=payload.area_id).first()
        if area is None:
            raise HttpError(422, _("Unknown area_id %(id)s.") % {"id": payload.area_id})
    return services.LocationData(
        name=payload.name,
        address_1=payload.address_1,
        postal_code=payload.postal_code,
        city=payload.city,
        municipality=municipality_or_422(payload.municipality),
        latitude=payload.latitude,
        longitude=payload.longitude,
        area=area,
    )


def _editable_provider(request: HttpRequest, id: UUID) -> Provider:
    return get_object_or_404(Provider.objects.editable_by(api_user(request)), uuid=id)


@router.post(
    "/organizations/{id}/locations",
    response={201: dict[str, Any]},
    operation_id="create_location",
    summary="Add a location (address with coordinates) to an organization",
)
def create_location(request: HttpRequest, id: UUID, payload: LocationIn) -> Status:
    provider = _editable_provider(request, id)
    try:
        location, _changed = services.save_location(
            provider, _location_data(payload), actor=api_user(request)
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return Status(201, documents.location_doc(location))


@router.put(
    "/organizations/{id}/locations/{location_id}",
    response=dict[str, Any],
    operation_id="update_location",
    summary="Change a location of an organization",
)
def update_location(
    request: HttpRequest, id: UUID, location_id: UUID, payload: LocationIn
) -> dict[str, Any]:
    provider = _editable_provider(request, id)
    location = get_object_or_404(provider.locations.all(), uuid=location_id)
    try:
        location, _changed = services.save_location(
            provider, _location_data(payload), actor=api_user(request), location=location
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return documents.location_doc(location)


@router.get(
    "/crisis/lines/{crisis_line_id}",
    response=CrisisLineDetail,
    auth=None,
    operation_id="get_crisis_line",
    summary="One crisis line with its state on the social map",
)
def get_crisis_line(request: HttpRequest, crisis_line_id: PathId) -> CrisisLineDetail:
    return _line_out(get_crisis_line_for_user(request.user, crisis_line_id))


@router.put(
    "/crisis/lines/{crisis_line_id}",
    response=CrisisLineDetail,
    operation_id="update_crisis_line",
    summary="Change a crisis line: number, hours, closures, holidays (its keeper)",
)
def put_crisis_line(
    request: HttpRequest, crisis_line_id: PathId, payload: CrisisLineIn
) -> CrisisLineDetail:
    line = get_crisis_line_for_user(api_user(request), crisis_line_id, write=True)
    data = services.CrisisLineData(
        name=payload.name,
        phone=payload.phone,
        slots=[services.Slot(**s.dict()) for s in payload.slots],
        closures=[services.ClosureData(**c.dict()) for c in payload.closures],
        closed_on_holidays=payload.closed_on_holidays,
    )
    try:
        _changed, warnings = services.save_crisis_line(
            line, data, actor=api_user(request), accept_gaps=payload.accept_gaps
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return _line_out(line, warnings)


@router.post(
    "/crisis/lines/{crisis_line_id}/confirm",
    response=ReviewOut,
    operation_id="confirm_crisis_line",
    summary="Confirm that a crisis line is still right (its keeper)",
)
def confirm_crisis_line(request: HttpRequest, crisis_line_id: PathId) -> ReviewOut:
    line = get_crisis_line_for_user(api_user(request), crisis_line_id, write=True)
    services.confirm_entry(line, actor=api_user(request))
    return _review(line)


@router.post(
    "/crisis/lines/{crisis_line_id}/reports",
    response={201: ReportOut},
    operation_id="report_crisis_line_number",
    summary="Report that a crisis number is wrong (any signed-in user)",
)
def report_crisis_line(request: HttpRequest, crisis_line_id: PathId, payload: ReportIn) -> Status:
    user = _signed_in(request)
    line = get_crisis_line_for_user(user, crisis_line_id)
    try:
        report = services.report_wrong_number(
            line, actor=user, suggested=payload.suggested, note=payload.note
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return Status(201, _report_out(report))


def _items_out(items: list[review.Item]) -> list[ReviewItemOut]:
    return [
        ReviewItemOut(
            kind=item.kind,  # type: ignore[arg-type]
            id=item.entry.uuid,
            name=item.entry.name,
            review=_review(item.entry),
            reasons=[
                ReasonOut(
                    code=r.code,  # type: ignore[arg-type]
                    since=r.since,
                    text=r.text,
                    report_id=r.report.pk if r.report else None,
                )
                for r in item.reasons
            ],
        )
        for item in items
    ]


@router.get(
    "/review/mine",
    response=list[ReviewItemOut],
    operation_id="list_my_entries",
    summary="Every entry the user keeps, with what needs attention (the review page)",
)
def my_entries(request: HttpRequest) -> list[ReviewItemOut]:
    return _items_out(review.editor_entries(_signed_in(request)))


@router.get(
    "/review/queue",
    response=list[ReviewItemOut],
    operation_id="list_review_queue",
    summary="What needs attention in the region, oldest first (functional admin)",
)
def review_queue(request: HttpRequest) -> list[ReviewItemOut]:
    regions = review.queue_regions(_signed_in(request))
    if not regions:
        raise Http404
    return _items_out(review.queue(regions))


@router.post(
    "/review/reports/{report_id}/resolve",
    response=ReportOut,
    operation_id="resolve_report",
    summary="Resolve a report, optionally taking over a crisis line's suggested number",
)
def resolve_report(request: HttpRequest, report_id: PathId, payload: ResolveIn) -> ReportOut:
    user = _signed_in(request)
    report = get_report_for_keeper(user, report_id)
    try:
        services.resolve_report(
            report,
            actor=user,
            resolution=payload.resolution,
            use_suggested=payload.use_suggested,
        )
    except ValidationError as exc:
        _raise_validation(exc)
    return _report_out(report)
