"""Refusals a person can understand and fix; nothing has changed when one is raised."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _


class PlanError(ValueError):
    """A refusal the person can understand and fix; nothing was changed."""


class StaleVersion(PlanError):
    """Someone else saved this object first. ``current`` is what is stored now."""

    def __init__(self, current: Model) -> None:
        super().__init__(
            _(
                "Someone else changed this in the meantime. Your changes were not saved. "
                "Compare both versions, then save again."
            )
        )
        self.current = current
