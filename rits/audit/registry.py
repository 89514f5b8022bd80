"""The registry of audit event codes.

Every event written to the trail has a namespaced code (``app.event``) that is
registered here with a human label, so a typo cannot create an event nobody
searches for. Apps register their codes in their own ``events.py``, imported
from ``AppConfig.ready`` or at module level of their services.
"""

from __future__ import annotations

from django.utils.functional import Promise

_EVENTS: dict[str, str | Promise] = {}


class UnknownEvent(ValueError):
    pass


def register(events: dict[str, str | Promise]) -> None:
    for code, label in events.items():
        if "." not in code:
            raise ValueError(f"Audit event code {code!r} must be namespaced as 'app.event'.")
        _EVENTS[code] = label


def label(code: str) -> str:
    return str(_EVENTS.get(code, code))


def check(code: str) -> None:
    if code not in _EVENTS:
        raise UnknownEvent(f"Audit event {code!r} is not registered.")


def all_events() -> dict[str, str]:
    return {code: str(text) for code, text in sorted(_EVENTS.items())}
