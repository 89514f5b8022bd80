"""Bulk import of a whole file from an organisation's own case system: all or
nothing per file, with per-row errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.involvement.services import index
from rits.involvement.services.matching import NewSignal, apply, related
from rits.involvement.services.validation import (
    CleanSignal,
    Purpose,
    Role,
    Rules,
    SignalInput,
    authorise_reporter,
    duplicate_error,
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
    batch_size: int = 5000,
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
    rules = Rules(actor)
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
                        batch.append((number, rules.clean(row)))
                    except ValidationError as exc:
                        errors.extend(
                            RowError(number, name, str(msg))
                            for name, msgs in exc.message_dict.items()
                            for msg in msgs
                        )
                if len(batch) >= batch_size:
                    signals += _import_batch(batch, actor, organisation, errors, matches)
                    batch = []
                    if progress:
                        progress(number)
                if len(errors) >= max_errors:
                    break
            if batch:
                signals += _import_batch(batch, actor, organisation, errors, matches)
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
    matches: set[int],
) -> int:
    """Check one batch against the index and, while the file is still clean, insert it
    and match the rows that meet another signal. Returns the number inserted and adds
    the matches found or joined to ``matches``.

    Steps: look up the batch's youths and parents among the active signals (two
    statements per 900 values); refuse duplicates and note, in file order, which rows
    meet another signal (earlier rows of the file included); insert the batch with
    one executemany; match only the rows that meet another signal.
    """
    me = actor.pk
    known_youths: dict[str, set[int]] = {}
    for _pk, youth, _p1, _p2, reporter_id in index.active_by_youth(
        [c.youth_pseudonym for _n, c in batch]
    ):
        known_youths.setdefault(youth, set()).add(reporter_id)
    known_parents: dict[str, set[str]] = {}
    parents = sorted({p for _n, c in batch for p in c.parent_pseudonyms})
    if parents:
        for _pk, youth, p1, p2 in index.active_with_parents(parents):
            for p in (p1, p2):
                if p:
                    known_parents.setdefault(p, set()).add(youth)
    to_match: list[CleanSignal] = []
    for number, clean in batch:
        youth = clean.youth_pseudonym
        reporters = known_youths.get(youth)
        if reporters is None:
            known_youths[youth] = {me}
            hit = False
        elif me in reporters:
            errors.append(RowError(number, "bsn", str(duplicate_error().messages[0])))
            continue
        else:
            reporters.add(me)
            hit = True
        for p in clean.parent_pseudonyms:
            youths = known_parents.get(p)
            if youths is None:
                known_parents[p] = {youth}
            else:
                hit = hit or len(youths) > 1 or youth not in youths
                youths.add(youth)
        if hit:
            to_match.append(clean)
    if errors:
        return 0
    now = timezone.now()
    index.insert_signals([c for _n, c in batch], actor, organisation, now)
    if to_match:
        matches.update(_match_batch(to_match, actor, now))
    return len(batch)


def _match_batch(to_match: list[CleanSignal], actor: User, now: datetime) -> set[int]:
    """Match the rows of a batch that meet another signal, with one audit entry."""
    same_youth = index.active_by_youth([c.youth_pseudonym for c in to_match])
    ids = {youth: pk for pk, youth, _p1, _p2, reporter_id in same_youth if reporter_id == actor.pk}
    new = [
        NewSignal(pk=ids[c.youth_pseudonym], youth=c.youth_pseudonym, parents=c.parent_pseudonyms)
        for c in to_match
    ]
    parents = sorted({p for s in new for p in s.parents})
    siblings = index.active_with_parents(parents) if parents else []
    outcome = apply(new, related(new, [*same_youth, *siblings]), now=now)
    if outcome.touched:
        record(
            actor,
            "involvement.match_found",
            purpose=Entry.Purpose.COORDINATION,
            object_type="involvement.match",
            data=outcome.audit_data(),
        )
    return {t.pk for t in outcome.touched}
