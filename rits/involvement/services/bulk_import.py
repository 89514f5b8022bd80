"""Bulk import of a whole file from an organisation's own case system: all or
nothing per file, with per-row errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.models import Signal
from rits.involvement.services.registration import active_with_parents
from rits.involvement.services.validation import (
    CleanSignal,
    Purpose,
    Role,
    SignalInput,
    authorise_reporter,
    duplicate_error,
    validate,
)

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
        from rits.involvement.services.bulk_matching import match_many

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
