"""Reading and writing the signal table in plain SQL, for registration and import.

These are the statements on the hot paths: the lookups that serve the duplicate check
and matching, and the insert. Plain SQL, because building ORM lookups and instances
costs more than the indexed statements themselves (see ``bench_involvement``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.involvement.models import KEY_INDEXES, KEY_LENGTH, PSEUDONYM_FIELDS, Signal
from rits.involvement.services.validation import CleanSignal

ACTIVE = Signal.Status.ACTIVE.value
# Values per IN list: within SQLite's limit on parameters, whatever its build.
CHUNK = 900

# The columns an insert writes; the others keep their database defaults (NULL).
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


def _table() -> str:
    return connection.ops.quote_name(Signal._meta.db_table)


def insert_sql() -> str:
    """One prepared INSERT for many rows (executemany): the bulk import uses it, and the
    benchmark's bare baseline uses exactly the same statement."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(Signal._meta.get_field(f).column)  # type: ignore[union-attr,arg-type]
        for f in _INSERT_FIELDS
    )
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    return f"INSERT INTO {_table()} ({columns}) VALUES ({marks})"  # noqa: S608


def signal_rows(
    cleans: Iterable[CleanSignal],
    actor: User,
    organisation: Organisation,
    now: datetime | None = None,
) -> list[tuple[Any, ...]]:
    """Parameter tuples for ``insert_sql``, adapted for the database in use."""
    ops = connection.ops
    registered = ops.adapt_datetimefield_value(now or timezone.now())
    day = ops.adapt_datefield_value
    actor_id, organisation_id = actor.pk, organisation.pk
    rows = []
    for c in cleans:
        parents = c.parent_pseudonyms
        rows.append(
            (
                c.youth_pseudonym,
                parents[0] if parents else "",
                parents[1] if len(parents) > 1 else "",
                day(c.birth_date),
                c.municipality_id,
                actor_id,
                organisation_id,
                c.contact_name,
                c.contact_phone,
                c.contact_email,
                c.own_reference,
                c.youth_informed,
                c.parents_informed,
                c.informing_postponed,
                registered,
                day(c.ends_on),
                ACTIVE,
            )
        )
    return rows


def insert_one(cursor: Any, row: tuple[Any, ...]) -> int:
    """Insert one signal with ``insert_sql`` and return its id (both supported databases
    return it from the INSERT itself)."""
    cursor.execute(f"{insert_sql()} RETURNING id", row)
    pk: int = cursor.fetchone()[0]
    return pk


def key_sql(column: str) -> str:
    """The indexed key of a pseudonym column (``models.pseudonym_key``), spelt as the
    database spells the index's expression, so that the planner uses that index."""
    function = "SUBSTRING" if connection.vendor == "postgresql" else "SUBSTR"
    return f"{function}({column}, 1, {KEY_LENGTH})"


def _by_key(column: str, count: int) -> str:
    """WHERE clause: the column's key is one of ``count`` keys (``_keys``).

    The caller compares the whole pseudonym: with the pseudonym in the WHERE clause
    too, SQLite puts its value into the key expression and can no longer use the key's
    index. ``searching`` adds the status.
    """
    return f"{key_sql(column)} IN ({', '.join(['%s'] * count)})"


def searching(column: str, count: int, *, active: bool = True) -> str:
    """FROM and WHERE for the active (or ended) signals with one of ``count`` keys in
    ``column``, on that column's index of active (or ended) signals
    (``models.KEY_INDEXES``).

    The status is written out, not a parameter: only then may the planner use an index
    of active or of ended signals alone. SQLite is also told which index (INDEXED BY,
    an error if it cannot): without statistics it might otherwise walk the status index.
    """
    hint = f" INDEXED BY {KEY_INDEXES[column, active]}" if connection.vendor == "sqlite" else ""
    status = f"status = '{ACTIVE}'" if active else f"NOT (status = '{ACTIVE}')"
    return f"FROM {_table()}{hint} WHERE {_by_key(column, count)} AND {status}"


def _keys(pseudonyms: Sequence[str]) -> list[str]:
    return [p[:KEY_LENGTH] for p in pseudonyms]


def relatives(
    cursor: Any, youth: str, parents: Sequence[str]
) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of the active signals for this youth or
    naming one of these parents: one statement for the duplicate check, the client
    match and the family match of a registration.

    A UNION of indexed lookups rather than one OR: SQLite's planner would otherwise
    scan every signal.
    """
    columns = "SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym, reporter_id "
    sql = columns + searching("youth_pseudonym", 1)
    params: list[Any] = _keys([youth])
    if parents:
        for column in PSEUDONYM_FIELDS[1:]:
            sql += f" UNION {columns}{searching(column, len(parents))}"
            params += _keys(parents)
    cursor.execute(sql, params)
    return [
        row
        for row in cursor.fetchall()
        if row[1] == youth or row[2] in parents or row[3] in parents
    ]


def active_with_parents(parents: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """(pk, youth, parent1, parent2) of active signals naming any of these parents.

    Thousands of parents may be asked for at once during an import.
    """
    found: set[tuple[int, str, str, str]] = set()
    select = "SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym "
    with connection.cursor() as cursor:
        for start in range(0, len(parents), CHUNK // 2):
            chunk = list(parents[start : start + CHUNK // 2])
            cursor.execute(
                f"{select}{searching('parent1_pseudonym', len(chunk))} UNION "
                f"{select}{searching('parent2_pseudonym', len(chunk))}",
                [*_keys(chunk), *_keys(chunk)],
            )
            wanted = set(chunk)
            found.update(row for row in cursor.fetchall() if row[2] in wanted or row[3] in wanted)
    return sorted(found)


def active_by_youth(youths: Sequence[str]) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of active signals for many youths at once."""
    found: list[tuple[int, str, str, str, int]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(youths), CHUNK):
            chunk = list(youths[start : start + CHUNK])
            cursor.execute(
                "SELECT id, youth_pseudonym, parent1_pseudonym, parent2_pseudonym, "
                f"reporter_id {searching('youth_pseudonym', len(chunk))}",
                _keys(chunk),
            )
            wanted = set(chunk)
            found.extend(row for row in cursor.fetchall() if row[1] in wanted)
    return found


def signals_naming(pseudonym: str) -> set[int]:
    """The ids of every signal, active or ended, that names this pseudonym as the youth
    or as a parent (the rights overview): six indexed lookups in one statement."""
    parts, params = [], []
    for column in PSEUDONYM_FIELDS:
        for active in (True, False):
            parts.append(f"SELECT id, {column} {searching(column, 1, active=active)}")
            params += _keys([pseudonym])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {pk for pk, value in cursor.fetchall() if value == pseudonym}
