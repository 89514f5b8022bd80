"""Who is acting, from where, in this request: filled by RequestContextMiddleware
so services can audit without passing the request around."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessPoint:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    channel: str = "system"  # web, api, command, system


_current: ContextVar[AccessPoint | None] = ContextVar("rits_access_point", default=None)


def current() -> AccessPoint:
    return _current.get() or AccessPoint()


def set_current(point: AccessPoint | None) -> object:
    return _current.set(point)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
