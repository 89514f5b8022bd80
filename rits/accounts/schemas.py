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
