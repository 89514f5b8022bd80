"""Small display helpers for account pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def from_now(delta: timedelta | None) -> datetime | None:
    """The moment ``delta`` from now (local time), e.g. when a lockout ends."""
    if delta is None:
        return None
    return timezone.localtime(timezone.now() + delta)


@register.filter
def minutes(delta: timedelta | None) -> int:
    return int(delta.total_seconds() // 60) if delta else 0
