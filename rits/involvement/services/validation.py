"""Checking what a reporter sends: who may register, and the signal itself.

A plain BSN enters ``validate`` and leaves as a pseudonym; it is never stored, logged,
audited or put in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
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
from rits.involvement.models import AGE_LIMIT_YEARS, Signal
from rits.lib import ages
from rits.lib.ages import add_years, age_on
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
            )
            .distinct()
            .order_by("name")
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


@dataclass(frozen=True, slots=True)
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


def pseudonymise(value: str) -> str:
    """The keyed pseudonym of a valid BSN, as ``rits.lib.pseudonyms.pseudonymise_bsn``
    gives it (a test holds the two together), in a third of the time: the keyed hash
    is prepared once per key and copied, and the common form (nine ASCII digits) is
    checked on bytes. Anything else, and every refusal, goes through the reference
    function itself. Raises InvalidBSN."""
    digits = value.strip().encode()
    if (
        len(digits) == 9
        and digits.isdigit()
        and digits != b"000000000"
        and (
            9 * digits[0]
            + 8 * digits[1]
            + 7 * digits[2]
            + 6 * digits[3]
            + 5 * digits[4]
            + 4 * digits[5]
            + 3 * digits[6]
            + 2 * digits[7]
            - digits[8]
            - 43 * 48  # the weights' sum times ord("0"): digits are bytes here
        )
        % 11
        == 0
    ):
        keyed = _keyed_hash().copy()
        keyed.update(digits)
        return keyed.hexdigest()
    return pseudonymise_bsn(value)


_KEYED: tuple[str, hmac.HMAC] | None = None


def _keyed_hash() -> hmac.HMAC:
    """HMAC-SHA256 with the deployment key, already fed the ``bsn:`` prefix."""
    global _KEYED
    key = settings.RITS_PSEUDONYM_KEY
    if _KEYED is None or _KEYED[0] != key:
        _KEYED = (key, hmac.new(key.encode(), b"bsn:", hashlib.sha256))
    return _KEYED[1]


_POSTPONED = frozenset(Signal.Postponed.values)


class Rules:
    """The checks for one reporter on one day, prepared once: every row of a file is
    checked against the same dates and defaults."""

    def __init__(self, actor: User, today: date | None = None) -> None:
        self.actor = actor
        self.today = today or timezone.localdate()
        self.default_end = self.today + timedelta(days=default_duration_days())
        self.max_end = max_end_date(self.today)
        self.name = actor.full_name
        self.phone = actor.phone
        self.email = actor.email

    def clean(self, data: SignalInput) -> CleanSignal:
        """Check everything that does not need the database, then pseudonymise.

        The common case takes a few steps; anything unusual goes to ``_refuse``, which
        lists every problem per field. No message repeats a BSN.
        """
        today = self.today
        birth = data.birth_date
        ends_on = data.ends_on or self.default_end
        postponed = data.informing_postponed
        parents = [p for p in data.parent_bsns if p and p.strip()]
        if (
            birth is None
            or birth > today
            or data.municipality is None
            or len(parents) > 2
            or not today < ends_on <= self.max_end
            or (postponed and postponed not in _POSTPONED)
            or (data.own_reference and _DIGIT_RUNS.search(data.own_reference))
            or not (data.contact_email or self.email)
        ):
            _refuse(data, self.actor, today)
        age = age_on(birth, today)
        uninformed = (ages.youth_informed_required(age) and not data.youth_informed) or (
            ages.parents_informed_required(age) and not data.parents_informed
        )
        if age >= AGE_LIMIT_YEARS or (uninformed and not postponed):
            _refuse(data, self.actor, today)
        try:
            youth = pseudonymise(data.bsn or "")
            parent_pseudonyms = {pseudonymise(p) for p in parents}
        except InvalidBSN:
            _refuse(data, self.actor, today)
        if youth in parent_pseudonyms:
            _refuse(data, self.actor, today)
        return CleanSignal(
            youth_pseudonym=youth,
            parent_pseudonyms=tuple(sorted(parent_pseudonyms)),
            birth_date=birth,
            municipality_id=data.municipality.pk,
            ends_on=min(ends_on, add_years(birth, AGE_LIMIT_YEARS)),
            youth_informed=data.youth_informed,
            parents_informed=data.parents_informed,
            informing_postponed=postponed or "",
            contact_name=(data.contact_name or self.name)[:150],
            contact_phone=(data.contact_phone or self.phone)[:30],
            contact_email=data.contact_email or self.email,
            own_reference=data.own_reference or "",
        )


def validate(data: SignalInput, *, actor: User, today: date | None = None) -> CleanSignal:
    """Check everything that does not need the database, then pseudonymise.

    Raises ValidationError with messages per field; no message repeats a BSN.
    """
    return Rules(actor, today).clean(data)


def _refuse(data: SignalInput, actor: User, today: date) -> NoReturn:
    """Raise ValidationError with every problem of this input, per field."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    youth_pseudonym = ""
    try:
        youth_pseudonym = pseudonymise_bsn((data.bsn or "").strip())
    except InvalidBSN:
        add("bsn", _("This is not a valid BSN (the elfproef fails)."))
    parents = [p.strip() for p in data.parent_bsns if p and p.strip()]
    if len(parents) > 2:
        add("parent_bsns", _("Give at most two parents."))
    for parent in parents[:2]:
        try:
            pseudonym = pseudonymise_bsn(parent)
        except InvalidBSN:
            add("parent_bsns", _("A parent's BSN is not valid (the elfproef fails)."))
            continue
        if pseudonym == youth_pseudonym:
            add("parent_bsns", _("A parent's BSN cannot be the youth's own BSN."))
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
        if (
            ages.youth_informed_required(age)
            and not data.youth_informed
            and not data.informing_postponed
        ):
            add(
                "youth_informed",
                _("A youth of 12 or older must be informed, or say why informing is postponed."),
            )
        if (
            ages.parents_informed_required(age)
            and not data.parents_informed
            and not data.informing_postponed
        ):
            add(
                "parents_informed",
                _("Parents of a youth under 16 must be informed, or say why it is postponed."),
            )
    if _DIGIT_RUNS.search(data.own_reference or ""):
        add("own_reference", _("Your own reference may not contain a BSN or similar number."))
    if not (data.contact_email or actor.email):
        add("contact_email", _("Give an e-mail address where others can reach you."))
    if not errors:
        raise AssertionError("A signal was refused without a reason.")
    raise ValidationError(errors)


def duplicate_error() -> ValidationError:
    message = _("You have already registered involvement with this youth.")
    return ValidationError({"bsn": ValidationError(message, code="duplicate")})
