from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from rits.lib.text import Line


class TrailQuery(Schema):
    """The filters of ``GET /audit/entries``, the same as on the privacy officer's page."""

    subject: Line = Field("", max_length=100, description="A pseudonym, or a BSN (pseudonymised).")
    user: Line = Field("", max_length=254, description="E-mail address of the acting user.")
    event: Line = Field("", max_length=80, description="An event code from the registry.")
    date_from: date | None = Field(None, description="First day (Europe/Amsterdam).")
    date_to: date | None = Field(None, description="Last day, inclusive (Europe/Amsterdam).")
    # A literal, not the model's enum: no generic "Outcome" name in the shared OpenAPI.
    outcome: Literal["success", "denied", "failure"] | None = None
    page: int = Field(1, ge=1, le=1_000_000)


class AuditEntryOut(Schema):
    id: int
    occurred_at: datetime
    event: str
    event_label: str
    outcome: str
    user: str = Field(alias="actor_label")
    user_id: int | None = Field(alias="actor_id")
    on_behalf_of: str
    organisation: str
    role: str
    subject: str
    object_type: str
    object_id: str
    object_label: str
    ip_address: str | None
    channel: str
    user_agent: str
    purpose: str
    request_id: str
    data: dict[str, object]
    previous_hash: str
    entry_hash: str


class TrailPage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    filters: dict[str, object]
    results: list[AuditEntryOut]
