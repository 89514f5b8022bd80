"""API shapes of the dialogue tables. No output carries a name of the family."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from rits.dialogues.models import Account, Finding, ImprovementAction, Participant
from rits.lib.ids import Id
from rits.lib.text import Line, Text, model_field, omittable


class TableIn(Schema):
    kind: Line = Field(max_length=12, description="case or cross_case")
    title: Line = Field(max_length=200, min_length=1)
    theme: Line = Field(default="", max_length=200)
    trajectory_ids: list[Id] = Field(min_length=1, max_length=50)
    starts_at: datetime | None = None
    location: Line = Field(default="", max_length=200)


class TableOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    theme: str
    status: str
    municipality: str | None
    starts_at: datetime | None
    location: str
    held_on: date | None
    account: str | None = Field(description="The account, once released (or for the facilitator).")
    account_status: str | None


class ConsentIn(Schema):
    giver: Line = Field(
        default="", max_length=10, description="youth or parent: only for consent on paper"
    )


class ConsentOut(Schema):
    trajectory_id: int
    missing: list[str]
    complete: bool
    withdrawn: bool


class ParticipantIn(Schema):
    email: Line = Field(max_length=254, min_length=3)
    role: Line = Field(max_length=15, description="youth, parent, professional, chair, second_coder")
    label: Line = model_field(Participant, "label", default="")


class ParticipantOut(Schema):
    id: int
    role: str
    label: str
    answer: str


class AccountPatch(Schema):
    text: Text = model_field(Account, "text", min_length=1)
    version: int = Field(ge=1, le=2**31)


class AccountOut(Schema):
    text: str
    status: str
    version: int


class FindingIn(Schema):
    text: Text = model_field(Finding, "text", min_length=1)
    phase: Line = Field(max_length=10)
    view: Line = Field(max_length=15)
    code_ids: list[Id] = Field(min_length=1, max_length=20)


class CodeRefOut(Schema):
    id: int
    guid: str
    name: str
    kind: str


class FindingOut(Schema):
    id: int
    text: str
    phase: str
    view: str
    codes: list[CodeRefOut]


class ActionIn(Schema):
    what: Line = model_field(ImprovementAction, "what", min_length=1)
    owner_organisation_id: Id
    owner_email: Line = Field(max_length=254, min_length=3)
    due_date: date


class ActionPatch(Schema):
    status: Line = Field(max_length=10)
    note: Text = omittable(max_length=5000)
    result: Text = omittable(max_length=5000)


class ActionOut(Schema):
    id: int
    what: str
    owner_organisation: str
    owner: str
    due_date: date
    status: str
    result: str
    overdue: bool


class CodeOut(Schema):
    id: int
    guid: str
    theme: str
    name: str
    definition: str
    example: str
    kind: str
    status: str


class CodeCountOut(Schema):
    code: CodeRefOut
    tables: int
    segments: int


class PairOut(Schema):
    code: CodeRefOut
    other: CodeRefOut
    tables: int
    segments: int


class SynthesisOut(Schema):
    start: date
    end: date
    min_tables: int
    counts: list[CodeCountOut]
    pairs: list[PairOut]
    trend: dict[str, dict[str, int | None]]
    hidden_codes: int


class AgreementOut(Schema):
    code: CodeRefOut
    findings: int
    kappa: float | None
