"""Full-text Dutch search over the knowledge hub: practices, experience reports,
progress updates and glossary terms, on SQLite (FTS5) and PostgreSQL (tsvector).

This is the one module of the app that writes SQL out, because the ORM cannot say a
full-text match with its ranking on either database. The words are read exactly as
the social map reads them: ``rits.directory.search`` lower-cases, strips accents,
drops Snowball's Dutch stop words and stems each word with Snowball's Dutch stemmer in
Python, at indexing and at query time, and knows the synonyms people search with; this
module uses those functions and keeps its own index table (``knowledge_fts`` or
``knowledge_tsv``, created in migration 0002) beside ``SearchDocument``, keyed by the
document's id. Filters and the access rule are ORM conditions on ``SearchDocument``,
checked per match as a correlated EXISTS, so the text index drives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from rits.directory.models import Theme
from rits.directory.search import alternatives, stems, terms_of
from rits.knowledge.models import (
    ExperienceReport,
    GlossaryTerm,
    Network,
    Practice,
    ProgressUpdate,
    SearchDocument,
)
from rits.regions.models import YouthCareRegion

if TYPE_CHECKING:
    from rits.accounts.models import User

MAX_QUERY_LENGTH = 200
MAX_PER_PAGE = 50
MAX_PAGE = 100
Kind = SearchDocument.Kind


class QueryTooLong(ValueError):
    pass


@dataclass
class KnowledgeQuery:
    q: str = ""
    kind: str | None = None
    theme: Theme | None = None
    age: int | None = None
    evidence: str | None = None
    region: YouthCareRegion | None = None
    network: Network | None = None
    page: int = 1
    per_page: int = 20


@dataclass
class KnowledgeResult:
    documents: list[SearchDocument]
    total: int
    page: int
    per_page: int
    terms: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def visible_documents(user: User | None) -> Q:
    """Who finds what: practices and their reports every signed-in user (anyone else the
    public practices only), glossary terms every signed-in user, progress updates the
    people who may see their network."""
    if user is None or not user.is_authenticated:
        return Q(kind__in=[Kind.PRACTICE, Kind.REPORT], practice__is_public=True)
    # Read once as ids (a member is in few networks): a plain IN list per match is
    # cheaper for the database than the membership subquery.
    networks = list(Network.objects.visible_to(user).values_list("pk", flat=True))
    return ~Q(kind=Kind.PROGRESS) | Q(network_id__in=networks)


def _filters(params: KnowledgeQuery, user: User | None) -> Q:
    condition = visible_documents(user)
    if params.kind:
        condition &= Q(kind=params.kind)
    if params.theme is not None:
        condition &= Q(practice__themes=params.theme)
    if params.age is not None:
        condition &= Q(practice__isnull=False)
        condition &= Q(practice__minimum_age__isnull=True) | Q(
            practice__minimum_age__lte=params.age
        )
        condition &= Q(practice__maximum_age__isnull=True) | Q(
            practice__maximum_age__gte=params.age
        )
    if params.evidence:
        condition &= Q(practice__evidence=params.evidence)
    if params.region is not None:
        condition &= Q(region=params.region) | Q(practice__uses__region=params.region)
    if params.network is not None:
        condition &= Q(network=params.network)
    return condition


def match_expression(terms: list[str]) -> str:
    """All terms, each as a prefix or one of its synonyms, in the backend's syntax."""
    if connection.vendor == "postgresql":
        return " & ".join(
            "(" + " | ".join(f"{t}:*" for t in alternatives(term)) + ")" for term in terms
        )
    return " AND ".join(
        "(" + " OR ".join(f'"{t}"*' for t in alternatives(term)) + ")" for term in terms
    )


def _restriction(condition: Q) -> tuple[str, list[Any]]:
    key = "t.document_id" if connection.vendor == "postgresql" else "knowledge_fts.rowid"
    inner = (
        SearchDocument.objects.filter(condition).filter(pk=RawSQL(key, ())).values("pk")  # noqa: S611  (a fixed column name)
    )
    sql, params = inner.query.sql_with_params()
    return f" AND EXISTS ({sql})", list(params)


# Ranking is the expensive part of a text search (bm25 or ts_rank per match): a word
# that every fourth document holds costs hundreds of milliseconds to rank in full. So
# a search ranks the newest RANK_CANDIDATES matches (documents are numbered as they are
# written, so the highest ids are the newest) and pages through those; the total stays
# exact. Any search narrowed by its words or filters to fewer matches is ranked in full.
RANK_CANDIDATES = MAX_PER_PAGE * MAX_PAGE


def ranked_ids(terms: list[str], condition: Q, limit: int, offset: int) -> tuple[list[int], int]:
    """One page of matching document ids, best first among the newest RANK_CANDIDATES
    matches, and the number of matches."""
    expression = match_expression(terms)
    restrict, restrict_params = _restriction(condition)
    if connection.vendor == "postgresql":
        matches = (
            "FROM knowledge_tsv t, to_tsquery('simple', %s) query "
            "WHERE t.document @@ query" + restrict
        )
        sql = (
            "SELECT id, count(*) OVER () FROM (SELECT t.document_id AS id, "  # noqa: S608
            "ts_rank(t.document, query) AS r " + matches + " "
            "ORDER BY t.document_id DESC LIMIT %s) candidates "
            "ORDER BY r DESC, id DESC LIMIT %s OFFSET %s"
        )
    else:
        matches = "FROM knowledge_fts WHERE knowledge_fts MATCH %s" + restrict
        sql = (
            "SELECT rowid, count(*) OVER () FROM (SELECT rowid, rank AS r "  # noqa: S608
            + matches
            + " ORDER BY rowid DESC LIMIT %s) ORDER BY r, rowid DESC LIMIT %s OFFSET %s"
        )
    params = [expression, *restrict_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, RANK_CANDIDATES, limit, offset])
        rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        if rows and rows[0][1] < RANK_CANDIDATES:
            return ids, rows[0][1]
        if not rows and offset == 0:
            return [], 0
        cursor.execute("SELECT count(*) " + matches, params)
        (total,) = cursor.fetchone()
    return ids, total


def bare_query(terms: list[str], limit: int = 20) -> list[int]:
    """The plain full-text top-N with no filters, access rule or objects: the baseline."""
    expression = match_expression(terms)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT t.document_id FROM knowledge_tsv t, to_tsquery('simple', %s) query "
            "WHERE t.document @@ query ORDER BY ts_rank(t.document, query) DESC LIMIT %s"
        )
    else:
        sql = "SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH %s ORDER BY rank LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit])
        return [row[0] for row in cursor.fetchall()]


def search(params: KnowledgeQuery, user: User | None) -> KnowledgeResult:
    """Run one search. Raises QueryTooLong for queries over MAX_QUERY_LENGTH characters."""
    if len(params.q) > MAX_QUERY_LENGTH:
        raise QueryTooLong(MAX_QUERY_LENGTH)
    params.per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    params.page = max(1, min(params.page, MAX_PAGE))
    offset = (params.page - 1) * params.per_page
    condition = _filters(params, user)
    terms = terms_of(params.q)
    if terms:
        ids, total = ranked_ids(terms, condition, params.per_page, offset)
    else:
        browse: QuerySet[SearchDocument] = SearchDocument.objects.filter(condition).distinct()
        total = browse.count()
        ids = list(
            browse.order_by("-dated", "-pk").values_list("pk", flat=True)[
                offset : offset + params.per_page
            ]
        )
    by_id = {d.pk: d for d in SearchDocument.objects.filter(pk__in=ids)}
    documents = [by_id[i] for i in ids if i in by_id]
    return KnowledgeResult(documents, total, params.page, params.per_page, terms)


# Keeping the index in sync: call these inside the transaction that changed the object.


@dataclass(frozen=True)
class Entry:
    kind: str
    object_id: int
    title: str
    body: str
    snippet: str
    dated: datetime
    practice_id: int | None = None
    network_id: int | None = None
    region_id: int | None = None


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 280 else text[:279] + "…"


def practice_entry(practice: Practice) -> Entry:
    themes = " ".join(f"{t.name} {t.keywords}" for t in practice.themes.all())
    body = " ".join(
        [
            practice.summary,
            practice.problem,
            practice.why_it_works,
            practice.target_group,
            practice.goals,
            practice.approach,
            themes,
            " ".join(e.text for e in practice.elements.all()),
        ]
    )
    return Entry(
        Kind.PRACTICE,
        practice.pk,
        practice.name,
        body,
        _snippet(practice.summary),
        practice.updated_at,
        practice_id=practice.pk,
    )


def report_entry(report: ExperienceReport) -> Entry:
    use = report.use
    return Entry(
        Kind.REPORT,
        report.pk,
        f"{use.practice.name} · {use}",
        " ".join([report.adapted, report.effort, report.result]),
        _snippet(report.result),
        timezone.make_aware(datetime.combine(report.written_on, datetime.min.time())),
        practice_id=use.practice_id,
        region_id=use.region_id,
    )


def update_entry(update: ProgressUpdate) -> Entry:
    return Entry(
        Kind.PROGRESS,
        update.pk,
        f"{update.organisation.name} · {update.network.name}",
        " ".join([update.working_on, update.went_well, update.changed]),
        _snippet(update.working_on),
        update.posted_at,
        practice_id=update.practice_id,
        network_id=update.network_id,
        region_id=update.network.region_id,
    )


def term_entry(term: GlossaryTerm) -> Entry:
    return Entry(
        Kind.TERM,
        term.pk,
        term.term,
        " ".join([term.meaning, term.replaces, term.example]),
        _snippet(term.meaning),
        term.updated_at,
        region_id=term.region_id,
    )


def put(entries: Iterable[Entry]) -> None:
    """Write these documents and their index rows, replacing older ones of the same objects."""
    entries = list(entries)
    if not entries:
        return
    for start in range(0, len(entries), 2000):
        _put_chunk(entries[start : start + 2000])


def _put_chunk(entries: list[Entry]) -> None:
    by_kind: dict[str, list[int]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e.object_id)
    old = [
        pk
        for kind, ids in by_kind.items()
        for pk in SearchDocument.objects.filter(kind=kind, object_id__in=ids).values_list(
            "pk", flat=True
        )
    ]
    _drop_index_rows(old)
    SearchDocument.objects.filter(pk__in=old).delete()
    documents = SearchDocument.objects.bulk_create(
        SearchDocument(
            kind=e.kind,
            object_id=e.object_id,
            title=e.title[:300],
            snippet=e.snippet[:300],
            dated=e.dated,
            practice_id=e.practice_id,
            network_id=e.network_id,
            region_id=e.region_id,
        )
        for e in entries
    )
    rows = [
        (d.pk, " ".join(stems(e.title)), " ".join(stems(e.body)))
        for d, e in zip(documents, entries, strict=True)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "INSERT INTO knowledge_tsv (document_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'C'))",
                rows,
            )
        else:
            cursor.executemany(
                "INSERT INTO knowledge_fts (rowid, title, body) VALUES (%s, %s, %s)", rows
            )


def _drop_index_rows(ids: list[int]) -> None:
    if not ids:
        return
    placeholders = ",".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM knowledge_tsv WHERE document_id IN ({placeholders})",  # noqa: S608
                ids,
            )
        else:
            cursor.execute(
                f"DELETE FROM knowledge_fts WHERE rowid IN ({placeholders})",  # noqa: S608
                ids,
            )


def forget(kind: str, object_ids: Iterable[int]) -> None:
    """Take these objects out of the search (before they are deleted), in chunks that
    stay under SQLite's limit of variables per statement."""
    wanted = list(object_ids)
    for start in range(0, len(wanted), 2000):
        ids = list(
            SearchDocument.objects.filter(
                kind=kind, object_id__in=wanted[start : start + 2000]
            ).values_list("pk", flat=True)
        )
        _drop_index_rows(ids)
        SearchDocument.objects.filter(pk__in=ids).delete()


def index_practice(practice: Practice) -> None:
    put([practice_entry(practice)])
