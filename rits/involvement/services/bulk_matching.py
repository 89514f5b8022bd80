"""Matching many new signals at once, for the bulk import.

The outcome is the same as ``services.match_signal`` for each signal in turn (same
matches, same members, same notifications), but a batch costs a fixed number of
queries instead of about fifteen per match: at national volumes a file of a few
hundred thousand rows meets thousands of matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from rits.accounts.models import Notification, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.models import Match, MatchMember, Signal
from rits.involvement.services.bulk_import import _active_ids_by_youth
from rits.involvement.services.registration import active_with_parents, match_messages

LIVE = (Match.Status.OPEN, Match.Status.SETTLED)


@dataclass
class _Pending:
    match: Match
    created: bool
    members: set[int]
    newcomers: list[int] = field(default_factory=list)


def match_many(signals: list[Signal], *, actor: User) -> set[int]:
    """Client and family matches for new signals already inserted; returns match ids."""
    if not signals:
        return set()
    found: set[int] = set()
    for kind, related in (
        (Match.Kind.CLIENT, _client_related(signals)),
        (Match.Kind.FAMILY, _family_related(signals)),
    ):
        if related:
            found |= _apply(kind, signals, related, actor=actor)
    return found


def _client_related(signals: list[Signal]) -> dict[int, tuple[str, list[int]]]:
    """New signal id -> (key, other active signals for the same youth)."""
    by_youth: dict[str, list[int]] = {}
    for pk, youth in _active_ids_by_youth(sorted({s.youth_pseudonym for s in signals})):
        by_youth.setdefault(youth, []).append(pk)
    related = {}
    for s in signals:
        others = [pk for pk in by_youth.get(s.youth_pseudonym, []) if pk != s.pk]
        if others:
            related[s.pk] = (s.youth_pseudonym, others)
    return related


def _family_related(signals: list[Signal]) -> dict[int, tuple[str, list[int]]]:
    """New signal id -> (a shared parent, active signals of other youths with that parent)."""
    parents = sorted({p for s in signals for p in s.parent_pseudonyms})
    if not parents:
        return {}
    by_parent: dict[str, list[tuple[int, str]]] = {}
    for pk, youth, p1, p2 in active_with_parents(parents):
        for p in {p1, p2} - {""}:
            by_parent.setdefault(p, []).append((pk, youth))
    related = {}
    for s in signals:
        shared = sorted(p for p in s.parent_pseudonyms if p in by_parent)
        others = sorted(
            {pk for p in shared for pk, youth in by_parent[p] if youth != s.youth_pseudonym}
        )
        if others:
            key = min(p for p in shared if any(y != s.youth_pseudonym for _pk, y in by_parent[p]))
            related[s.pk] = (key, others)
    return related


def _apply(
    kind: str,
    signals: list[Signal],
    related: dict[int, tuple[str, list[int]]],
    *,
    actor: User,
) -> set[int]:
    """Join each new signal to the live match of its relatives, or start one.

    Steps: read the live matches the signals and their relatives are in, and all
    their members; decide in memory, in file order; then write new matches, members,
    reopened matches, one audit entry and the notifications.
    """
    now = timezone.now()
    involved = {pk for _key, others in related.values() for pk in others} | set(related)
    in_match: dict[int, set[int]] = {}
    for match_id, signal_id in MatchMember.objects.filter(
        match__kind=kind, match__status__in=LIVE, signal_id__in=sorted(involved)
    ).values_list("match_id", "signal_id"):
        in_match.setdefault(signal_id, set()).add(match_id)
    existing_ids = sorted({m for ms in in_match.values() for m in ms})
    pending: dict[int, _Pending] = {}
    for match in Match.objects.filter(pk__in=existing_ids):
        pending[match.pk] = _Pending(match=match, created=False, members=set())
    for match_id, signal_id in MatchMember.objects.filter(match_id__in=existing_ids).values_list(
        "match_id", "signal_id"
    ):
        pending[match_id].members.add(signal_id)
    # New matches get negative handles until the database gives them an id.
    next_handle = -1
    handles: dict[int, set[int]] = {pk: set(ms) for pk, ms in in_match.items()}
    for s in signals:
        if s.pk not in related:
            continue
        key, others = related[s.pk]
        group = [*others, s.pk]
        candidates = set().union(*(handles.get(pk, set()) for pk in group))
        if candidates:
            handle = min(candidates, key=lambda h: (h < 0, abs(h)))
        else:
            handle = next_handle
            next_handle -= 1
            pending[handle] = _Pending(
                match=Match(kind=kind, key=key, created_at=now, awaiting_since=now),
                created=True,
                members=set(),
            )
        entry = pending[handle]
        newcomers = [pk for pk in group if pk not in entry.members]
        entry.members.update(newcomers)
        entry.newcomers.extend(newcomers)
        for pk in group:
            handles.setdefault(pk, set()).add(handle)
    touched = [p for p in pending.values() if p.newcomers]
    if not touched:
        return set()
    Match.objects.bulk_create([p.match for p in touched if p.created])
    MatchMember.objects.bulk_create(
        [
            MatchMember(match=p.match, signal_id=pk, joined_at=now)
            for p in touched
            for pk in p.newcomers
        ]
    )
    reopened = [p.match.pk for p in touched if not p.created]
    if reopened:
        Match.objects.filter(pk__in=reopened).update(
            status=Match.Status.OPEN,
            awaiting_since=now,
            in_touch_at=None,
            in_touch_by=None,
            escalated_at=None,
        )
    record(
        actor,
        "involvement.match_found",
        purpose=Entry.Purpose.COORDINATION,
        object_type="involvement.match",
        data={
            "kind": kind,
            "found": [p.match.pk for p in touched if p.created],
            "joined": reopened,
        },
    )
    _notify(touched)
    return {p.match.pk for p in touched}


def _notify(touched: list[_Pending]) -> None:
    """The same messages as one-by-one matching: in-app now, e-mail after commit."""
    member_ids = {pk for p in touched for pk in p.members}
    signals = {
        s.pk: s
        for s in Signal.objects.active()
        .filter(pk__in=sorted(member_ids))
        .select_related("organisation", "reporter")
    }
    notifications = []
    mails = []
    for p in touched:
        members = sorted((signals[pk] for pk in p.members if pk in signals), key=lambda s: s.pk)
        newcomers = None if p.created else set(p.newcomers)
        for user, title, body, url in match_messages(p.match, members, newcomers):
            notifications.append(
                Notification(
                    user=user, kind="involvement.match", title=title[:200], body=body, url=url
                )
            )
            mails.append(
                (
                    f"Rits: {title}"[:200],
                    f"{body}\n\n{settings.SITE_URL}{url}\n",
                    None,
                    [user.email],
                )
            )
    Notification.objects.bulk_create(notifications)
    send: Callable[[], object] = partial(send_mass_mail, tuple(mails), fail_silently=True)
    transaction.on_commit(send)
