"""A moment in an API request (``?at=...``), as the crisis routing and opening hours read it.

A naive moment is Amsterdam time. Each moment is turned into Amsterdam time before use,
so every answer carries an RFC 3339 offset (``+01:00`` or ``+02:00``), whatever offset
the client sent (``+00:00:30`` is valid to Python, not to RFC 3339). Moments outside
1970..2999 are refused: near the ends of the calendar the next day or week does not
exist (a 500 at 9999-12-31), and before 1940 Amsterdam's offset had seconds in it.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
FIRST_YEAR = 1970
LAST_YEAR = 2999


def amsterdam_moment(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=AMSTERDAM)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a moment between {FIRST_YEAR} and {LAST_YEAR}.")
    value = value.astimezone(AMSTERDAM)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a moment between {FIRST_YEAR} and {LAST_YEAR}.")
    return value


Moment = Annotated[datetime, AfterValidator(amsterdam_moment)]


def _empty_is_none(value: Any) -> Any:
    return None if value == "" else value


def _wall_clock_or_moment(value: datetime | None) -> datetime | None:
    """Within the years above; a moment with an offset in Amsterdam time, a local time
    left as it is, so that the caller can say how a time the clocks skip or repeat was
    taken (``rits.directory.reachability.moment_from_wall_clock``)."""
    if value is None:
        return None
    if value.tzinfo is not None and value.utcoffset() is not None:
        return amsterdam_moment(value)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a moment between {FIRST_YEAR} and {LAST_YEAR}.")
    return value


#: A moment in a query that may be a local time; ``at=`` (empty) means now, as leaving
#: it out does.
OptionalWallClock = Annotated[
    datetime | None, BeforeValidator(_empty_is_none), AfterValidator(_wall_clock_or_moment)
]


def wall_clock_time(value: time) -> time:
    # Opening hours are Amsterdam wall-clock times; an offset has no meaning there and
    # the database cannot keep one.
    if value.tzinfo is not None:
        raise ValueError("Give a time without an offset (Amsterdam time).")
    return value


LocalTime = Annotated[time, AfterValidator(wall_clock_time)]
