"""Every change to the involvement index: register, match, coordinate, end, archive.

A plain BSN enters ``validate`` and leaves as a pseudonym; it is never stored, logged,
audited or put in an exception message. Every mutation runs in one transaction with
its audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rits.accounts.models import Membership, Organisation, User
from rits.accounts.notifications import notify
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement import events  # noqa: F401  (registers the audit event codes)
from rits.involvement.models import (
    AGE_LIMIT_YEARS,
    ARCHIVE_YEARS,
    Match,
    MatchMember,
    Signal,
    add_years,
    age_on,
)
from rits.lib.pseudonyms import InvalidBSN, is_valid_bsn, pseudonymise_bsn
from rits.regions.models import Municipality

Role = Membership.Role
Purpose = Entry.Purpose
MAX_DURATION_YEARS = 2
# Eight or nine digits in a row may be a BSN: refused in free-text fields.
_DIGIT_RUNS = re.compile(r"\d{8,9}")


def default_duration_days() -> int:
    """How long a signal lasts unless the reporter chooses otherwise (regional setting)."""
    return int(getattr(settings, "RITS_INVOLVEMENT_DEFAULT_DAYS", 365))


def escalation_days() -> int:
    """Days a match may stay without agreement before the municipal coordinator is told."""
    return int(getattr(settings, "RITS_INVOLVEMENT_ESCALATION_DAYS", 14))


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


# --- Register and match ------------------------------------------------------------


@dataclass
class Registration:
    signal: Signal
    matches: list[Match]


def register_signal(
    data: SignalInput, *, actor: User, organisation: Organisation | None = None
) -> Registration:
    """Register involvement and match it against the index.

    Steps, in this order: check that the organisation authorised the actor (refusals
    are audited); validate and pseudonymise; in one transaction refuse a duplicate,
    insert, audit, and match.
    """
    organisation = authorise_reporter(actor, organisation)
    clean = validate(data, actor=actor)
    try:
        with transaction.atomic():
            # One indexed lookup serves both the duplicate check and the client match.
            known = list(
                Signal.objects.active()
                .filter(youth_pseudonym=clean.youth_pseudonym)
                .values_list("pk", "reporter_id")
            )
            if any(reporter_id == actor.pk for _pk, reporter_id in known):
                raise duplicate_error()
            signal = _new_signal(clean, actor=actor, organisation=organisation)
            signal.save()
            record(
                actor,
                "involvement.signal_registered",
                signal,
                subject=signal.youth_pseudonym,
                purpose=Purpose.COORDINATION,
                organisation=organisation.name,
                role=Role.INDEX_REPORTER,
                data={
                    "ends_on": signal.ends_on.isoformat(),
                    "parents": len(clean.parent_pseudonyms),
                },
            )
            matches = match_signal(signal, client_others=[pk for pk, _r in known])
    except IntegrityError as exc:
        # Two identical registrations raced; the unique constraint kept one.
        raise duplicate_error() from exc
    return Registration(signal=signal, matches=matches)


def match_signal(signal: Signal, client_others: list[int] | None = None) -> list[Match]:
    """Find other active signals for the same youth and for youths with a shared parent,
    across organisations and municipalities, and put them in a match with this one.

    ``client_others`` are the other signals for the same youth when the caller has
    just looked them up."""
    found: list[Match] = []
    if client_others is None:
        client_others = list(
            Signal.objects.active()
            .filter(youth_pseudonym=signal.youth_pseudonym)
            .exclude(pk=signal.pk)
            .values_list("pk", flat=True)
        )
    if client_others:
        found.append(_join(Match.Kind.CLIENT, signal.youth_pseudonym, signal, client_others))
    parents = signal.parent_pseudonyms
    if parents:
        siblings = [
            (pk, p1, p2)
            for pk, youth, p1, p2 in active_with_parents(parents)
            if youth != signal.youth_pseudonym
        ]
        if siblings:
            shared = sorted({p for _pk, *ps in siblings for p in ps if p in parents})
            found.append(_join(Match.Kind.FAMILY, shared[0], signal, [s[0] for s in siblings]))
    return found


def active_with_parents(parents: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """(pk, youth, parent1, parent2) of active signals naming any of these parents.

    A UNION of two indexed lookups rather than one OR: SQLite's planner would
    otherwise scan every active signal. Plain SQL, as thousands of parents may be asked
    for at once during an import.
    """
    table = connection.ops.quote_name(Signal._meta.db_table)
    found: set[tuple[int, str, str, str]] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(parents), 450):
            chunk = list(parents[start : start + 450])
            marks = ", ".join(["%s"] * len(chunk))
            select = (
                f"SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym "  # noqa: S608
                f"FROM {table} WHERE status = %s AND "
            )
            cursor.execute(
                f"{select} parent1_pseudonym IN ({marks}) UNION {select} "
                f"parent2_pseudonym IN ({marks})",
                ["active", *chunk, "active", *chunk],
            )
            found.update(cursor.fetchall())
    return sorted(found)


def _join(kind: str, key: str, signal: Signal, other_ids: list[int]) -> Match:
    """Add the signal (and any other not yet in it) to the open match, or start one;
    then tell everyone involved who the others are."""
    now = timezone.now()
    live = [Match.Status.OPEN, Match.Status.SETTLED]
    if kind == Match.Kind.CLIENT:
        match = Match.objects.filter(kind=kind, key=key, status__in=live).first()
    else:
        match = (
            Match.objects.filter(kind=kind, status__in=live, members__signal_id__in=other_ids)
            .order_by("pk")
            .first()
        )
    created = match is None
    if match is None:
        match = Match.objects.create(kind=kind, key=key, created_at=now, awaiting_since=now)
    existing = set(match.members.values_list("signal_id", flat=True))
    newcomers = [pk for pk in [*other_ids, signal.pk] if pk not in existing]
    MatchMember.objects.bulk_create(
        [MatchMember(match=match, signal_id=pk, joined_at=now) for pk in newcomers]
    )
    if not created:
        # Someone new is involved: the agreement has to be made again, with them.
        match.status = Match.Status.OPEN
        match.awaiting_since = now
        match.in_touch_at = None
        match.in_touch_by = None
        match.escalated_at = None
        match.save(
            update_fields=["status", "awaiting_since", "in_touch_at", "in_touch_by", "escalated_at"]
        )
    record(
        signal.reporter,
        "involvement.match_found" if created else "involvement.match_joined",
        match,
        subject=signal.youth_pseudonym,
        purpose=Purpose.COORDINATION,
        data={"kind": kind, "signals": len(existing) + len(newcomers), "new": len(newcomers)},
    )
    _notify_match(match, set(newcomers) if not created else None)
    return match


def contact_line(signal: Signal) -> str:
    parts = [
        signal.contact_name,
        signal.organisation.name,
        signal.contact_phone,
        signal.contact_email,
    ]
    return " — ".join(p for p in parts if p)


def _notify_match(match: Match, newcomer_ids: set[int] | None) -> None:
    members = [m.signal for m in match.active_members().select_related("signal__reporter")]
    for user, title, body, url in match_messages(match, members, newcomer_ids):
        notify(user, kind="involvement.match", title=title, body=body, url=url)


def match_messages(
    match: Match, members: list[Signal], newcomer_ids: set[int] | None
) -> list[tuple[User, str, str, str]]:
    """(recipient, title, body, url) for a match: each professional gets the contact
    details of the others, and only that.

    A new match (``newcomer_ids`` None): everyone hears of everyone. Someone joined:
    the newcomers hear of everyone, the others hear of the newcomers.
    """
    url = reverse("involvement:match", args=[match.pk])
    by_reporter: dict[int, list[Signal]] = {}
    for s in members:
        by_reporter.setdefault(s.reporter_id, []).append(s)
    messages = []
    for reporter_id, own in by_reporter.items():
        is_new = newcomer_ids is None or any(s.pk in newcomer_ids for s in own)
        others = [
            s
            for s in members
            if s.reporter_id != reporter_id and (is_new or s.pk in (newcomer_ids or set()))
        ]
        if not others:
            continue
        user = own[0].reporter
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            refs = ", ".join(s.reference for s in own)
            if match.kind == Match.Kind.CLIENT:
                title = _("Match: someone else is involved with the youth of %(refs)s") % {
                    "refs": refs
                }
            else:
                title = _("Family match: someone is involved with the family of %(refs)s") % {
                    "refs": refs
                }
            lines = [_("Also involved:"), *(f"- {contact_line(s)}" for s in others), ""]
            lines.append(
                pgettext(
                    "involvement",
                    "Agree together who coordinates and confirm that you have been in touch.",
                )
            )
        messages.append((user, title, "\n".join(lines), url))
    return messages


# --- Coordination ------------------------------------------------------------------


@transaction.atomic
def agree_coordinator(match: Match, coordinator: Signal, *, actor: User) -> Match:
    """Record who coordinates (regievoerder): one of the professionals in the match."""
    if coordinator.pk not in set(m.signal_id for m in match.active_members()):
        raise ValidationError({"coordinator": [_("Choose one of the professionals involved.")]})
    match.coordinator = coordinator
    match.save(update_fields=["coordinator"])
    _settle_if_ready(match)
    record(
        actor,
        "involvement.coordinator_agreed",
        match,
        purpose=Purpose.COORDINATION,
        data={"coordinator_signal": coordinator.pk},
    )
    return match


@transaction.atomic
def confirm_in_touch(match: Match, *, actor: User) -> Match:
    """The professionals have been in touch with each other."""
    match.in_touch_at = timezone.now()
    match.in_touch_by = actor
    match.save(update_fields=["in_touch_at", "in_touch_by"])
    _settle_if_ready(match)
    record(actor, "involvement.in_touch_confirmed", match, purpose=Purpose.COORDINATION)
    return match


def _settle_if_ready(match: Match) -> None:
    if match.coordinator_id and match.in_touch_at and match.status == Match.Status.OPEN:
        match.status = Match.Status.SETTLED
        match.save(update_fields=["status"])


# --- Ending, archive, purge ----------------------------------------------------------


def _end(signal: Signal, status: str, *, now: datetime) -> list[Match]:
    """Move the signal to the archive and close matches that no longer join two parties."""
    signal.status = status
    signal.ended_at = now
    signal.save(update_fields=["status", "ended_at"])
    closed = []
    for match in Match.objects.filter(
        members__signal=signal, status__in=[Match.Status.OPEN, Match.Status.SETTLED]
    ):
        active = list(
            match.active_members().values_list("signal__youth_pseudonym", "signal__reporter_id")
        )
        parties = {r for _y, r in active}
        youths = {y for y, _r in active}
        if len(parties) < 2 or (match.kind == Match.Kind.FAMILY and len(youths) < 2):
            match.status = Match.Status.CLOSED
            match.closed_at = now
            match.save(update_fields=["status", "closed_at"])
            record(None, "involvement.match_closed", match, purpose=Purpose.COORDINATION)
            closed.append(match)
        elif match.coordinator_id == signal.pk:
            match.coordinator = None
            match.status = Match.Status.OPEN
            match.awaiting_since = now
            match.save(update_fields=["coordinator", "status", "awaiting_since"])
    return closed


@transaction.atomic
def withdraw_signal(signal: Signal, *, actor: User) -> Signal:
    """The reporter is no longer involved."""
    if not signal.is_active:
        raise ValidationError(_("This registration has already ended."))
    _end(signal, Signal.Status.WITHDRAWN, now=timezone.now())
    record(
        actor,
        "involvement.signal_withdrawn",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.COORDINATION,
    )
    return signal


@dataclass
class DailyReport:
    expired: int = 0
    aged_out: int = 0
    purged: int = 0
    matches_closed: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return (
            f"expired={self.expired} aged_out={self.aged_out} purged={self.purged} "
            f"matches_closed={self.matches_closed} escalated={self.escalated}"
        )


def run_daily(*, now: datetime | None = None) -> DailyReport:
    """The daily housekeeping; safe to run again the same day (it then does nothing).

    Steps: end signals past their end date (expired, or aged out at 23); purge
    signals ended more than five years ago; notify municipal coordinators of
    matches left without agreement for too long.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = DailyReport()
    due = Signal.objects.active().filter(ends_on__lte=today).order_by("pk")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            signal = Signal.objects.select_for_update().filter(pk=pk, status="active").first()
            if signal is None:
                continue
            aged_out = signal.ends_on >= signal.age_limit_on
            status = Signal.Status.AGED_OUT if aged_out else Signal.Status.EXPIRED
            report.matches_closed += len(_end(signal, status, now=now))
            record(
                None,
                "involvement.signal_ended",
                signal,
                subject=signal.youth_pseudonym,
                purpose=Purpose.ADMINISTRATION,
                data={"status": status},
            )
            if aged_out:
                report.aged_out += 1
            else:
                report.expired += 1
    report.purged = purge_archive(now=now)
    report.escalated = escalate_unresolved(now=now)
    return report


def purge_cutoff(now: datetime) -> datetime:
    today = timezone.localdate(now)
    day = add_years(today, -ARCHIVE_YEARS)
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def purge_archive(*, now: datetime) -> int:
    """Delete signals that ended more than five years ago, and matches left empty."""
    old = Signal.objects.archived().filter(ended_at__lt=purge_cutoff(now))
    ids = list(old.values_list("pk", flat=True))
    if not ids:
        return 0
    match_ids = set(
        MatchMember.objects.filter(signal_id__in=ids).values_list("match_id", flat=True)
    )
    Match.objects.filter(coordinator_id__in=ids).update(coordinator=None)
    for start in range(0, len(ids), 500):
        Signal.objects.filter(pk__in=ids[start : start + 500]).delete()
    Match.objects.filter(pk__in=match_ids, members__isnull=True).delete()
    record(
        None,
        "involvement.archive_purged",
        purpose=Purpose.ADMINISTRATION,
        data={"signals": len(ids), "first_id": ids[0], "last_id": ids[-1]},
    )
    return len(ids)


def municipal_coordinators(municipality_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role=Role.MUNICIPAL_COORDINATOR,
            memberships__organisation__municipality_id__in=list(municipality_ids),
        ).distinct()
    )


def escalate_unresolved(*, now: datetime) -> int:
    """Tell the municipal coordinator of each youth's municipality about matches that
    have waited too long for an agreement. Each match is escalated once per period."""
    cutoff = now - timedelta(days=escalation_days())
    waiting = Match.objects.filter(
        status=Match.Status.OPEN, escalated_at__isnull=True, awaiting_since__lte=cutoff
    ).order_by("pk")
    count = 0
    for match in waiting:
        with transaction.atomic():
            municipalities = set(
                match.active_members().values_list("signal__municipality_id", flat=True)
            )
            url = reverse("involvement:match", args=[match.pk])
            for user in municipal_coordinators(municipalities):
                with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                    notify(
                        user,
                        kind="involvement.escalation",
                        title=pgettext("involvement", "Match %(ref)s has no agreed coordinator yet")
                        % {"ref": match},
                        body=pgettext(
                            "involvement",
                            "The professionals in this match have not yet agreed who "
                            "coordinates or confirmed that they have been in touch.",
                        ),
                        url=url,
                    )
            match.escalated_at = now
            match.save(update_fields=["escalated_at"])
            record(
                None,
                "involvement.match_escalated",
                match,
                purpose=Purpose.COORDINATION,
                data={"municipalities": sorted(municipalities)},
            )
            count += 1
    return count


# --- Rights of youths and parents -----------------------------------------------------


def pseudonym_for_rights(bsn: str) -> str:
    if not is_valid_bsn(bsn or ""):
        raise ValidationError({"bsn": [_("This is not a valid BSN (the elfproef fails).")]})
    return pseudonymise_bsn(bsn)


def rights_overview(bsn: str, *, actor: User) -> list[tuple[Signal, str]]:
    """Every registration (active and archived) about this person, as youth or parent,
    in the actor's region: the basis for an inspection request (inzageverzoek).

    Only municipal coordinators may do this; the search itself is audited with the
    person's pseudonym as subject.
    """
    regions = require_municipal_coordinator(actor, "involvement.rights_overview")
    return overview_for_pseudonym(pseudonym_for_rights(bsn), actor=actor, regions=regions)


def overview_for_pseudonym(
    pseudonym: str, *, actor: User, regions: set[int] | None = None
) -> list[tuple[Signal, str]]:
    """The rights overview for a person already known by pseudonym (audited)."""
    if regions is None:
        regions = require_municipal_coordinator(actor, "involvement.rights_overview")
    # Three indexed lookups instead of one OR, which SQLite would answer with a scan.
    ids: set[int] = set()
    for name in ("youth_pseudonym", "parent1_pseudonym", "parent2_pseudonym"):
        ids.update(Signal.objects.filter(**{name: pseudonym}).values_list("pk", flat=True))
    signals = list(
        Signal.objects.filter(pk__in=ids, organisation__region_id__in=regions)
        .select_related("organisation", "municipality")
        .order_by("registered_at")
    )
    with transaction.atomic():
        record(
            actor,
            "involvement.rights_overview",
            subject=pseudonym,
            purpose=Purpose.RIGHTS,
            role=Role.MUNICIPAL_COORDINATOR,
            data={"signals": [s.pk for s in signals]},
        )
    return [(s, "youth" if s.youth_pseudonym == pseudonym else "parent") for s in signals]


def require_municipal_coordinator(actor: User, attempted: str) -> set[int]:
    """The regions the actor handles rights requests for; a refusal is audited (403)."""
    regions = set(
        Membership.objects.filter(
            user=actor, active=True, role=Role.MUNICIPAL_COORDINATOR
        ).values_list("organisation__region_id", flat=True)
    )
    if not regions:
        with transaction.atomic():
            record(
                actor,
                "involvement.rights_denied",
                outcome=Entry.Outcome.DENIED,
                purpose=Purpose.SECURITY,
                data={"attempted": attempted},
            )
        raise PermissionDenied(
            pgettext("involvement", "Only a municipal coordinator handles rights requests.")
        )
    return regions


def rights_export_rows(entries: list[tuple[Signal, str]]) -> list[list[str]]:
    """The overview as rows for the person: which organisation, since when, until when.
    No BSN, no pseudonym."""
    rows = [
        [
            _("Registered as"),
            _("Organisation"),
            _("Contact"),
            _("Registered on"),
            _("Ends or ended on"),
            _("Status"),
        ]
    ]
    for signal, role in entries:
        end = timezone.localdate(signal.ended_at) if signal.ended_at else signal.ends_on
        rows.append(
            [
                _("youth") if role == "youth" else _("parent"),
                signal.organisation.name,
                contact_line(signal),
                timezone.localdate(signal.registered_at).isoformat(),
                end.isoformat(),
                str(signal.get_status_display()),
            ]
        )
    return rows


def audit_rights_export(pseudonym: str, entries: list[tuple[Signal, str]], *, actor: User) -> None:
    require_municipal_coordinator(actor, "involvement.rights_exported")
    with transaction.atomic():
        record(
            actor,
            "involvement.rights_exported",
            subject=pseudonym,
            purpose=Purpose.RIGHTS,
            role=Role.MUNICIPAL_COORDINATOR,
            data={"signals": [s.pk for s, _r in entries]},
        )


@transaction.atomic
def correct_signal(
    signal: Signal,
    *,
    actor: User,
    birth_date: date | None = None,
    municipality: Municipality | None = None,
    note: str = "",
) -> Signal:
    """Correct a registration at the person's request (date of birth, municipality)."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    if birth_date and birth_date != signal.birth_date:
        if (
            age_on(birth_date, timezone.localdate()) >= AGE_LIMIT_YEARS
            or birth_date > timezone.localdate()
        ):
            raise ValidationError({"birth_date": [_("The youth must be 0 to 22 years old.")]})
        old["birth_date"], new["birth_date"] = signal.birth_date.isoformat(), birth_date.isoformat()
        signal.birth_date = birth_date
        signal.ends_on = min(signal.ends_on, add_years(birth_date, AGE_LIMIT_YEARS))
    if municipality and municipality.pk != signal.municipality_id:
        old["municipality"], new["municipality"] = signal.municipality_id, municipality.pk
        signal.municipality = municipality
    if not new:
        raise ValidationError(_("Nothing to correct."))
    signal.save(update_fields=["birth_date", "ends_on", "municipality"])
    record(
        actor,
        "involvement.signal_corrected",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.RIGHTS,
        role=Role.MUNICIPAL_COORDINATOR,
        data={"old": old, "new": new, "note": _DIGIT_RUNS.sub("…", note)[:500]},
    )
    return signal


@transaction.atomic
def uphold_objection(signal: Signal, *, actor: User, note: str = "") -> Signal:
    """The person objected and the municipality upheld it: the registration ends now."""
    if signal.is_active:
        _end(signal, Signal.Status.OBJECTED, now=timezone.now())
    else:
        signal.status = Signal.Status.OBJECTED
        signal.save(update_fields=["status"])
    record(
        actor,
        "involvement.objection_upheld",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.RIGHTS,
        role=Role.MUNICIPAL_COORDINATOR,
        data={"note": _DIGIT_RUNS.sub("…", note)[:500]},
    )
    return signal


# --- Bulk import ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


class ImportRejected(Exception):
    """The file had errors; nothing from it was registered."""

    def __init__(self, errors: list[RowError], rows: int) -> None:
        super().__init__(f"{len(errors)} errors in {rows} rows")
        self.errors = errors
        self.rows = rows


@dataclass
class ImportResult:
    signals: int
    matches: int


Progress = Callable[[int], None]


def import_signals(
    rows: Iterable[SignalInput | RowError],
    *,
    actor: User,
    organisation: Organisation | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
    max_errors: int = 200,
) -> ImportResult:
    """Register a whole file, all or nothing.

    Rows are validated, pseudonymised and inserted in batches inside one
    transaction; duplicates are found in the index (earlier batches included);
    matching runs only for rows that share a youth or parent with another signal.
    If any row fails, the transaction is rolled back and ImportRejected lists the
    errors per row (without ever repeating a BSN).
    """
    organisation = authorise_reporter(actor, organisation)
    today = timezone.localdate()
    errors: list[RowError] = []
    total = signals = 0
    matches: set[int] = set()
    try:
        with transaction.atomic():
            batch: list[tuple[int, CleanSignal]] = []
            for number, row in enumerate(rows, start=1):
                total = number
                if isinstance(row, RowError):
                    errors.append(row)
                else:
                    try:
                        batch.append((number, validate(row, actor=actor, today=today)))
                    except ValidationError as exc:
                        errors.extend(
                            RowError(number, name, str(msg))
                            for name, msgs in exc.message_dict.items()
                            for msg in msgs
                        )
                if len(batch) >= batch_size:
                    signals, found = _import_batch(batch, actor, organisation, errors, signals)
                    matches |= found
                    batch = []
                    if progress:
                        progress(number)
                if len(errors) >= max_errors:
                    break
            if batch:
                signals, found = _import_batch(batch, actor, organisation, errors, signals)
                matches |= found
            if progress:
                progress(total)
            if errors:
                raise ImportRejected(errors, total)
            record(
                actor,
                "involvement.import_completed",
                purpose=Purpose.COORDINATION,
                organisation=organisation.name,
                role=Role.INDEX_REPORTER,
                data={"signals": signals, "matches": len(matches)},
            )
    except ImportRejected:
        with transaction.atomic():
            record(
                actor,
                "involvement.import_rejected",
                outcome=Entry.Outcome.FAILURE,
                purpose=Purpose.COORDINATION,
                organisation=organisation.name,
                data={"rows": total, "errors": len(errors)},
            )
        raise
    return ImportResult(signals=signals, matches=len(matches))


def _import_batch(
    batch: list[tuple[int, CleanSignal]],
    actor: User,
    organisation: Organisation,
    errors: list[RowError],
    inserted: int,
) -> tuple[int, set[int]]:
    """Check one batch against the index and, while the file is still clean, insert it
    and match the rows that meet another signal. Returns the new count and match ids."""
    youths = [c.youth_pseudonym for _n, c in batch]
    parents = sorted({p for _n, c in batch for p in c.parent_pseudonyms})
    known_youths: dict[str, set[int]] = {}
    for youth, reporter_id in _active_by_youth(youths):
        known_youths.setdefault(youth, set()).add(reporter_id)
    known_parents: dict[str, set[str]] = {}
    if parents:
        for _pk, youth, p1, p2 in active_with_parents(parents):
            for p in (p1, p2):
                if p:
                    known_parents.setdefault(p, set()).add(youth)
    to_match: list[int] = []
    for index, (number, clean) in enumerate(batch):
        reporters = known_youths.setdefault(clean.youth_pseudonym, set())
        if actor.pk in reporters:
            errors.append(RowError(number, "bsn", str(duplicate_error().messages[0])))
            continue
        hit = bool(reporters) or any(
            known_parents.get(p, set()) - {clean.youth_pseudonym} for p in clean.parent_pseudonyms
        )
        reporters.add(actor.pk)
        for p in clean.parent_pseudonyms:
            known_parents.setdefault(p, set()).add(clean.youth_pseudonym)
        if hit:
            to_match.append(index)
    if errors:
        return inserted, set()
    with connection.cursor() as cursor:
        cursor.executemany(insert_sql(), signal_rows([c for _n, c in batch], actor, organisation))
    found: set[int] = set()
    if to_match:
        from rits.involvement.bulk_matching import match_many

        order = {batch[i][1].youth_pseudonym: n for n, i in enumerate(to_match)}
        fresh = sorted(
            Signal.objects.active()
            .filter(reporter=actor, youth_pseudonym__in=list(order))
            .only("pk", "youth_pseudonym", "parent1_pseudonym", "parent2_pseudonym"),
            key=lambda s: order[s.youth_pseudonym],
        )
        found = match_many(fresh, actor=actor)
    return inserted + len(batch), found


def _active_ids_by_youth(youths: list[str]) -> list[tuple[int, str]]:
    """(pk, youth) of active signals for many youths at once."""
    return [(pk, youth) for youth, _reporter, pk in _active_rows_by_youth(youths)]


def _active_by_youth(youths: list[str]) -> list[tuple[str, int]]:
    """(youth, reporter) of active signals for many youths at once."""
    return [(youth, reporter) for youth, reporter, _pk in _active_rows_by_youth(youths)]


def _active_rows_by_youth(youths: list[str]) -> list[tuple[str, int, int]]:
    """(youth, reporter, pk) of active signals for many youths at once: plain SQL, since
    building thousands of ORM lookup parameters costs more than the query itself."""
    table = connection.ops.quote_name(Signal._meta.db_table)
    found: list[tuple[str, int, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(youths), 900):
            chunk = youths[start : start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT youth_pseudonym, reporter_id, id FROM {table} "  # noqa: S608
                f"WHERE youth_pseudonym IN ({marks}) AND status = %s",
                [*chunk, Signal.Status.ACTIVE.value],
            )
            found.extend(cursor.fetchall())
    return found


# The columns a bulk insert writes; the others keep their database defaults (NULL).
_INSERT_FIELDS = (
    "youth_pseudonym",
    "parent1_pseudonym",
    "parent2_pseudonym",
    "birth_date",
    "municipality",
    "reporter",
    "organisation",
    "contact_name",
    "contact_phone",
    "contact_email",
    "own_reference",
    "youth_informed",
    "parents_informed",
    "informing_postponed",
    "registered_at",
    "ends_on",
    "status",
)


def insert_sql() -> str:
    """One prepared INSERT for many rows (executemany): the bulk import uses it, and the
    benchmark's bare baseline uses exactly the same statement."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Signal._meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in _INSERT_FIELDS
    )
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    return f"INSERT INTO {quote(Signal._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def signal_rows(
    cleans: Iterable[CleanSignal], actor: User, organisation: Organisation
) -> list[tuple[Any, ...]]:
    """Parameter tuples for ``insert_sql``, adapted for the database in use."""
    ops = connection.ops
    registered = ops.adapt_datetimefield_value(timezone.now())
    day = ops.adapt_datefield_value
    rows = []
    for c in cleans:
        parents = (*c.parent_pseudonyms, "", "")
        rows.append(
            (
                c.youth_pseudonym,
                parents[0],
                parents[1],
                day(c.birth_date),
                c.municipality_id,
                actor.pk,
                organisation.pk,
                c.contact_name,
                c.contact_phone,
                c.contact_email,
                c.own_reference,
                c.youth_informed,
                c.parents_informed,
                c.informing_postponed,
                registered,
                day(c.ends_on),
                Signal.Status.ACTIVE.value,
            )
        )
    return rows
