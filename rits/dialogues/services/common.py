"""What every change of the dialogue tables ends with: an audit entry in its transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record


class DialogueError(ValueError):
    """A refusal the person can understand and fix; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def audit(
    actor: User | None,
    event: str,
    obj: Model | None,
    *,
    subject: str,
    data: dict[str, Any] | None = None,
    outcome: str = Entry.Outcome.SUCCESS,
    purpose: str = Entry.Purpose.RESEARCH,
) -> Entry:
    """Audit an event of a table or a trajectory; the subject is the trajectory's or the
    table's meaningless reference, never a name."""
    return record(actor, event, obj, subject=subject, purpose=purpose, outcome=outcome, data=data)
