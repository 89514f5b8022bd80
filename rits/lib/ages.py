"""The ages Rits' rules turn on, and the date arithmetic behind them, defined once.

Consent (WGBO, Jeugdwet): under 12 the parents decide; from 12 to 15 the parents and the
youth decide together; from 16 the youth decides alone. Children under 12 read along in
their own plan but do not write. A JIM is an adult (18 or older) who is not a parent.
The transition to adulthood starts at 16½; the involvement index follows a youth until 23.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

#: From this age the youth gives consent with the parents and writes in their own plan.
CONSENT_TOGETHER_FROM = 12
#: From this age the youth gives consent alone.
CONSENT_ALONE_FROM = 16
#: Adulthood: the JIM's minimum age; the cut ("knip") the transition plan prepares for.
ADULT_FROM = 18
#: The involvement index follows a youth until this birthday.
INDEX_AGE_LIMIT = 23
#: The transition part of the plan appears at 16 and this many days (16½).
TRANSITION_FROM = (CONSENT_ALONE_FROM, 182)


class Stage(Enum):
    """Whose consent counts."""

    PARENTS = "parents"  # under 12
    TOGETHER = "together"  # 12 to 15
    YOUTH = "youth"  # 16 and older


def age_on(birth: date, day: date) -> int:
    """Whole years between ``birth`` and ``day`` (a birthday counts on the day itself)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common
    year (Dutch practice)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def consent_stage(age: int | None) -> Stage:
    """Whose consent counts at this age. An unknown age counts as under 12, so the
    parents are always asked."""
    if age is None or age < CONSENT_TOGETHER_FROM:
        return Stage.PARENTS
    if age < CONSENT_ALONE_FROM:
        return Stage.TOGETHER
    return Stage.YOUTH


def reads_along(age: int | None) -> bool:
    """A child under 12 reads their own plan but does not write in it (unknown: no)."""
    return age is not None and age < CONSENT_TOGETHER_FROM


def is_adult(age: int | None) -> bool:
    return age is not None and age >= ADULT_FROM


def youth_informed_required(age: int) -> bool:
    """From 12 a youth is told about a registration in the index."""
    return age >= CONSENT_TOGETHER_FROM


def parents_informed_required(age: int) -> bool:
    """Under 16 the parents are told about a registration in the index."""
    return age < CONSENT_ALONE_FROM


def transition_starts(birth: date) -> date:
    """16½: the day the transition part of the plan appears."""
    years, days = TRANSITION_FROM
    return add_years(birth, years) + timedelta(days=days)
