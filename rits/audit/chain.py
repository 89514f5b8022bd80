"""Checking the hash chain of the audit trail.

Every entry's ``entry_hash`` covers its content and ``previous_hash``, and every
``previous_hash`` names the entry before it. Walking the entries in id order and
recomputing both tells three kinds of tampering apart:

- *content changed*: the row no longer hashes to its ``entry_hash``;
- *gap*: the row is intact but its predecessor is missing (ids were skipped and
  the hash named is not the one before; or the first entry does not start from
  the genesis hash);
- *previous hash mismatch*: the row is intact, the id before it is present, yet
  the hash named is not that entry's (the entry before was rewritten and re-hashed,
  or a row was inserted out of turn).

Ids alone prove nothing: PostgreSQL skips ids when a transaction rolls back, so a
skipped id is a gap only when the hash link is broken too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from rits.audit.models import GENESIS_HASH, HASHED_VALUES, Entry, hash_content

CONTENT_CHANGED = "content changed"
GAP = "gap where entries were removed"
PREVIOUS_MISMATCH = "previous hash mismatch"


@dataclass(frozen=True)
class BrokenEntry:
    entry_id: int
    occurred_at: datetime
    reason: str
    detail: str

    def describe(self) -> str:
        local = timezone.localtime(self.occurred_at)
        return f"#{self.entry_id} ({local:%Y-%m-%d %H:%M:%S %Z}): {self.reason}; {self.detail}"


@dataclass
class ChainReport:
    verified: int = 0
    head_id: int | None = None
    head_hash: str = ""
    broken: BrokenEntry | None = None
    missing_anchors: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.missing_anchors


def verify_chain(*, chunk_size: int = 2000, anchors: list[str] | None = None) -> ChainReport:
    """Walk the chain oldest first and stop at the first broken entry.

    Rows are streamed (``iterator(chunk_size=...)``, a server-side cursor on
    PostgreSQL) as plain values, so memory stays flat for millions of entries.
    """
    report = ChainReport()
    expected_previous = GENESIS_HASH
    previous_id: int | None = None
    wanted = {anchor.strip().lower() for anchor in anchors or [] if anchor.strip()}
    rows = (
        Entry.objects.order_by("id")
        .values("id", "entry_hash", *HASHED_VALUES)
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        reason, detail = "", ""
        if hash_content(row) != row["entry_hash"]:
            reason = CONTENT_CHANGED
            detail = "the stored fields no longer match the entry's hash"
        elif row["previous_hash"] != expected_previous:
            if previous_id is None:
                reason = GAP
                detail = "the first entry does not start from the genesis hash"
            elif row["id"] > previous_id + 1:
                reason = GAP
                detail = f"entries between #{previous_id} and #{row['id']} are missing"
            else:
                reason = PREVIOUS_MISMATCH
                detail = f"it does not name the hash of entry #{previous_id}"
        if reason:
            report.broken = BrokenEntry(row["id"], row["occurred_at"], reason, detail)
            return report
        report.verified += 1
        wanted.discard(row["entry_hash"])
        expected_previous = row["entry_hash"]
        previous_id = row["id"]
    report.head_id = previous_id
    report.head_hash = expected_previous if previous_id is not None else ""
    report.missing_anchors = sorted(wanted)
    return report
