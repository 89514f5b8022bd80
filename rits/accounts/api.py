from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from rits.accounts import permissions, services
from rits.accounts.auth import api_user
from rits.accounts.models import ApiToken
from rits.accounts.schemas import MembershipOut, MeOut, TokenOut
from rits.lib.ids import PathId

router = Router(tags=["accounts"])


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        hint=token.hint,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        active=token.is_active,
    )


@router.get("/me", response=MeOut, operation_id="get_me", summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    memberships = [
        MembershipOut(
            organisation=m.organisation.name, team=m.team.name if m.team else None, role=m.role
        )
        for m in user.memberships.filter(active=True).select_related("organisation", "team")
    ]
    return MeOut(
        email=user.email, full_name=user.full_name, kind=user.kind, memberships=memberships
    )


@router.get(
    "/tokens",
    response=list[TokenOut],
    operation_id="list_tokens",
    summary="Your own API tokens (never the tokens themselves)",
)
def list_tokens(request: HttpRequest) -> list[TokenOut]:
    user = api_user(request)
    return [_token_out(token) for token in ApiToken.objects.visible_to(user)]


@router.delete(
    "/tokens/{token_id}",
    response={204: None},
    operation_id="revoke_token",
    summary="Revoke one of your own API tokens",
)
def revoke_token(request: HttpRequest, token_id: PathId) -> Status[None]:
    user = api_user(request)
    token = permissions.get_token_for_user(user, token_id, write=True)
    services.revoke_token(token, actor=user)
    return Status(204, None)
