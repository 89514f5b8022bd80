"""Registering a signal and matching it: client matches (same youth) and family
matches (a shared parent), with the notifications that tell each professional
who the others are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rits.accounts.models import Organisation, User
from rits.accounts.notifications import notify
from rits.audit.services import record
from rits.involvement.models import Match, MatchMember, Signal
from rits.involvement.services.validation import (
    Purpose,
    Role,
    SignalInput,
    _new_signal,
    authorise_reporter,
    duplicate_error,
    validate,
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
