"""Checking what a reporter sends: who may register, and the signal itself.

A plain BSN enters ``validate`` and leaves as a pseudonym; it is never stored, logged,
audited or put in an exception message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, Organisation, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement import events  # noqa: F401  (registers the audit event codes)
from rits.involvement.models import AGE_LIMIT_YEARS, Signal, add_years, age_on
from rits.lib.pseudonyms import InvalidBSN, pseudonymise_bsn
from rits.regions.models import Municipality

Role = Membership.Role
Purpose = Entry.Purpose
MAX_DURATION_YEARS = 2
# Eight or nine digits in a row may be a BSN: refused in free-text fields.
_DIGIT_RUNS = re.compile(r"\d{8,9}")


def default_duration_days() -> int:
    """How long a signal lasts unless the reporter chooses otherwise (regional setting)."""
    return int(getattr(settings, "RITS_INVOLVEMENT_DEFAULT_DAYS", 365))


def max_end_date(today: date) -> date:
    return add_years(today, MAX_DURATION_YEARS)


# --- Authorisation -----------------------------------------------------------------


def reporter_organisations(user: User) -> list[Organisation]:
    """The organisations that have authorised this user to register involvement."""
    if not user.is_authenticated:
        return []
    cached: list[Organisation] | None = getattr(user, "_reporter_organisations", None)
    if cached is None:
        cached = list(
            Organisation.objects.filter(
                memberships__user=user,
                memberships__role=Role.INDEX_REPORTER,
                memberships__active=True,
            ).distinct()
        )
        user._reporter_organisations = cached  # type: ignore[attr-defined]
    return cached


def authorise_reporter(user: User, organisation: Organisation | None) -> Organisation:
    """Return the organisation to register for, or audit the refusal and raise PermissionDenied.

    The refusal is committed before the exception is raised, so it stays on record.
    """
    allowed = reporter_organisations(user)
    if organisation is None and len(allowed) == 1:
        return allowed[0]
    if organisation is None and len(allowed) > 1:
        raise ValidationError({"organisation": [_("Choose the organisation you register for.")]})
    if organisation is not None and any(o.pk == organisation.pk for o in allowed):
        return organisation
    refuse_reporter(user, organisation)


def refuse_reporter(user: User, organisation: Organisation | None) -> NoReturn:
    """Audit a refused registration in its own transaction, then raise PermissionDenied."""
    with transaction.atomic():
        record(
            user,
            "involvement.register_denied",
            outcome=Entry.Outcome.DENIED,
            purpose=Purpose.SECURITY,
            organisation=organisation.name if organisation else "",
            data={"reason": "not an index reporter for this organisation"},
        )
    raise PermissionDenied(
        _("You are not authorised to register involvement for this organisation.")
    )


# --- Validation --------------------------------------------------------------------


@dataclass
class SignalInput:
    """What a reporter sends. ``bsn`` and ``parent_bsns`` are plain and must not be kept:
    they are left out of ``repr`` so a traceback or log line cannot show them."""

    bsn: str = field(repr=False)
    birth_date: date | None
    municipality: Municipality | None
    parent_bsns: Sequence[str] = field(default=(), repr=False)
    ends_on: date | None = None
    youth_informed: bool = False
    parents_informed: bool = False
    informing_postponed: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    own_reference: str = ""


@dataclass(frozen=True)
class CleanSignal:
    """A validated signal: pseudonyms only."""

    youth_pseudonym: str
    parent_pseudonyms: tuple[str, ...]
    birth_date: date
    municipality_id: int
    ends_on: date
    youth_informed: bool
    parents_informed: bool
    informing_postponed: str
    contact_name: str
    contact_phone: str
    contact_email: str
    own_reference: str


def validate(data: SignalInput, *, actor: User, today: date | None = None) -> CleanSignal:
    """Check everything that does not need the database, then pseudonymise.

    Raises ValidationError with messages per field; no message repeats a BSN.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    # Each number is checked and pseudonymised in one step (the elfproef runs once).
    youth_pseudonym = ""
    try:
        youth_pseudonym = pseudonymise_bsn((data.bsn or "").strip())
    except InvalidBSN:
        add("bsn", _("This is not a valid BSN (the elfproef fails)."))
    parents = [p.strip() for p in data.parent_bsns if p and p.strip()]
    if len(parents) > 2:
        add("parent_bsns", _("Give at most two parents."))
    parent_pseudonyms: set[str] = set()
    for parent in parents[:2]:
        try:
            pseudonym = pseudonymise_bsn(parent)
        except InvalidBSN:
            add("parent_bsns", _("A parent's BSN is not valid (the elfproef fails)."))
            continue
        if pseudonym == youth_pseudonym:
            add("parent_bsns", _("A parent's BSN cannot be the youth's own BSN."))
        parent_pseudonyms.add(pseudonym)
    if data.birth_date is None:
        add("birth_date", _("Give the date of birth."))
    elif data.birth_date > today:
        add("birth_date", _("The date of birth cannot be in the future."))
    elif age_on(data.birth_date, today) >= AGE_LIMIT_YEARS:
        add("birth_date", _("The index is for youths up to 23; this youth is 23 or older."))
    if data.municipality is None:
        add("municipality", _("Choose the municipality where the youth lives."))
    ends_on = data.ends_on or today + timedelta(days=default_duration_days())
    if ends_on <= today:
        add("ends_on", _("The end date must be in the future."))
    elif ends_on > max_end_date(today):
        add("ends_on", _("A registration lasts at most 2 years."))
    if data.informing_postponed and data.informing_postponed not in Signal.Postponed.values:
        add("informing_postponed", _("Choose one of the listed reasons."))
    if data.birth_date is not None and "birth_date" not in errors:
        age = age_on(data.birth_date, today)
        if age >= 12 and not data.youth_informed and not data.informing_postponed:
            add(
                "youth_informed",
                _("A youth of 12 or older must be informed, or say why informing is postponed."),
            )
        if age < 16 and not data.parents_informed and not data.informing_postponed:
            add(
                "parents_informed",
                _("Parents of a youth under 16 must be informed, or say why it is postponed."),
            )
    if _DIGIT_RUNS.search(data.own_reference or ""):
        add("own_reference", _("Your own reference may not contain a BSN or similar number."))
    if not (data.contact_email or actor.email):
        add("contact_email", _("Give an e-mail address where others can reach you."))
    if errors:
        raise ValidationError(errors)
    assert data.birth_date is not None and data.municipality is not None
    birthday_limit = add_years(data.birth_date, AGE_LIMIT_YEARS)
    return CleanSignal(
        youth_pseudonym=youth_pseudonym,
        parent_pseudonyms=tuple(sorted(parent_pseudonyms)),
        birth_date=data.birth_date,
        municipality_id=data.municipality.pk,
        ends_on=min(ends_on, birthday_limit),
        youth_informed=data.youth_informed,
        parents_informed=data.parents_informed,
        informing_postponed=data.informing_postponed or "",
        contact_name=(data.contact_name or actor.full_name)[:150],
        contact_phone=(data.contact_phone or actor.phone)[:30],
        contact_email=data.contact_email or actor.email,
        own_reference=data.own_reference or "",
    )


def duplicate_error() -> ValidationError:
    message = _("You have already registered involvement with this youth.")
    return ValidationError({"bsn": ValidationError(message, code="duplicate")})


def _new_signal(clean: CleanSignal, *, actor: User, organisation: Organisation) -> Signal:
    parents = (*clean.parent_pseudonyms, "", "")
    return Signal(
        youth_pseudonym=clean.youth_pseudonym,
        parent1_pseudonym=parents[0],
        parent2_pseudonym=parents[1],
        birth_date=clean.birth_date,
        municipality_id=clean.municipality_id,
        reporter=actor,
        organisation=organisation,
        contact_name=clean.contact_name,
        contact_phone=clean.contact_phone,
        contact_email=clean.contact_email,
        own_reference=clean.own_reference,
        youth_informed=clean.youth_informed,
        parents_informed=clean.parents_informed,
        informing_postponed=clean.informing_postponed,
        ends_on=clean.ends_on,
    )
