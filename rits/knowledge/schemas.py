"""API shapes of the knowledge hub and learning networks. No person in care appears
in any of them; members are named as the platform's users."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from rits.knowledge.models import (
    Evidence,
    ExperienceReport,
    Meeting,
    NetworkTheme,
    Practice,
    ProgressUpdate,
)
from rits.lib.ids import Id
from rits.lib.text import Line, Text, model_field

ShortLine = Annotated[Line, Field(max_length=500)]


class PracticeIn(Schema):
    name: Line = model_field(Practice, "name", min_length=1)
    summary: Text = model_field(Practice, "summary", min_length=1)
    problem: Text = model_field(Practice, "problem", min_length=1)
    why_it_works: Text = model_field(Practice, "why_it_works", default="")
    target_group: Line = model_field(Practice, "target_group", default="")
    goals: Text = model_field(Practice, "goals", default="")
    approach: Text = model_field(Practice, "approach", default="")
    needs_people: Text = model_field(Practice, "needs_people", default="")
    needs_training: Text = model_field(Practice, "needs_training", default="")
    needs_time: Text = model_field(Practice, "needs_time", default="")
    needs_money: Text = model_field(Practice, "needs_money", default="")
    needs_materials: Text = model_field(Practice, "needs_materials", default="")
    evidence: Evidence = Evidence.LOCAL
    evidence_source: Line = model_field(Practice, "evidence_source", default="")
    evidence_valid_until: date | None = None
    owner_id: Id | None = None
    owner_name: Line = model_field(Practice, "owner_name", default="")
    contact_email: Line = model_field(Practice, "contact_email", default="")
    contact_phone: Line = model_field(Practice, "contact_phone", default="")
    website: Line = model_field(Practice, "website", default="")
    minimum_age: int | None = Field(default=None, ge=0, le=120)
    maximum_age: int | None = Field(default=None, ge=0, le=120)
    is_public: bool = False
    themes: list[Annotated[Line, Field(max_length=40)]] = Field(
        default_factory=list, max_length=30, description="Theme codes of the social map."
    )
    core_elements: list[ShortLine] = Field(default_factory=list, max_length=50)
    adaptable: list[ShortLine] = Field(default_factory=list, max_length=50)
    conditions: list[Annotated[Line, Field(max_length=300)]] = Field(
        default_factory=list, max_length=50
    )
    services: list[uuid.UUID] = Field(default_factory=list, max_length=100)
    codes: list[uuid.UUID] = Field(
        default_factory=list, max_length=100, description="Dialogue-table code guids."
    )


class ConditionOut(Schema):
    id: int
    text: str


class UseOut(Schema):
    id: int
    region: str
    municipality: str | None
    organisation: str | None
    reports: int


class PracticeSummaryOut(Schema):
    id: int
    uuid: uuid.UUID
    name: str
    summary: str
    evidence: str
    evidence_expired: bool
    is_public: bool


class PracticeOut(PracticeSummaryOut):
    problem: str
    why_it_works: str
    target_group: str
    goals: str
    approach: str
    needs_people: str
    needs_training: str
    needs_time: str
    needs_money: str
    needs_materials: str
    evidence_source: str
    evidence_valid_until: date | None
    owner: str
    contact_email: str
    contact_phone: str
    minimum_age: int | None
    maximum_age: int | None
    themes: list[str]
    core_elements: list[str]
    adaptable: list[str]
    conditions: list[ConditionOut]
    services: list[uuid.UUID]
    codes: list[uuid.UUID]
    uses: list[UseOut]


class ExperienceReportIn(Schema):
    region: Line = Field(max_length=10, description="CBS code of the youth-care region (JZxx).")
    municipality: Line | None = Field(default=None, max_length=6, description="GMxxxx")
    organisation_id: Id | None = None
    written_on: date | None = None
    adapted: Text = model_field(ExperienceReport, "adapted", default="")
    effort: Text = model_field(ExperienceReport, "effort", default="")
    result: Text = model_field(ExperienceReport, "result", min_length=1)


class ExperienceReportOut(Schema):
    id: int
    use_id: int
    written_on: date
    adapted: str
    effort: str
    result: str


class FitIn(Schema):
    municipality: Line = Field(max_length=6, description="GMxxxx you answer for.")
    met: list[Id] = Field(default_factory=list, max_length=100, description="Condition ids met.")


class ResemblanceOut(Schema):
    region: str
    same: int
    compared: int
    checked: bool


class FitOut(Schema):
    id: int
    fits: bool
    met: list[ConditionOut]
    not_met: list[ConditionOut]
    resembling: list[ResemblanceOut]


class PracticeImportOut(Schema):
    created: int
    changed: int


class PracticeExportOut(Schema):
    practices: list[dict[str, object]]


class TermOut(Schema):
    id: int
    term: str
    meaning: str
    replaces: str
    example: str


class KnowledgeDocumentOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str
    practice_id: int | None
    network_id: int | None


class KnowledgeSearchOut(Schema):
    total: int
    page: int
    results: list[KnowledgeDocumentOut]


class LearningNetworkOut(Schema):
    id: int
    name: str
    theme: NetworkTheme
    description: str
    is_public: bool
    organisations: list[str]
    member: bool


class ProgressUpdateIn(Schema):
    working_on: Text = model_field(ProgressUpdate, "working_on", min_length=1)
    went_well: Text = model_field(ProgressUpdate, "went_well", default="")
    changed: Text = model_field(ProgressUpdate, "changed", default="")
    organisation_id: Id | None = None
    practice_id: Id | None = None


class ProgressUpdateOut(Schema):
    id: int
    organisation: str
    posted_at: datetime
    working_on: str
    went_well: str
    changed: str
    practice_id: int | None


class MeetingIn(Schema):
    title: Line = model_field(Meeting, "title", min_length=1)
    starts_at: datetime
    minutes_long: int = Field(default=90, ge=15, le=480)
    location: Line = model_field(Meeting, "location", default="")
    agenda: list[Annotated[Line, Field(max_length=200)]] = Field(
        default_factory=list, max_length=30
    )


class AgreedActionIn(Schema):
    what: Line = Field(max_length=300, min_length=1)
    owner_member_id: Id
    due_on: date


class MeetingCloseIn(Schema):
    report: Text = model_field(Meeting, "report", default="")
    attended_member_ids: list[Id] = Field(default_factory=list, max_length=500)
    actions: list[AgreedActionIn] = Field(default_factory=list, max_length=50)
    practice_ids: list[Id] = Field(default_factory=list, max_length=50)


class AgreedActionOut(Schema):
    what: str
    owner_member_id: int
    due_on: date


class MeetingOut(Schema):
    id: int
    network_id: int
    title: str
    starts_at: datetime
    minutes_long: int
    location: str
    status: str
    agenda: list[str]
    registered: int
    attended: int
    report: str
    actions: list[AgreedActionOut]
    practice_ids: list[int]


class MinutesIn(Schema):
    text: Text = Field(max_length=20000, min_length=1)
    version: int | None = Field(default=None, ge=1, le=2**31)


class MinutesNoteIn(Schema):
    text: Text = Field(max_length=4000, min_length=1)


class MinutesNoteOut(Schema):
    kind: str
    text: str
    created_at: datetime


class MinutesOut(Schema):
    meeting_id: int
    status: str
    version: int
    text: str
    notes: list[MinutesNoteOut]
