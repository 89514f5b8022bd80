"""Who hears of a change to a plan, and telling them (``rits.accounts.notifications``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse

from rits.accounts.models import User
from rits.accounts.notifications import notify
from rits.family_plans.models import (
    CareTeamMember,
    Person,
    Plan,
)

_EMAIL: ContextVar[bool] = ContextVar("family_plans_email", default=True)


@contextmanager
def in_app_only() -> Iterator[None]:
    """Notify in the app but send no e-mail (the demo region: fictional addresses)."""
    token = _EMAIL.set(False)
    try:
        yield
    finally:
        _EMAIL.reset(token)


def sends_email() -> bool:
    """False inside ``in_app_only``."""
    return _EMAIL.get()


def tell(user: User, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    notify(user, kind=kind, title=title, body=body, url=url, email=_EMAIL.get())


def household_accounts(plan: Plan) -> list[User]:
    """Parents and youths of the family who have an account."""
    return [
        p.user
        for p in plan.family.persons.filter(
            role__in=Person.HOUSEHOLD_ROLES, user__isnull=False
        ).select_related("user")
        if p.user is not None
    ]


def team_accounts(plan: Plan) -> list[User]:
    """Everyone who may take part in decisions: household accounts and active members."""
    users = {u.pk: u for u in household_accounts(plan)}
    for m in plan.members.filter(status=CareTeamMember.Status.ACTIVE, user__isnull=False):
        assert m.user is not None
        users.setdefault(m.user.pk, m.user)
    return list(users.values())


def tell_many(
    users: Iterable[User], *, kind: str, title: str, body: str, url: str, skip: User | None = None
) -> None:
    for user in users:
        if skip is None or user.pk != skip.pk:
            tell(user, kind=kind, title=title, body=body, url=url)


def plan_url(plan: Plan) -> str:
    return reverse("family_plans:plan", args=[plan.pk])
