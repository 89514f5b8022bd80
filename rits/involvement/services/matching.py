"""Matching new signals against the index: one registration or a whole import batch.

Both paths use this module, so a signal registered by hand and the same signal in a
file end up in the same matches, with the same members and the same messages.

The work is set-based: whatever the number of new signals, a call costs a fixed
number of statements (read the live matches the signals meet and their members;
write new matches, members, reopened matches and notifications). The statements are
in ``sql``: one registration has to stay within a few milliseconds, and at national
volumes a file of a few hundred thousand rows meets thousands of matches, where
building a model instance per row would cost more than the statements themselves.

The caller writes the audit entry, in the same transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rits.accounts.notifications import Message, notify_many
from rits.involvement.models import Match, Signal, signal_reference
from rits.involvement.services import sql

LIVE = (Match.Status.OPEN.value, Match.Status.SETTLED.value)
KINDS = (Match.Kind.CLIENT.value, Match.Kind.FAMILY.value)


@dataclass(frozen=True, slots=True)
class NewSignal:
    """A signal just inserted, as matching needs it."""

    pk: int
    youth: str
    parents: tuple[str, ...]


# kind -> new signal id -> (the match key, the other active signals it meets)
Related = dict[str, dict[int, tuple[str, list[int]]]]


@dataclass(frozen=True, slots=True)
class Member:
    """An active signal in a match: what the other professionals may see of it (contact
    details, and only that), and where its own reporter is told."""

    signal_id: int
    reporter_id: int
    name: str
    organisation: str
    phone: str
    email: str
    reporter_email: str
    language: str

    @classmethod
    def of(cls, signal: Signal) -> Member:
        """From a signal loaded with its organisation (and, for the language, reporter)."""
        reporter = signal.reporter if "reporter" in signal._state.fields_cache else None
        return cls(
            signal_id=signal.pk,
            reporter_id=signal.reporter_id,
            name=signal.contact_name,
            organisation=signal.organisation.name,
            phone=signal.contact_phone,
            email=signal.contact_email,
            reporter_email=reporter.email if reporter else "",
            language=reporter.preferred_language if reporter else "",
        )

    @property
    def reference(self) -> str:
        return signal_reference(self.signal_id)

    @property
    def contact(self) -> str:
        return contact_text(self.name, self.organisation, self.phone, self.email)


@dataclass
class Touched:
    """A match that gained members in this call."""

    pk: int
    kind: str
    key: str
    created: bool
    created_at: datetime
    coordinator_id: int | None
    members: list[Member] = field(default_factory=list)

    def as_match(self, now: datetime) -> Match:
        """The match as it now stands in the database (a new or a reopened match is open)."""
        match = Match(
            id=self.pk,
            kind=self.kind,
            key=self.key,
            status=Match.Status.OPEN,
            created_at=self.created_at,
            awaiting_since=now,
            coordinator_id=self.coordinator_id,
        )
        match._state.adding = False
        match._state.db = connection.alias
        return match


@dataclass
class Outcome:
    touched: list[Touched] = field(default_factory=list)

    def ids(self, kind: str, *, created: bool) -> list[int]:
        return [t.pk for t in self.touched if t.kind == kind and t.created == created]

    def audit_data(self) -> dict[str, list[int]]:
        """For the caller's audit entry: which matches were found and which were joined."""
        data = {}
        for kind in KINDS:
            if found := self.ids(kind, created=True):
                data[f"{kind}_matches_found"] = found
            if joined := self.ids(kind, created=False):
                data[f"{kind}_matches_joined"] = joined
        return data


def contact_text(name: str, organisation: str, phone: str, email: str) -> str:
    return " — ".join(p for p in (name, organisation, phone, email) if p)


# --- Who meets whom ------------------------------------------------------------------


def related(signals: Sequence[NewSignal], active: Iterable[Sequence[Any]]) -> Related:
    """Which other signals each new one meets.

    ``active`` holds (id, youth, parent1, parent2, ...) of the active signals that share
    a youth or a parent with the new ones; the new ones may be among them, and a row
    may come twice. Client: the same youth. Family: another youth with a shared
    parent; the key is the lowest such parent.
    """
    rows = {row[0]: (row[1], row[2], row[3]) for row in active}
    by_youth: dict[str, list[int]] = {}
    by_parent: dict[str, list[tuple[int, str]]] = {}
    for pk, (youth, p1, p2) in rows.items():
        by_youth.setdefault(youth, []).append(pk)
        for p in {p1, p2} - {""}:
            by_parent.setdefault(p, []).append((pk, youth))
    client: dict[int, tuple[str, list[int]]] = {}
    family: dict[int, tuple[str, list[int]]] = {}
    for s in signals:
        others = sorted(pk for pk in by_youth.get(s.youth, ()) if pk != s.pk)
        if others:
            client[s.pk] = (s.youth, others)
        meets = {
            p: {pk for pk, youth in by_parent[p] if youth != s.youth}
            for p in s.parents
            if p in by_parent
        }
        meets = {p: pks for p, pks in meets.items() if pks}
        if meets:
            family[s.pk] = (min(meets), sorted(set().union(*meets.values())))
    return {Match.Kind.CLIENT.value: client, Match.Kind.FAMILY.value: family}


# --- Reading and writing -------------------------------------------------------------


def _aware(value: datetime) -> datetime:
    """SQLite hands plain SQL a naive datetime; Django stores it in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def apply(signals: Sequence[NewSignal], found: Related, *, now: datetime) -> Outcome:
    """Join each new signal to the live match of the signals it meets, or start one;
    then tell everyone involved who the others are.

    Steps: read the live matches the signals and their relatives are in, with all
    their members; decide in memory, in the order of ``signals``, client matches
    before family matches; then write new matches, members and reopened matches, and
    the notifications (in-app now, e-mail after commit).
    """
    outcome = Outcome()
    involved = sorted(
        {pk for by_kind in found.values() for pk in by_kind}
        | {pk for by_kind in found.values() for _key, others in by_kind.values() for pk in others}
    )
    if not involved:
        return outcome
    with connection.cursor() as cursor:
        rows = sql.live_matches_of(cursor, involved, LIVE)
        live: dict[int, Touched] = {}
        in_match: dict[str, dict[int, set[int]]] = {kind: {} for kind in KINDS}
        for signal_id, match_id, kind, key, created_at, coordinator_id in rows:
            in_match[kind].setdefault(signal_id, set()).add(match_id)
            live[match_id] = Touched(match_id, kind, key, False, _aware(created_at), coordinator_id)
        members: dict[int, set[int]] = {pk: set() for pk in live}
        for match_id, signal_id in sql.members_of(cursor, sorted(live)):
            members[match_id].add(signal_id)
        # Decide in memory. New matches get negative handles until they have an id.
        newcomers: dict[int, list[int]] = {}
        pending: dict[int, Touched] = dict(live)
        next_handle = -1
        for kind in KINDS:
            handles = {pk: set(ms) for pk, ms in in_match[kind].items()}
            for s in signals:
                if s.pk not in found[kind]:
                    continue
                key, others = found[kind][s.pk]
                group = [*others, s.pk]
                candidates = set().union(*(handles.get(pk, set()) for pk in group))
                if candidates:
                    handle = min(candidates, key=lambda h: (h < 0, abs(h)))
                else:
                    handle, next_handle = next_handle, next_handle - 1
                    pending[handle] = Touched(handle, kind, key, True, now, None)
                    members[handle] = set()
                new = [pk for pk in group if pk not in members[handle]]
                members[handle].update(new)
                newcomers.setdefault(handle, []).extend(new)
                for pk in group:
                    handles.setdefault(pk, set()).add(handle)
        outcome.touched = [pending[h] for h in newcomers if newcomers[h]]
        if not outcome.touched:
            return outcome
        _insert_matches(cursor, [t for t in outcome.touched if t.created], now)
        ids = {h: pending[h].pk for h in newcomers}
        stamp = connection.ops.adapt_datetimefield_value(now)
        sql.insert_members(
            cursor, [(ids[h], pk, stamp) for h, pks in newcomers.items() for pk in pks]
        )
        # Someone new is involved: the agreement has to be made again, with them.
        reopened = [t.pk for t in outcome.touched if not t.created]
        if reopened:
            sql.reopen_matches(cursor, reopened, Match.Status.OPEN.value, stamp)
        _notify(
            cursor,
            outcome.touched,
            newcomers={ids[h]: pks for h, pks in newcomers.items()},
            members={ids[h]: members[h] for h in newcomers},
        )
    return outcome


def _insert_matches(cursor: Any, created: list[Touched], now: datetime) -> None:
    """Insert the new matches and give each its id, checking that the database
    returned them in the order given."""
    if not created:
        return
    stamp = connection.ops.adapt_datetimefield_value(now)
    returned = sql.insert_matches(
        cursor, [(t.kind, t.key) for t in created], Match.Status.OPEN.value, stamp
    )
    if [(k, key) for _id, k, key in returned] != [(t.kind, t.key) for t in created]:
        raise RuntimeError("The database returned new matches out of order.")
    for t, (pk, _k, _key) in zip(created, returned, strict=True):
        t.pk = pk


def _notify(
    cursor: Any,
    touched: list[Touched],
    *,
    newcomers: dict[int, list[int]],
    members: dict[int, set[int]],
) -> None:
    """Tell every professional in a touched match about the others: in-app now, by
    e-mail once the transaction commits (a rolled-back change never mails anyone).

    ``newcomers`` and ``members`` are signal ids per match id."""
    wanted = sorted({pk for t in touched for pk in members[t.pk]})
    # The status is checked here, not in the statement (see ``sql.contacts_of``).
    found = {
        row[0]: Member(*row[:-1])
        for row in sql.contacts_of(cursor, wanted)
        if row[-1] == Signal.Status.ACTIVE
    }
    messages: list[Message] = []
    for t in touched:
        t.members = [found[pk] for pk in sorted(members[t.pk]) if pk in found]
        fresh = None if t.created else set(newcomers[t.pk])
        for member, title, body, url in match_messages(t.kind, t.pk, t.members, fresh):
            messages.append(
                Message(
                    member.reporter_id, member.reporter_email, "involvement.match", title, body, url
                )
            )
    notify_many(messages)


def match_messages(
    kind: str, match_id: int, members: list[Member], newcomer_ids: set[int] | None
) -> list[tuple[Member, str, str, str]]:
    """(recipient, title, body, url) for a match: each professional gets the contact
    details of the others, and only that.

    A new match (``newcomer_ids`` None): everyone hears of everyone. Someone joined:
    the newcomers hear of everyone, the others hear of the newcomers.
    """
    url = reverse("involvement:match", args=[match_id])
    by_reporter: dict[int, list[Member]] = {}
    for m in members:
        by_reporter.setdefault(m.reporter_id, []).append(m)
    messages = []
    for reporter_id, own in by_reporter.items():
        is_new = newcomer_ids is None or any(m.signal_id in newcomer_ids for m in own)
        others = [
            m
            for m in members
            if m.reporter_id != reporter_id and (is_new or m.signal_id in (newcomer_ids or set()))
        ]
        if not others:
            continue
        recipient = own[0]
        title, also, agree = _message_texts(kind, recipient.language or settings.LANGUAGE_CODE)
        title %= {"refs": ", ".join(m.reference for m in own)}
        lines = [also, *(f"- {m.contact}" for m in others), "", agree]
        messages.append((recipient, title, "\n".join(lines), url))
    return messages


@functools.cache
def _message_texts(kind: str, language: str) -> tuple[str, str, str]:
    """The fixed texts of a match message in one language: (title with %(refs)s, the
    line before the contacts, the closing line). Kept, since every match sends them and
    switching the language per recipient cost more than the rest of the message."""
    with translation.override(language):
        if kind == Match.Kind.CLIENT:
            title = _("Match: someone else is involved with the youth of %(refs)s")
        else:
            title = _("Family match: someone is involved with the family of %(refs)s")
        agree = pgettext(
            "involvement", "Agree together who coordinates and confirm that you have been in touch."
        )
        return title, _("Also involved:"), agree
