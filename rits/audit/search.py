"""Searching the audit trail: the one place the filters mean something.

The HTML page, its CSV export and the JSON API all turn their input into
``TrailFilters`` (through ``TrailFilterForm``) and call ``search_entries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.lib.moments import FIRST_YEAR, LAST_YEAR
from rits.lib.pseudonyms import pseudonymise_bsn

# The period filter means calendar days in the Netherlands, whatever the server's zone.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PER_PAGE = 50


@dataclass(frozen=True)
class TrailFilters:
    """What a privacy officer searches for. ``subject`` is always a pseudonym."""

    subject: str = ""
    subject_from_bsn: bool = False
    user: str = ""
    event: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outcome: str = ""

    def as_query(self) -> str:
        """The filters as a query string for links: never a BSN, only its pseudonym."""
        return urlencode({key: value for key, value in self._values().items() if value})

    def as_data(self) -> dict[str, Any]:
        """The filters as they are stored in the audit entry of the search."""
        data: dict[str, Any] = {key: value for key, value in self._values().items() if value}
        if self.subject_from_bsn:
            data["subject_from_bsn"] = True
        return data

    def _values(self) -> dict[str, str]:
        return {
            "subject": self.subject,
            "user": self.user,
            "event": self.event,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "outcome": self.outcome,
        }


def looks_like_bsn(value: str) -> bool:
    """Digits only (spaces and dots allowed, as people write them): treated as a BSN."""
    digits = value.replace(" ", "").replace(".", "")
    return digits.isdigit()


def subject_pseudonym(value: str) -> tuple[str, bool]:
    """The pseudonym to search for, and whether it came from a BSN.

    Raises InvalidBSN (whose message never repeats the input) for digits that fail
    the elfproef, so that a mistyped BSN is neither searched for nor stored.
    """
    value = value.strip()
    if not value:
        return "", False
    if looks_like_bsn(value):
        return pseudonymise_bsn(value.replace(" ", "").replace(".", "")), True
    return value, False


def _start_of_day(day: date) -> datetime:
    # No entry lies outside these years, so a filter beyond them means "from the first"
    # or "to the last"; clamped, a day near the calendar's ends cannot overflow.
    day = min(max(day, date(FIRST_YEAR, 1, 1)), date(LAST_YEAR, 12, 31))
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def search_entries(filters: TrailFilters) -> QuerySet[Entry]:
    """The entries matching the filters, newest first.

    ``date_to`` includes that whole day. A user is found by account (which uses the
    actor index); once the account is gone, by the label the entry kept.
    """
    entries = Entry.objects.all()
    if filters.subject:
        entries = entries.filter(subject=filters.subject)
    if filters.user:
        ids = list(User.objects.filter(email__iexact=filters.user).values_list("pk", flat=True))
        if ids:
            entries = entries.filter(actor_id__in=ids)
        else:
            entries = entries.filter(actor_label__iendswith=f"<{filters.user}>")
    if filters.event:
        entries = entries.filter(event=filters.event)
    if filters.outcome:
        entries = entries.filter(outcome=filters.outcome)
    if filters.date_from:
        entries = entries.filter(occurred_at__gte=_start_of_day(filters.date_from))
    if filters.date_to:
        entries = entries.filter(occurred_at__lt=_start_of_day(filters.date_to) + timedelta(days=1))
    return entries.order_by("-id")


ROLE_LABELS = dict(Membership.Role.choices)


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))
