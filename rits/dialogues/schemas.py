"""API shapes of the dialogue tables. No output carries a name of the family."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from rits.dialogues.models import Account, Finding, ImprovementAction, Participant
from rits.lib.ids import Id
from rits.lib.text import Line, Text, model_field, omittable


class DialogueTableIn(Schema):
    kind: Line = Field(max_length=12, description="case or cross_case")
    title: Line = Field(max_length=200, min_length=1)
    theme: Line = Field(default="", max_length=200)
    trajectory_ids: list[Id] = Field(min_length=1, max_length=50)
    starts_at: datetime | None = None
    location: Line = Field(default="", max_length=200)


class DialogueTableOut(Schema):
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


class DialogueConsentIn(Schema):
    giver: Line = Field(
        default="", max_length=10, description="youth or parent: only for consent on paper"
    )


class DialogueConsentOut(Schema):
    trajectory_id: int
    missing: list[str]
    complete: bool
    withdrawn: bool


class DialogueParticipantIn(Schema):
    email: Line = Field(max_length=254, min_length=3)
    role: Line = Field(
        max_length=15, description="youth, parent, professional, chair, second_coder"
    )
    label: Line = model_field(Participant, "label", default="")


class DialogueParticipantOut(Schema):
    id: int
    role: str
    label: str
    answer: str


class DialogueAccountPatch(Schema):
    text: Text = model_field(Account, "text", min_length=1)
    version: int = Field(ge=1, le=2**31)


class DialogueAccountOut(Schema):
    text: str
    status: str
    version: int


class DialogueFindingIn(Schema):
    text: Text = model_field(Finding, "text", min_length=1)
    phase: Line = Field(max_length=10)
    view: Line = Field(max_length=15)
    code_ids: list[Id] = Field(min_length=1, max_length=20)


class DialogueCodeRef(Schema):
    id: int
    guid: str
    name: str
    kind: str


class DialogueFindingOut(Schema):
    id: int
    text: str
    phase: str
    view: str
    codes: list[DialogueCodeRef]


class ImprovementActionIn(Schema):
    what: Line = model_field(ImprovementAction, "what", min_length=1)
    owner_organisation_id: Id
    owner_email: Line = Field(max_length=254, min_length=3)
    due_date: date


class ImprovementActionPatch(Schema):
    status: Line = Field(max_length=10)
    note: Text = omittable(max_length=5000)
    result: Text = omittable(max_length=5000)


class ImprovementActionOut(Schema):
    id: int
    what: str
    owner_organisation: str
    owner: str
    due_date: date
    status: str
    result: str
    overdue: bool


class DialogueCodeOut(Schema):
    id: int
    guid: str
    theme: str
    name: str
    definition: str
    example: str
    kind: str
    status: str


class DialogueCodeCount(Schema):
    code: DialogueCodeRef
    tables: int
    segments: int


class DialogueCodePair(Schema):
    code: DialogueCodeRef
    other: DialogueCodeRef
    tables: int
    segments: int


class DialogueSynthesisOut(Schema):
    start: date
    end: date
    min_tables: int
    counts: list[DialogueCodeCount]
    pairs: list[DialogueCodePair]
    trend: dict[str, dict[str, int | None]]
    hidden_codes: int


class DialogueAgreementOut(Schema):
    code: DialogueCodeRef
    findings: int
    kappa: float | None
