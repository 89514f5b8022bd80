"""The seam between the knowledge hub and the dialogue tables' codebook.

The dialogues app owns the codes (success factor, bottleneck, improvement) and fills
this seam: it registers a ``CodeSource`` in its ``AppConfig.ready()``. The knowledge
app stores a practice's codes as ``PracticeCode(practice, code_guid)`` with no foreign
key into dialogues, and never imports it; while no source is registered, pages show
the codes they hold without names and say that the codebook is not available.
Dialogues shows, on a code's page, the practices that answer it through
``rits.knowledge.services.practices_for_code(guid)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class CodeRef:
    guid: uuid.UUID  # the code's stable id (the REFI-QDA guid of the code)
    name: str  # plain-Dutch label
    kind: str  # "success_factor" | "bottleneck" | "improvement"
    url: str  # the code's page in its codebook


class CodeSource(Protocol):
    def codes(self, guids: Iterable[uuid.UUID]) -> dict[uuid.UUID, CodeRef]: ...

    def search(self, region_id: int | None, text: str, limit: int = 20) -> list[CodeRef]: ...

    def recurring_bottlenecks(self, region_id: int, since: date) -> list[tuple[CodeRef, int]]:
        """Bottleneck codes with the number of tables (>= 5 only) that coded them since."""
        ...


_SOURCE: list[CodeSource] = []


def register_code_source(source: CodeSource) -> None:
    """Set the one source of codes (a second registration replaces the first)."""
    _SOURCE[:] = [source]


def code_source() -> CodeSource | None:
    """The registered source, or None while no app has registered one."""
    return _SOURCE[0] if _SOURCE else None
