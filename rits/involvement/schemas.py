"""API shapes. Inputs carry BSNs only inbound; no output ever contains a BSN or pseudonym."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from rits.involvement.models import Signal
from rits.lib.ids import Id
from rits.lib.text import Line, Text, model_field


class SignalIn(Schema):
    bsn: Line = Field(
        max_length=20, description="The youth's BSN; checked with the elfproef, never stored."
    )
    birth_date: date
    municipality: Line = Field(
        max_length=6, description="CBS code of the municipality where the youth lives."
    )
    parent_bsns: list[Annotated[Line, Field(max_length=20)]] = Field(
        default_factory=list, max_length=2
    )
    ends_on: date | None = Field(default=None, description="At most 2 years from today.")
    youth_informed: bool = False
    parents_informed: bool = False
    informing_postponed: Line = model_field(
        Signal, "informing_postponed", default="", description="safety, investigation, not_reached"
    )
    organisation_id: Id | None = None
    contact_name: Line = model_field(Signal, "contact_name", default="")
    contact_phone: Line = model_field(Signal, "contact_phone", default="")
    contact_email: Line = model_field(Signal, "contact_email", default="")
    own_reference: Line = model_field(Signal, "own_reference", default="")


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


class MatchCoordinatorIn(Schema):
    signal_id: Id = Field(description="The signal of the professional who coordinates.")


class ImportOut(Schema):
    signals: int
    matches: int


class RightsIn(Schema):
    bsn: Line = Field(max_length=20)


class RightsEntryOut(Schema):
    signal_id: int
    registered_as: str
    organisation: str
    contact: str
    registered_at: datetime
    ends_on: date
    ended_at: datetime | None
    status: str


# The same limit as the rights pages' note fields (the note goes into the audit trail).
RIGHTS_NOTE_LENGTH = 500


class CorrectionIn(Schema):
    birth_date: date | None = None  # null or left out: no correction
    municipality: Line | None = Field(None, max_length=6)
    note: Text = Field("", max_length=RIGHTS_NOTE_LENGTH)


class ObjectionIn(Schema):
    note: Text = Field("", max_length=RIGHTS_NOTE_LENGTH)
