from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from rits.accounts.schemas import MembershipOut, MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, operation_id="get_me", summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    memberships = [
        MembershipOut(
            organisation=m.organisation.name, team=m.team.name if m.team else None, role=m.role
        )
        for m in user.memberships.filter(active=True).select_related("organisation", "team")
    ]
    return MeOut(
        email=user.email, full_name=user.full_name, kind=user.kind, memberships=memberships
    )
