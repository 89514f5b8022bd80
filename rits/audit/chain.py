"""Checking the hash chains of the audit trail.

The trail is a few parallel chains, *lanes* (``rits/audit/README.md``). Every entry's
``entry_hash`` covers its content, its lane and ``previous_hash``, and every
``previous_hash`` names the entry before it in the same lane. Walking the entries in
id order, one expected hash per lane, and recomputing both tells these apart:

- *content changed*: the row no longer hashes to its ``entry_hash``;
- *gap*: the row is intact but its predecessor is missing (ids were skipped since
  the lane's previous entry and the hash named is not that entry's; or the lane's
  first entry does not start from the lane's genesis hash);
- *inserted*: the row names the same predecessor as a later entry of its lane, so it
  was put in between;
- *previous hash mismatch*: the row is intact, no id is missing since the lane's
  previous entry, yet the hash named is not that entry's (the entry before was
  rewritten and re-hashed);
- *anchored head missing*: an anchor entry (``audit.chain_anchored``) named an entry
  as the head of its lane, and that entry is gone or changed: the end of the lane was
  removed or rewritten.

Ids alone prove nothing: PostgreSQL skips ids when a transaction rolls back, so a
skipped id is a gap only when the hash link is broken too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from rits.audit.models import HASHED_VALUES, Entry, genesis_hash, hash_content

CONTENT_CHANGED = "content changed"
GAP = "gap where entries were removed"
INSERTED = "entry inserted"
PREVIOUS_MISMATCH = "previous hash mismatch"
ANCHOR_BROKEN = "anchored head missing"
# Entries whose data names every lane's head: the periodic anchor, and each verification.
ANCHOR_EVENTS = frozenset({"audit.chain_anchored", "audit.chain_verified"})


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
    # The newest entry of every lane: lane -> (id, hash).
    heads: dict[int, tuple[int, str]] = field(default_factory=dict)
    broken: BrokenEntry | None = None
    missing_anchors: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.broken is None and not self.missing_anchors


@dataclass
class _Lane:
    expected: str
    previous_id: int | None = None


@dataclass(frozen=True)
class _Claim:
    """The newest head an anchor named for one lane."""

    entry_id: int
    entry_hash: str
    anchor_id: int
    anchor_at: datetime


def verify_chain(*, chunk_size: int = 2000, anchors: list[str] | None = None) -> ChainReport:
    """Walk the lanes oldest first and stop at the first broken entry.

    Rows are streamed (``iterator(chunk_size=...)``, a server-side cursor on
    PostgreSQL) as plain values, so memory stays flat for millions of entries: the
    walk keeps one expected hash per lane and the newest head each lane was anchored
    at, checked with one query at the end.
    """
    report = ChainReport()
    lanes: dict[int, _Lane] = {}
    claims: dict[int, _Claim] = {}
    last_id: int | None = None
    last_hash = ""
    # The highest id, below the row being checked, that is absent from the table.
    last_missing = 0
    wanted = {anchor.strip().lower() for anchor in anchors or [] if anchor.strip()}
    rows = (
        Entry.objects.order_by("id")
        .values("id", "entry_hash", *HASHED_VALUES)
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        if last_id is not None and row["id"] > last_id + 1:
            last_missing = row["id"] - 1
        last_id = row["id"]
        last_hash = row["entry_hash"]
        number = row["lane"]
        lane = lanes.get(number)
        if lane is None:
            lane = lanes[number] = _Lane(genesis_hash(number))
        broken = _check(row, number, lane, last_missing)
        if broken is not None:
            report.broken = broken
            return report
        report.verified += 1
        wanted.discard(row["entry_hash"])
        lane.expected = row["entry_hash"]
        lane.previous_id = row["id"]
        if row["event"] in ANCHOR_EVENTS:
            _note_claims(claims, row)
    report.broken = _check_claims(claims)
    if report.broken is not None:
        return report
    report.heads = {
        number: (lane.previous_id, lane.expected)
        for number, lane in sorted(lanes.items())
        if lane.previous_id is not None
    }
    if last_id is not None:
        report.head_id, report.head_hash = last_id, last_hash
    report.missing_anchors = sorted(wanted)
    return report


def _check(row: dict[str, Any], number: int, lane: _Lane, last_missing: int) -> BrokenEntry | None:
    in_lane = f" of lane {number}" if number else ""
    reason, detail = "", ""
    entry_id = row["id"]
    if hash_content(row) != row["entry_hash"]:
        reason = CONTENT_CHANGED
        detail = "the stored fields no longer match the entry's hash"
    elif row["previous_hash"] != lane.expected:
        if lane.previous_id is None:
            reason = GAP
            detail = f"the first entry{in_lane} does not start from the genesis hash"
            return BrokenEntry(entry_id, row["occurred_at"], reason, detail)
        named = (
            Entry.objects.filter(entry_hash=row["previous_hash"], lane=number)
            .values_list("id", flat=True)
            .first()
        )
        if named is not None and named < lane.previous_id:
            # The lane's previous entry names that predecessor too: it was put in between.
            inserted = lane.previous_id
            occurred = Entry.objects.values_list("occurred_at", flat=True).get(pk=inserted)
            detail = f"it names the same predecessor (#{named}) as entry #{entry_id}, after it"
            return BrokenEntry(inserted, occurred, INSERTED, detail)
        if last_missing > lane.previous_id:
            reason = GAP
            detail = f"entries{in_lane} between #{lane.previous_id} and #{entry_id} are missing"
        else:
            reason = PREVIOUS_MISMATCH
            detail = f"it does not name the hash of entry #{lane.previous_id}"
    if reason:
        return BrokenEntry(entry_id, row["occurred_at"], reason, detail)
    return None


def _note_claims(claims: dict[int, _Claim], row: dict[str, Any]) -> None:
    """Keep, per lane, the newest head any anchor named (the chain vouches for the rest)."""
    heads = row["data"].get("heads", {}) if isinstance(row["data"], dict) else {}
    for number, named in heads.items():
        try:
            lane, (entry_id, entry_hash) = int(number), named
        except (TypeError, ValueError):
            continue
        known = claims.get(lane)
        if known is None or entry_id > known.entry_id:
            claims[lane] = _Claim(int(entry_id), str(entry_hash), row["id"], row["occurred_at"])


def _check_claims(claims: dict[int, _Claim]) -> BrokenEntry | None:
    if not claims:
        return None
    found = {
        pk: (lane, digest)
        for pk, lane, digest in Entry.objects.filter(
            pk__in=[claim.entry_id for claim in claims.values()]
        ).values_list("id", "lane", "entry_hash")
    }
    for lane, claim in sorted(claims.items(), key=lambda item: item[1].anchor_id):
        if found.get(claim.entry_id) != (lane, claim.entry_hash):
            return BrokenEntry(
                claim.anchor_id,
                claim.anchor_at,
                ANCHOR_BROKEN,
                f"it names entry #{claim.entry_id} as the head of lane {lane}, which is "
                "missing or changed: the end of that lane was removed or rewritten",
            )
    return None
