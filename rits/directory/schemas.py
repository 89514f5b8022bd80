"""Input and output shapes of the social-map API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Schema

from rits.directory.search import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH
from rits.lib.ids import Id
from rits.lib.moments import LocalTime, Moment, OptionalWallClock
from rits.lib.text import Line


class Page(Schema):
    """The HSDS 3.0 page envelope; ``contents`` holds HSDS objects."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class ServicePage(Page):
    corrected_search: str | None = None
    understood: dict[str, Any] = {}


class ListParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class ServiceFilters(ListParams):
    search: Line | None = Field(None, max_length=MAX_QUERY_LENGTH, description="Full-text search")
    modified_after: Moment | None = None
    taxonomy_term_id: UUID | None = None
    organization_id: UUID | None = None
    municipality: str | None = Field(
        None, max_length=100, description="CBS code (GM0917) or name (Heerlen)"
    )
    area_id: Id | None = Field(None, description="A wijk (regions Area id)")
    age: int | None = Field(None, ge=0, le=120)
    language: str | None = Field(None, max_length=3, description="ISO 639 code, e.g. en")
    open_now: bool = False
    at: OptionalWallClock = Field(None, description="The moment for open_now (default: now)")
    max_wait_weeks: int | None = Field(None, ge=0, le=104)


class OrganizationFilters(ListParams):
    search: Line | None = Field(None, max_length=MAX_QUERY_LENGTH)
    modified_after: Moment | None = None


class CrisisLineOut(Schema):
    name: str
    phone: str
    kind: str


class CrisisRouteOut(Schema):
    municipality_code: str
    municipality_name: str
    at: datetime
    call: CrisisLineOut
    until: datetime | None
    then: CrisisLineOut | None
    reason: str
    public_holiday: str | None
    at_kind: Literal["exact", "nonexistent", "ambiguous"] = Field(
        "exact",
        description=(
            "How a local time without offset was taken (Europe/Amsterdam): as given, "
            "or a time skipped or repeated when the clocks change (see at_note)"
        ),
    )
    at_note: str | None = None
    emergency: str = "112"


class OpeningOut(Schema):
    service_id: UUID
    at: datetime
    has_schedule: bool
    is_open: bool
    until: datetime | None
    next_opening: datetime | None


class WaitTimeIn(Schema):
    wait_weeks: int = Field(..., ge=0, le=104)


class SlotIn(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday")
    opens_at: LocalTime
    closes_at: LocalTime
    valid_from: date | None = None
    valid_to: date | None = None


class ClosureIn(Schema):
    starts_on: date
    ends_on: date
    reason: Line = Field("", max_length=200)
    alternative: Line = Field("", max_length=200, description="Where to go instead")


class ScheduleIn(Schema):
    slots: list[SlotIn] = Field(..., max_length=100)
    closures: list[ClosureIn] = Field([], max_length=100)


class ReviewOut(Schema):
    """An entry's state on the social map."""

    state: Literal["confirmed", "imported", "entered"]
    checked_at: datetime
    confirmed_at: datetime | None
    source: str


class ReportIn(Schema):
    suggested: Line = Field("", max_length=30, description="The right number, if known")
    note: Line = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    kind: str
    number: str
    suggested: str
    created_at: datetime
    resolved_at: datetime | None


class ResolveIn(Schema):
    resolution: Line = Field("", max_length=300)
    use_suggested: bool = False


class ContactIn(Schema):
    name: Line = Field(..., min_length=1, max_length=150)
    title: Line = Field("", max_length=150)
    email: Line = Field("", max_length=254)
    phone: Line = Field("", max_length=30)


class ContactsIn(Schema):
    contacts: list[ContactIn] = Field(..., max_length=50)


class LocationIn(Schema):
    name: Line = Field(..., min_length=1, max_length=200)
    address_1: Line = Field(..., min_length=1, max_length=200)
    postal_code: Line = Field(..., max_length=7, description="Dutch postcode, e.g. 6411 AB")
    city: Line = Field(..., min_length=1, max_length=100)
    municipality: Line = Field(..., max_length=100, description="CBS code or name")
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    area_id: Id | None = Field(None, description="A wijk of the municipality")


class CrisisLineIn(Schema):
    name: Line = Field(..., min_length=1, max_length=150)
    phone: Line = Field(..., min_length=1, max_length=30)
    slots: list[SlotIn] = Field(..., max_length=100)
    closures: list[ClosureIn] = Field([], max_length=100)
    closed_on_holidays: list[Annotated[Line, Field(max_length=60)]] = Field(
        [], max_length=30, description="Keys of the holidays package (English names)"
    )
    accept_gaps: bool = Field(
        False, description="Save even when a municipality is left without a number at times"
    )


class CrisisLineDetail(Schema):
    id: int
    uuid: UUID
    kind: str
    name: str
    phone: str
    municipality_code: str | None
    review: ReviewOut
    warnings: list[str] = []


class ReasonOut(Schema):
    code: Literal["stale", "wait_stale", "reported", "conflict", "closure"]
    since: datetime
    text: str
    report_id: int | None


class ReviewItemOut(Schema):
    kind: Literal["service", "crisis_line"]
    id: UUID
    name: str
    review: ReviewOut
    reasons: list[ReasonOut]
