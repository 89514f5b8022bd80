"""Optimistic concurrency: a save is one ``UPDATE ... WHERE version = n``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.family_plans.models import (
    Action,
    Decision,
    Goal,
    Person,
    TransitionItem,
)
from rits.family_plans.services.errors import PlanError, StaleVersion

V = TypeVar("V", Goal, Action, Decision, TransitionItem, Person)


def save_versioned(obj: V, *, expected_version: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Write ``changes`` only if ``obj`` is still at ``expected_version``; one UPDATE with
    the version in its WHERE clause, so two writers can never both win. Returns the
    changed fields as {name: [old, new]}; raises StaleVersion with what is stored now,
    or PlanError when it was removed meanwhile."""
    model = type(obj)
    diff = {
        k: [_plain(getattr(obj, k)), _plain(v)] for k, v in changes.items() if getattr(obj, k) != v
    }
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        current = model._default_manager.filter(pk=obj.pk).first()
        if current is None:
            raise PlanError(_("Someone else removed this in the meantime."))
        raise StaleVersion(current)
    obj.refresh_from_db()
    return diff


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value
