"""Seeing across tables: counts per code by kind, the trend per half-year, which codes come
together, municipalities and regions side by side, and open actions per owner.

Every figure is counted in tables (and segments); a figure from fewer than
``MIN_TABLES`` tables is not shown (``None``), so no one table — and no one family —
can be recognised from it. Only first codings count (the second, blind coding is for
agreement); trajectories whose consent was withdrawn are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from rits.dialogues.models import Code, Coding, Finding, ImprovementAction, Kind

MIN_TABLES = 5


@dataclass(frozen=True)
class Scope:
    """Which tables: a region (or all regions), optionally some municipalities or one
    facilitator's own tables, held within [start, end]."""

    region_id: int | None
    start: date
    end: date
    municipality_ids: Sequence[int] = ()
    facilitator_id: int | None = None

    def filter(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}held_on__gte": self.start, f"{prefix}held_on__lte": self.end})
        if self.region_id is not None:
            q &= Q(**{f"{prefix}region_id": self.region_id})
        if self.municipality_ids:
            q &= Q(**{f"{prefix}municipality_id__in": list(self.municipality_ids)})
        if self.facilitator_id is not None:
            q &= Q(**{f"{prefix}facilitator_id": self.facilitator_id})
        return q


def shown(tables: int) -> int | None:
    return tables if tables >= MIN_TABLES else None


def codings(scope: Scope) -> QuerySet[Coding]:
    return Coding.objects.filter(
        scope.filter("finding__table__"),
        round=Coding.Round.FIRST,
    ).exclude(finding__trajectory__withdrawn_at__isnull=False)


@dataclass
class CodeCount:
    code: Code
    tables: int | None
    segments: int | None


@dataclass
class Synthesis:
    scope: Scope
    counts: dict[str, list[CodeCount]] = field(default_factory=dict)
    trend: list[tuple[str, dict[str, int | None]]] = field(default_factory=list)
    pairs: list[tuple[Code, Code, int | None, int | None]] = field(default_factory=list)
    hidden: int = 0


def code_counts(scope: Scope) -> list[tuple[int, int, int]]:
    """(code id, tables, segments) per counted code, unsuppressed: callers suppress."""
    rows = (
        codings(scope)
        .values("counted_code")
        .annotate(
            tables=Count("finding__table", distinct=True),
            segments=Count("finding", distinct=True),
        )
        .order_by("-tables", "counted_code")
    )
    return [(r["counted_code"], r["tables"], r["segments"]) for r in rows]


def half_year_trend(scope: Scope) -> list[tuple[str, dict[str, int | None]]]:
    rows = (
        codings(scope)
        .annotate(
            year=ExtractYear("finding__table__held_on"),
            month=ExtractMonth("finding__table__held_on"),
        )
        .annotate(half=Q(month__gt=6))
        .values("year", "half", "counted_code__kind")
        .annotate(tables=Count("finding__table", distinct=True))
        .order_by("year", "half")
    )
    periods: dict[str, dict[str, int | None]] = {}
    for r in rows:
        label = f"{r['year']}-{'2' if r['half'] else '1'}"
        periods.setdefault(label, {k: None for k in Kind.values})[r["counted_code__kind"]] = shown(
            r["tables"]
        )
    return sorted(periods.items())


def co_occurrence(scope: Scope) -> list[tuple[int, int, int, int]]:
    """(code a, code b, tables, segments) for codes given together to one finding."""
    rows = (
        codings(scope)
        .filter(
            finding__codings__round=Coding.Round.FIRST,
            finding__codings__counted_code__gt=F("counted_code"),
        )
        .values("counted_code", other=F("finding__codings__counted_code"))
        .annotate(
            tables=Count("finding__table", distinct=True),
            segments=Count("finding", distinct=True),
        )
        .order_by("-tables")
    )
    return [(r["counted_code"], r["other"], r["tables"], r["segments"]) for r in rows]


def synthesis(scope: Scope) -> Synthesis:
    result = Synthesis(scope=scope, counts={k: [] for k in Kind.values})
    counts = code_counts(scope)
    pairs = co_occurrence(scope)
    ids = {c for c, _, _ in counts} | {a for a, *_ in pairs} | {b for _, b, *_ in pairs}
    codes = Code.objects.select_related("theme").in_bulk(ids)
    for code_id, tables, segments in counts:
        code = codes[code_id]
        if tables < MIN_TABLES:
            result.hidden += 1
            continue
        result.counts[code.kind].append(CodeCount(code, tables, segments))
    result.trend = half_year_trend(scope)
    result.pairs = [
        (codes[a], codes[b], tables, segments)
        for a, b, tables, segments in pairs
        if tables >= MIN_TABLES
    ]
    return result


def by_municipality(scope: Scope) -> list[tuple[str, dict[str, int | None]]]:
    rows = (
        codings(scope)
        .values("finding__table__municipality__name", "counted_code__kind")
        .annotate(tables=Count("finding__table", distinct=True))
        .order_by("finding__table__municipality__name")
    )
    table: dict[str, dict[str, int | None]] = defaultdict(lambda: {k: None for k in Kind.values})
    for r in rows:
        name = r["finding__table__municipality__name"] or "—"
        table[name][r["counted_code__kind"]] = shown(r["tables"])
    return sorted(table.items())


def by_region(start: date, end: date) -> list[tuple[str, dict[str, int | None]]]:
    scope = Scope(region_id=None, start=start, end=end)
    rows = (
        codings(scope)
        .values("finding__table__region__name", "counted_code__kind")
        .annotate(tables=Count("finding__table", distinct=True))
        .order_by("finding__table__region__name")
    )
    table: dict[str, dict[str, int | None]] = defaultdict(lambda: {k: None for k in Kind.values})
    for r in rows:
        table[r["finding__table__region__name"]][r["counted_code__kind"]] = shown(r["tables"])
    return sorted(table.items())


def actions_per_owner(region_id: int, today: date | None = None) -> list[dict[str, object]]:
    """Open and overdue improvement actions per owner, across all tables, until closed."""
    today = today or timezone.localdate()
    rows = (
        ImprovementAction.objects.filter(region_id=region_id)
        .exclude(status__in=ImprovementAction.CLOSED)
        .values("owner_organisation__name", "owner__full_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "-open", "owner_organisation__name")
    )
    return list(rows)


def segments(scope: Scope, code_ids: Sequence[int]) -> QuerySet[Finding]:
    """The pseudonymised findings behind a cell: those coded with every code in ``code_ids``."""
    findings = Finding.objects.filter(scope.filter("table__")).exclude(
        trajectory__withdrawn_at__isnull=False
    )
    for code_id in code_ids:
        findings = findings.filter(
            pk__in=Coding.objects.filter(round=Coding.Round.FIRST, counted_code_id=code_id).values(
                "finding_id"
            )
        )
    return findings.select_related("table", "table__municipality").order_by("table__held_on", "pk")
