"""The signal lookups and the insert of registering and importing, as the index needs
them: pseudonyms turned into their keys, long lists in chunks, and every row found by
key compared on the whole pseudonym. The statements are in ``sql``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.involvement.models import KEY_LENGTH
from rits.involvement.services import sql
from rits.involvement.services.sql import ACTIVE, CHUNK, insert_one, insert_sql
from rits.involvement.services.validation import CleanSignal

__all__ = [
    "active_by_youth",
    "active_with_parents",
    "insert_one",
    "insert_signals",
    "insert_sql",
    "relatives",
    "signal_rows",
    "signals_naming",
]


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


def insert_signals(
    cleans: Sequence[CleanSignal], actor: User, organisation: Organisation, now: datetime
) -> None:
    """Insert checked signals with one executemany (the bulk import)."""
    sql.insert_many(signal_rows(cleans, actor, organisation, now))


def _keys(pseudonyms: Sequence[str]) -> list[str]:
    return [p[:KEY_LENGTH] for p in pseudonyms]


def relatives(
    cursor: Any, youth: str, parents: Sequence[str]
) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of the active signals for this youth or
    naming one of these parents: one statement for the duplicate check, the client
    match and the family match of a registration."""
    rows = sql.active_by_youth_or_parent(cursor, youth[:KEY_LENGTH], _keys(parents))
    return [row for row in rows if row[1] == youth or row[2] in parents or row[3] in parents]


def active_with_parents(parents: Sequence[str]) -> list[tuple[int, str, str, str]]:
    """(pk, youth, parent1, parent2) of active signals naming any of these parents.

    Thousands of parents may be asked for at once during an import.
    """
    found: set[tuple[int, str, str, str]] = set()
    with connection.cursor() as cursor:
        for chunk in sql.chunks(parents, CHUNK // 2):
            wanted = set(chunk)
            found.update(
                row
                for row in sql.active_by_parent(cursor, _keys(chunk))
                if row[2] in wanted or row[3] in wanted
            )
    return sorted(found)


def active_by_youth(youths: Sequence[str]) -> list[tuple[int, str, str, str, int]]:
    """(id, youth, parent1, parent2, reporter) of active signals for many youths at once."""
    found: list[tuple[int, str, str, str, int]] = []
    with connection.cursor() as cursor:
        for chunk in sql.chunks(youths):
            wanted = set(chunk)
            found.extend(
                row for row in sql.active_by_youth(cursor, _keys(chunk)) if row[1] in wanted
            )
    return found


def signals_naming(pseudonym: str) -> set[int]:
    """The ids of every signal, active or ended, that names this pseudonym as the youth
    or as a parent (the rights overview)."""
    with connection.cursor() as cursor:
        rows = sql.any_naming(cursor, pseudonym[:KEY_LENGTH])
    return {pk for pk, value in rows if value == pseudonym}
