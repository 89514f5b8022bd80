from datetime import datetime

from ninja import Schema


class MembershipOut(Schema):
    organisation: str
    team: str | None
    role: str


class MeOut(Schema):
    email: str
    full_name: str
    kind: str
    memberships: list[MembershipOut]


class TokenOut(Schema):
    """A personal API token as listed; the token itself is never returned."""

    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool
