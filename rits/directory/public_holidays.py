"""Which Dutch public holidays close a line or a service.

The ``holidays`` package lists every Dutch public holiday, but not all of them are a
general day off: Good Friday is on the list, yet whether a municipal office closes then
differs per municipality. So each crisis line says which holidays close it, by the
package's English name (stable whatever the interface language). The default is the
holidays that are general days off: all of the package's, except Good Friday.
"""

from __future__ import annotations

from datetime import date
from functools import cache, lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Years enough to see every holiday the package knows for the Netherlands, including
# Liberation Day, which is a holiday there only every fifth year.
_SAMPLE_YEARS = range(2020, 2031)
#: On the package's list, but not a general day off.
NOT_GENERAL_DAYS_OFF = frozenset({"Good Friday"})


@lru_cache(maxsize=32)
def _calendar(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language=language)


def _names(day: date, language: str) -> list[str]:
    # The package joins two holidays on one day with "; ".
    name = _calendar(day.year, language).get(day)
    return str(name).split("; ") if name else []


@cache
def holiday_labels() -> dict[str, dict[str, str]]:
    """Every holiday key (English name) with its name per interface language."""
    labels: dict[str, dict[str, str]] = {}
    for year in _SAMPLE_YEARS:
        for day in _calendar(year, "en_US"):
            for key, dutch in zip(_names(day, "en_US"), _names(day, "nl"), strict=True):
                labels.setdefault(key, {"en": key, "nl": dutch})
    return labels


def holiday_keys() -> list[str]:
    """The keys in the order of the calendar year."""
    return list(holiday_labels())


def general_days_off() -> list[str]:
    """The default for a crisis line: the holidays that are general days off."""
    return [key for key in holiday_keys() if key not in NOT_GENERAL_DAYS_OFF]


def holiday_label(key: str, language: str | None = None) -> str:
    language = (language or get_language() or "nl")[:2]
    names = holiday_labels().get(key, {})
    return names.get(language) or names.get("nl") or key


def holiday_choices() -> list[tuple[str, str]]:
    return [(key, holiday_label(key)) for key in holiday_keys()]


def holidays_on(day: date) -> list[str]:
    """The keys of the public holidays on ``day`` (usually none, at most two)."""
    return _names(day, "en_US")


def holidays_in(year: int) -> list[date]:
    """The days of the year that are a public holiday."""
    return sorted(_calendar(year, "en_US"))


def closing_holiday(day: date, closed_on: frozenset[str] | None) -> str | None:
    """The key of a holiday on ``day`` that closes a line closed on ``closed_on``
    (None: the general days off), or None."""
    keys = closed_on if closed_on is not None else frozenset(general_days_off())
    return next((key for key in holidays_on(day) if key in keys), None)


def validate_holiday_keys(value: object) -> None:
    known = set(holiday_keys())
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ValidationError(_("Choose public holidays from the list."))
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValidationError(
            _("Unknown public holiday: %(names)s.") % {"names": ", ".join(unknown)}
        )
