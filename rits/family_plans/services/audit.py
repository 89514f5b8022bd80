"""The two steps every change ends with, each called by name in the change's transaction:
the plan's content gets a new token (``renew_content``, ``renew_family_content``) and
the change is audited (``audit``). Reads are audited too (``record_read``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans.models import (
    Plan,
)
from rits.family_plans.models.plan import new_content_token
from rits.family_plans.permissions import Access


def renew_content(plan: Plan) -> None:
    """Give the plan a new content token, in the caller's transaction: what the plan
    pages kept of its content is not used again. Every change to a plan calls it."""
    plan.content_token = new_content_token()
    Plan.objects.filter(pk=plan.pk).update(content_token=plan.content_token)


def renew_family_content(family_id: int, *, plan: Plan | None = None) -> None:
    """A change to the family itself (its network, an account of one of its people):
    every plan of the family shows it, so every plan gets a new content token. ``plan``,
    the plan object in hand, gets the new token too."""
    token = new_content_token()
    Plan.objects.filter(family_id=family_id).update(content_token=token)
    if plan is not None:
        plan.content_token = token


def audit(
    actor: User | None,
    event: str,
    plan: Plan,
    obj: Model | None = None,
    *,
    data: dict[str, Any] | None = None,
    outcome: str = Entry.Outcome.SUCCESS,
) -> Entry:
    """Audit an event on a plan or one of its parts, with the youth's pseudonym as
    subject and the user's standing from the plan's access. A change calls
    ``renew_content`` (or ``renew_family_content``) next to it, in the same transaction."""
    # Without an access (a plan being started, a job), record() names the actor's own
    # organisation and role.
    access: Access | None = getattr(plan, "access", None)
    return record(
        actor,
        event,
        obj or plan,
        subject=plan.youth.reference,
        purpose=access.purpose if access else Entry.Purpose.CARE,
        organisation=access.organisation if access else "",
        role=access.role if access else "",
        on_behalf_of=access.on_behalf_of if access else "",
        outcome=outcome,
        data=data,
    )


def record_read(
    plan: Plan,
    *,
    actor: User,
    event: str = "family_plans.plan_viewed",
    data: dict[str, Any] | None = None,
) -> None:
    """Reads are audited like writes (NEN 7513)."""
    audit(actor, event, plan, data=data)
