"""Writing to the audit trail. Call ``record`` inside the transaction of the change
it describes, so the entry and the change commit or roll back together."""

from __future__ import annotations

import itertools
import json
import os
import threading
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from rits.audit import context, registry
from rits.audit.models import Entry, genesis_hash

if TYPE_CHECKING:
    from rits.accounts.models import Membership, User
    from rits.audit.search import TrailFilters

# The advisory lock of lane n is CHAIN_LOCK_KEY + n on PostgreSQL. A large, distinctive
# 64-bit key, so it cannot collide with small keys other code may lock.
CHAIN_LOCK_KEY = 7513_2026_0000_0001


_writer = threading.local()
_writers = itertools.count()


def _preferred_lane(lanes: int) -> int:
    """The lane this thread waits for when every lane is busy: threads of one process
    take consecutive lanes from an offset of the process id, so waiting writers spread
    over the lanes instead of queueing on one."""
    pid = os.getpid()
    # Keyed by the process too: a worker forked from a process that wrote keeps its
    # parent's thread-locals, and must not share its parent's lane.
    mine: tuple[int, int] | None = getattr(_writer, "lane", None)
    if mine is None or mine[0] != pid:
        mine = (pid, zlib.crc32(str(pid).encode()) + next(_writers))
        _writer.lane = mine
    return mine[1] % lanes


def _take_lane() -> int:
    """Take one chain lane until the surrounding transaction ends, and return it.

    PostgreSQL: a transaction-scoped advisory lock per lane. One statement takes the
    lowest free lane without waiting (should it lock a second one on the way, that
    lane is merely held a little longer; the entry goes into the lane returned), so a
    lone writer always writes lane 0 and concurrent writers spread over the next
    ones. Only when every lane is busy does the writer wait, for its own preferred
    lane. The lane's last hash is read after the lock is granted, by a statement of
    its own, which sees the previous holder's commit only under READ COMMITTED
    (Django's default; ``rits.audit`` checks the setting).
    SQLite: transactions start IMMEDIATE (settings; also checked), so the one write
    lock is already held by the time the last hash is read: there is nothing to
    spread, and every entry goes into lane 0.
    """
    if connection.vendor != "postgresql":
        return 0
    lanes = settings.RITS_AUDIT_LANES
    with connection.cursor() as cursor:
        if lanes == 1:
            # One lane is the single chain: wait for it.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            return 0
        cursor.execute(
            "SELECT lane FROM generate_series(0, %s) AS lane "
            "WHERE pg_try_advisory_xact_lock(%s + lane) LIMIT 1",
            [lanes - 1, CHAIN_LOCK_KEY],
        )
        row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        preferred = _preferred_lane(lanes)
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY + preferred])
    return preferred


def _clean_ip(value: str | None) -> str | None:
    """The address as the database will hand it back (IPv6 compressed), or None.

    The hash is computed before the insert and checked against the stored row later,
    so the value hashed must be the value stored; an unparseable address (a proxy
    header gone wrong) must not make the insert, and with it the user's action, fail.
    """
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    cleaned = Entry._meta.get_field("ip_address").to_python(value)
    return str(cleaned) if cleaned else None


def _clean_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """A JSON round trip: what is hashed is exactly what the database returns
    (keys as strings, tuples as lists), and the caller's dict is not shared."""
    cleaned: dict[str, Any] = json.loads(json.dumps(data or {}))
    return cleaned


def _last_hash(lane: int) -> str | None:
    """The hash of the lane's newest entry (read under the lane's lock)."""
    return (
        Entry.objects.filter(lane=lane).order_by("-id").values_list("entry_hash", flat=True).first()
    )


_OUTCOMES = frozenset(Entry.Outcome.values)
_PURPOSES = frozenset(Entry.Purpose.values)


@dataclass(frozen=True)
class ActingAs:
    organisation: str
    role: str
    on_behalf_of: str


# Who acts when nobody is logged in: a scheduled job or command, or someone anonymous
# on the site or the API (a failed login, a public page).
SYSTEM = ActingAs("", "system", "Rits")
ANONYMOUS = ActingAs("", "anonymous", "anonymous")
# Family and network members act for themselves, not for an organisation.
SELF = "self"


def acting_as(actor: User | None, channel: str = "") -> ActingAs:
    """The organisation, role and "on behalf of" of an entry whose caller named none.

    A professional acts for the organisation of their first active membership, in its
    role (read once per user object); a family or network member acts for themselves.
    """
    if actor is None:
        return ANONYMOUS if channel in ("web", "api") else SYSTEM
    if actor.kind != "professional":
        return ActingAs("", actor.kind, SELF)
    cached: ActingAs | None = getattr(actor, "_acting_as_cache", None)
    if cached is None:
        membership = (
            actor.memberships.filter(active=True)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if membership is None:
            cached = ActingAs("", actor.kind, SELF)
        else:
            name = membership.organisation.name
            cached = ActingAs(name, membership.role, name)
        actor._acting_as_cache = cached  # type: ignore[attr-defined]
    return cached


def record(
    actor: User | None,
    event: str,
    obj: Model | None = None,
    *,
    outcome: str = Entry.Outcome.SUCCESS,
    subject: str = "",
    purpose: str = "",
    on_behalf_of: str = "",
    organisation: str = "",
    role: str = "",
    object_type: str = "",
    object_id: str | int = "",
    object_label: str = "",
    data: dict[str, Any] | None = None,
) -> Entry:
    """Append one entry to the trail and return it.

    Steps, in this order: check the event code and values; take a chain lane; read
    that lane's last hash; stamp the time; compute this entry's hash; insert.
    ``subject`` is a pseudonym, never a BSN (see ``rits.lib.pseudonyms``).
    """
    registry.check(event)
    if outcome not in _OUTCOMES:
        raise ValueError(f"Unknown audit outcome {outcome!r}.")
    if purpose and purpose not in _PURPOSES:
        raise ValueError(f"Unknown audit purpose {purpose!r}.")
    point = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    actor_label = ""
    if actor is not None and getattr(actor, "pk", None) is not None:
        actor_label = f"{actor.get_full_name()} <{actor.email}>"[:200]
    else:
        actor = None
    # NEN 7513: every entry says for which organisation, in which role and on whose
    # behalf the user acted; callers that know better (a care-team membership, an
    # emergency grant) say so, the others get the user's own standing.
    if not (organisation and role and on_behalf_of):
        own = acting_as(actor, point.channel)
        organisation = organisation or own.organisation
        role = role or own.role
        on_behalf_of = on_behalf_of or own.on_behalf_of
    values: dict[str, Any] = {
        "event": event,
        "outcome": outcome,
        "actor": actor,
        "actor_label": actor_label,
        "on_behalf_of": on_behalf_of[:200],
        "organisation": organisation[:200],
        "role": role[:50],
        "subject": subject[:100],
        "object_type": object_type[:80],
        "object_id": str(object_id)[:64],
        "object_label": object_label[:200],
        "ip_address": _clean_ip(point.ip_address),
        "user_agent": point.user_agent[:300],
        "channel": point.channel[:20],
        "request_id": point.request_id[:32],
        "purpose": purpose,
        "data": _clean_data(data),
    }
    # Inside the caller's transaction no savepoint of its own (two statements fewer per
    # entry): if the entry fails, the change it describes must roll back with it anyway.
    with transaction.atomic(savepoint=False):
        lane = _take_lane()
        previous = _last_hash(lane)
        # The time is taken under the lock, so each lane's order is also time order.
        entry = Entry(
            **values,
            occurred_at=timezone.now(),
            lane=lane,
            previous_hash=previous or genesis_hash(lane),
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def record_trail_read(
    *,
    actor: User,
    reader: Membership,
    filters: TrailFilters,
    exported: bool = False,
    results: int | None = None,
    page: int | None = None,
    extra: dict[str, Any] | None = None,
) -> Entry:
    """Audit a search or export of the trail itself, with the filters used.

    The subject filter is already a pseudonym (``TrailFilters``), so the entry, like
    the page, never holds a BSN; the entry's subject is that pseudonym, which puts
    the search in the searched person's own access log.
    """
    data: dict[str, Any] = {"filters": filters.as_data(), **(extra or {})}
    if results is not None:
        data["results"] = results
    if page is not None:
        data["page"] = page
    return record(
        actor,
        "audit.trail_exported" if exported else "audit.trail_searched",
        subject=filters.subject,
        purpose=Entry.Purpose.ACCOUNTABILITY,
        organisation=reader.organisation.name,
        role=reader.role,
        data=data,
    )


def lane_heads() -> dict[int, tuple[int, str]]:
    """The newest committed entry (id and hash) of every lane that has one.

    One indexed lookup per lane (``audit_lane_id``), so the cost does not grow with the
    trail.
    """
    heads: dict[int, tuple[int, str]] = {}
    for lane in range(settings.RITS_AUDIT_LANES):
        head = (
            Entry.objects.filter(lane=lane).order_by("-id").values_list("id", "entry_hash").first()
        )
        if head is not None:
            heads[lane] = head
    return heads


def anchor() -> Entry:
    """Tie the lanes together: one entry that names the head of every lane.

    Run periodically (``manage.py anchor_audit_chain``). Each anchor is itself an
    entry of some lane, so it is chained and hashed like any other; the verifier then
    checks that every head it names is still there with that hash. Removing or
    rewriting the end of one lane is thereby found as soon as a later anchor (in any
    lane) named it. The heads are read without locks, so a lane written at that very
    moment is named a little behind its newest entry, which the next anchor catches up.
    """
    heads = lane_heads()
    return record(
        None,
        "audit.chain_anchored",
        purpose=Entry.Purpose.ACCOUNTABILITY,
        data={"heads": {str(lane): [pk, digest] for lane, (pk, digest) in heads.items()}},
    )
