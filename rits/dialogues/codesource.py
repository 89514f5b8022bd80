"""The codebook as the knowledge hub reads it (``rits.knowledge.seams.CodeSource``).

Registered from ``AppConfig.ready``; while the knowledge app is not installed there is
nothing to register with, and nothing happens.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count

from rits.dialogues.models import Code, Coding, Kind

MIN_TABLES = 5


@dataclass(frozen=True)
class CodeInfo:
    """Shaped like knowledge's ``CodeRef``; used when that app is absent."""

    guid: uuid.UUID
    name: str
    kind: str
    url: str


def _seams() -> Any:
    try:
        return importlib.import_module("rits.knowledge.seams")
    except ImportError:
        return None


def _ref(code: Code) -> Any:
    seams = _seams()
    make = getattr(seams, "CodeRef", CodeInfo) if seams else CodeInfo
    return make(
        guid=code.guid, name=code.name, kind=code.kind, url=f"/dialoogtafels/codes/{code.pk}/"
    )


def code_ref(code: Code) -> Any:
    return _ref(code)


class DialogueCodeSource:
    def codes(self, guids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return {c.guid: _ref(c) for c in Code.objects.filter(guid__in=list(guids))}

    def search(self, region_id: int | None, text: str, limit: int = 20) -> list[Any]:
        codes = Code.objects.filter(status=Code.Status.ACTIVE, name__icontains=text)
        if region_id is not None:
            codes = codes.filter(region_id=region_id)
        return [_ref(c) for c in codes.order_by("name")[:limit]]

    def recurring_bottlenecks(self, region_id: int, since: date) -> list[tuple[Any, int]]:
        rows = (
            Coding.objects.filter(
                round=Coding.Round.FIRST,
                counted_code__region_id=region_id,
                counted_code__kind=Kind.BOTTLENECK,
                finding__table__held_on__gte=since,
                finding__trajectory__withdrawn_at__isnull=True,
            )
            .values("counted_code")
            .annotate(tables=Count("finding__table", distinct=True))
            .filter(tables__gte=MIN_TABLES)
            .order_by("-tables")
        )
        codes = Code.objects.in_bulk([r["counted_code"] for r in rows])
        return [(_ref(codes[r["counted_code"]]), r["tables"]) for r in rows]


def register() -> None:
    seams = _seams()
    if seams is not None and hasattr(seams, "register_code_source"):
        seams.register_code_source(DialogueCodeSource())


def practices_for(code: Code) -> list[Any]:
    """The knowledge hub's practices that answer this code (none without that app)."""
    try:
        services = importlib.import_module("rits.knowledge.services")
    except ImportError:
        return []
    find = getattr(services, "practices_for_code", None)
    return list(find(code.guid)) if find else []
