"""Every plain SQL statement of the involvement index, and why there are any.

Registering a signal, matching and the bulk import run at national volumes: ten
million signals kept, a registration within a few milliseconds, a file of a few
hundred thousand rows within three times a bare insert (``bench_involvement``). On
those paths the ORM's cost of building a query and a model instance per row is larger
than the indexed statements themselves, and the ORM cannot say what the lookups need:
the pseudonyms are found through partial indexes on an expression (their key, one index
of active and one of ended signals, ``models.KEY_INDEXES``) that SQLite must be told to
use by name (``INDEXED BY``), with the status written out rather than passed as a
parameter, so that the planner may use an index of active signals alone. So these
statements are written out here, and only here; everything else uses the ORM.

Callers: ``index`` (the key lookups and the insert of registering, importing and the
rights overview), ``matching`` (the set-based matching) and ``bulk_import`` (the batched
insert). Table and column names come from the models through ``quote_name``; values are
always parameters. Only placeholders, a key length and the fixed status are spelt into
the text, which is why the S608 rule (SQL built from strings) is off for this file.
"""

# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection

from rits.accounts.models import Organisation, User
from rits.involvement.models import (
    KEY_INDEXES,
    KEY_LENGTH,
    PSEUDONYM_FIELDS,
    Match,
    MatchMember,
    Signal,
)

ACTIVE = Signal.Status.ACTIVE.value
# Values per IN list: within SQLite's limit on parameters, whatever its build.
CHUNK = 900

# The columns an insert writes; the others keep their database defaults (NULL).
INSERT_FIELDS = (
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


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size``, for IN lists."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def _select_in(cursor: Any, sql: str, ids: Sequence[int], *extra: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` (with ``{ids}`` for an IN list) for ``ids`` in chunks; all rows."""
    found: list[tuple[Any, ...]] = []
    for chunk in chunks(ids):
        cursor.execute(sql.format(ids=_marks(len(chunk))), [*chunk, *extra])
        found.extend(cursor.fetchall())
    return found


# --- Signals: the insert --------------------------------------------------------------


def insert_sql() -> str:
    """One prepared INSERT for many rows (executemany): the bulk import uses it, and the
    benchmark's bare baseline uses exactly the same statement."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Signal._meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in INSERT_FIELDS
    )
    return f"INSERT INTO {_table(Signal)} ({columns}) VALUES ({_marks(len(INSERT_FIELDS))})"


def insert_one(cursor: Any, row: tuple[Any, ...]) -> int:
    """Insert one signal with ``insert_sql`` and return its id (both supported databases
    return it from the INSERT itself)."""
    cursor.execute(f"{insert_sql()} RETURNING id", row)
    pk: int = cursor.fetchone()[0]
    return pk


def insert_many(rows: list[tuple[Any, ...]]) -> None:
    """Insert many signals with one executemany of ``insert_sql``."""
    with connection.cursor() as cursor:
        cursor.executemany(insert_sql(), rows)


# --- Signals: lookups by pseudonym key ------------------------------------------------


def key_sql(column: str) -> str:
    """The indexed key of a pseudonym column (``models.pseudonym_key``), spelt as the
    database spells the index's expression, so that the planner uses that index."""
    function = "SUBSTRING" if connection.vendor == "postgresql" else "SUBSTR"
    return f"{function}({column}, 1, {KEY_LENGTH})"


def searching(column: str, count: int, *, active: bool = True) -> str:
    """FROM and WHERE for the active (or ended) signals with one of ``count`` keys in
    ``column``, on that column's index of active (or ended) signals
    (``models.KEY_INDEXES``).

    Only the key is in the WHERE clause: with the whole pseudonym in it too, SQLite puts
    its value into the key expression and can no longer use the key's index; the
    caller compares the whole pseudonym. The status is written out, not a parameter:
    only then may the planner use an index of active or of ended signals alone. SQLite
    is also told which index (INDEXED BY, an error if it cannot): without statistics it
    might otherwise walk the status index.
    """
    hint = f" INDEXED BY {KEY_INDEXES[column, active]}" if connection.vendor == "sqlite" else ""
    status = f"status = '{ACTIVE}'" if active else f"NOT (status = '{ACTIVE}')"
    return f"FROM {_table(Signal)}{hint} WHERE {key_sql(column)} IN ({_marks(count)}) AND {status}"


_ROW = "SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym, reporter_id "


def active_by_youth_or_parent(
    cursor: Any, youth_key: str, parent_keys: Sequence[str]
) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of the active signals with this youth key
    or naming one of these parent keys, in one statement.

    A UNION of indexed lookups rather than one OR: SQLite's planner would otherwise
    scan every signal.
    """
    sql = _ROW + searching("youth_pseudonym", 1)
    params: list[Any] = [youth_key]
    if parent_keys:
        for column in PSEUDONYM_FIELDS[1:]:
            sql += f" UNION {_ROW}{searching(column, len(parent_keys))}"
            params += parent_keys
    cursor.execute(sql, params)
    rows: list[tuple[int, str, str, str, int]] = cursor.fetchall()
    return rows


def active_by_youth(cursor: Any, youth_keys: Sequence[str]) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of the active signals with one of these
    youth keys (at most ``CHUNK``)."""
    cursor.execute(_ROW + searching("youth_pseudonym", len(youth_keys)), list(youth_keys))
    rows: list[tuple[int, str, str, str, int]] = cursor.fetchall()
    return rows


def active_by_parent(cursor: Any, parent_keys: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """(id, youth, parent1, parent2) of the active signals naming one of these parent
    keys as either parent (at most ``CHUNK // 2``)."""
    select = "SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym "
    cursor.execute(
        f"{select}{searching('parent1_pseudonym', len(parent_keys))} UNION "
        f"{select}{searching('parent2_pseudonym', len(parent_keys))}",
        [*parent_keys, *parent_keys],
    )
    rows: list[tuple[int, str, str, str]] = cursor.fetchall()
    return rows


def any_naming(cursor: Any, key: str) -> list[tuple[int, str]]:
    """(id, pseudonym) of every signal, active or ended, with this key as the youth or
    as a parent (the rights overview): six indexed lookups in one statement."""
    parts, params = [], []
    for column in PSEUDONYM_FIELDS:
        for active in (True, False):
            parts.append(f"SELECT id, {column} {searching(column, 1, active=active)}")
            params.append(key)
    cursor.execute(" UNION ALL ".join(parts), params)
    rows: list[tuple[int, str]] = cursor.fetchall()
    return rows


# --- Matches --------------------------------------------------------------------------


def live_matches_of(
    cursor: Any, signal_ids: Sequence[int], statuses: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(signal id, match id, kind, key, created_at, coordinator id) of the matches in
    one of these statuses that these signals are members of.

    CROSS JOIN keeps SQLite from starting at the match table: it would scan every
    match of a kind for a handful of signals.
    """
    return _select_in(
        cursor,
        f"SELECT mm.signal_id, m.id, m.kind, m.key, m.created_at, m.coordinator_id "
        f"FROM {_table(MatchMember)} mm CROSS JOIN {_table(Match)} m "
        f"WHERE mm.signal_id IN ({{ids}}) AND m.id = mm.match_id "
        f"AND m.status IN ({_marks(len(statuses))})",
        signal_ids,
        *statuses,
    )


def members_of(cursor: Any, match_ids: Sequence[int]) -> list[tuple[int, int]]:
    """(match id, signal id) of every member of these matches."""
    return _select_in(  # type: ignore[return-value]
        cursor,
        f"SELECT match_id, signal_id FROM {_table(MatchMember)} WHERE match_id IN ({{ids}})",
        match_ids,
    )


def insert_matches(
    cursor: Any, matches: Sequence[tuple[str, str]], status: str, stamp: Any
) -> list[tuple[int, str, str]]:
    """Insert new matches given as (kind, key), all with this status and time; (id,
    kind, key) of each, in the order given (RETURNING keeps the order of the rows, which
    Django's own bulk_create relies on too; the caller checks it all the same)."""
    returned: list[tuple[int, str, str]] = []
    for chunk in chunks(matches, 100):
        params: list[Any] = []
        for kind, key in chunk:
            params += [kind, key, status, stamp, stamp]
        cursor.execute(
            f"INSERT INTO {_table(Match)} (kind, key, status, created_at, awaiting_since) "
            f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(chunk))} RETURNING id, kind, key",
            params,
        )
        returned.extend(cursor.fetchall())
    return returned


def insert_members(cursor: Any, rows: list[tuple[int, int, Any]]) -> None:
    """Insert members given as (match id, signal id, joined_at), with one executemany."""
    cursor.executemany(
        f"INSERT INTO {_table(MatchMember)} (match_id, signal_id, joined_at) VALUES (%s, %s, %s)",
        rows,
    )


def reopen_matches(cursor: Any, match_ids: Sequence[int], status: str, stamp: Any) -> None:
    """Set these matches to ``status`` awaiting agreement from ``stamp``, with contact,
    its confirmation and the escalation cleared."""
    for chunk in chunks(match_ids):
        cursor.execute(
            f"UPDATE {_table(Match)} SET status = %s, awaiting_since = %s, in_touch_at = NULL, "
            f"in_touch_by_id = NULL, escalated_at = NULL WHERE id IN ({_marks(len(chunk))})",
            [status, stamp, *chunk],
        )


def contacts_of(cursor: Any, signal_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(id, reporter id, contact name, organisation name, phone, e-mail, the reporter's
    e-mail and language, status) of these signals, whatever their status.

    The caller checks the status: without planner statistics, SQLite would answer
    "id IN (five or more) AND status = 'active'" by walking the status index over every
    active signal (125 ms at two million) instead of fetching the few rows by id.
    """
    return _select_in(
        cursor,
        f"SELECT s.id, s.reporter_id, s.contact_name, o.name, s.contact_phone, "
        f"s.contact_email, u.email, u.preferred_language, s.status FROM {_table(Signal)} s "
        f"JOIN {_table(Organisation)} o ON o.id = s.organisation_id "
        f"JOIN {_table(User)} u ON u.id = s.reporter_id WHERE s.id IN ({{ids}})",
        signal_ids,
    )
