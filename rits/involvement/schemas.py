"""API shapes. Inputs carry BSNs only inbound; no output ever contains a BSN or pseudonym."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from rits.lib.ids import Id


class SignalIn(Schema):
    bsn: str = Field(description="The youth's BSN; checked with the elfproef, never stored.")
    birth_date: date
    municipality: str = Field(description="CBS code of the municipality where the youth lives.")
    parent_bsns: list[str] = Field(default_factory=list, max_length=2)
    ends_on: date | None = Field(default=None, description="At most 2 years from today.")
    youth_informed: bool = False
    parents_informed: bool = False
    informing_postponed: str = Field(default="", description="safety, investigation, not_reached")
    organisation_id: Id | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    own_reference: str = ""


class SignalOut(Schema):
    id: int
    reference: str
    status: str
    organisation: str
    municipality: str
    birth_date: date
    registered_at: datetime
    ends_on: date
    ended_at: datetime | None
    own_reference: str
    youth_informed: bool
    parents_informed: bool
    informing_postponed: str


class ContactOut(Schema):
    signal_id: int
    name: str
    organisation: str
    phone: str
    email: str
    is_me: bool
    is_coordinator: bool


class MatchOut(Schema):
    id: int
    reference: str
    kind: str
    status: str
    created_at: datetime
    awaiting_since: datetime
    in_touch_at: datetime | None
    escalated_at: datetime | None
    contacts: list[ContactOut]


class RegistrationOut(Schema):
    signal: SignalOut
    matches: list[MatchOut]


class CoordinatorIn(Schema):
    signal_id: Id = Field(description="The signal of the professional who coordinates.")


class ImportOut(Schema):
    signals: int
    matches: int


class RightsIn(Schema):
    bsn: str


class RightsEntryOut(Schema):
    signal_id: int
    registered_as: str
    organisation: str
    contact: str
    registered_at: datetime
    ends_on: date
    ended_at: datetime | None
    status: str


class CorrectionIn(Schema):
    birth_date: date | None = None
    municipality: str | None = None
    note: str = ""


class ObjectionIn(Schema):
    note: str = ""
