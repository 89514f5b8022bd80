"""The few reads that every signed-in request makes, written out in SQL.

The session, the user, the second-factor device, the API token, the family plan's
access check and the involvement index's reporter check run on every request they
serve. Through the ORM, each such lookup cost several times its own
execution, almost all of it compiling the query anew (measured by the family plan
benchmark). Their SQL is written out once instead and read through ``Manager.raw``,
which still converts the columns and builds the model instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def first(model: type[M], sql: str, params: Sequence[Any], using: str | None = None) -> M | None:
    """The first row of ``sql`` as a ``model`` instance (extra columns become
    attributes), or None."""
    return next(iter(model._default_manager.raw(sql, params, using=using)), None)


def every(model: type[M], sql: str, params: Sequence[Any], using: str | None = None) -> list[M]:
    """All rows of ``sql`` as ``model`` instances."""
    return list(model._default_manager.raw(sql, params, using=using))
