"""Full-text search over the social map, on SQLite (FTS5) and PostgreSQL (tsvector).

Both databases get the same terms: lower case, accents removed, Snowball's Dutch stop
words dropped, each word stemmed by Snowball's Dutch stemmer in Python, at indexing and
at query time alike; each query term matches as a prefix, or one of its synonyms does,
or (a compound) all of its parts that the index holds ("opvoedproblemen": "opvoeden"
and "problemen").
The results contract is the same: every term must match, ranked by relevance (name
above themes above the rest), then by id (in blocks only beyond EXACT_MAX matches, see
``ranked_ids``); when nothing matches, typos are corrected and words
that no service uses are left out, and a long question that still finds nothing is
searched for any of its words. Filters are ordinary ORM conditions on the service;
the text match is one raw statement per backend over an index table that ``reindex``
keeps in sync (inactive services are kept out of it).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import hashlib
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import snowballstemmer
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import m2m_changed, post_delete, post_save

from rits.directory.models import Provider, Service, ServiceArea, Theme
from rits.directory.reachability import open_now_filter
from rits.regions.models import Area, Municipality

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_PER_PAGE = 100
MAX_PAGE = 500

# Snowball's Dutch stop words (the list PostgreSQL's 'dutch' configuration has), and one
# of the social map's own. Index and query drop the same words on both databases.
STOP_WORDS = frozenset(
    [
        "de",
        "en",
        "van",
        "ik",
        "te",
        "dat",
        "die",
        "in",
        "een",
        "hij",
        "het",
        "niet",
        "zijn",
        "is",
        "was",
        "op",
        "aan",
        "met",
        "als",
        "voor",
        "had",
        "er",
        "maar",
        "om",
        "hem",
        "dan",
        "zou",
        "of",
        "wat",
        "mijn",
        "men",
        "dit",
        "zo",
        "door",
        "over",
        "ze",
        "zich",
        "bij",
        "ook",
        "tot",
        "je",
        "mij",
        "uit",
        "der",
        "daar",
        "haar",
        "naar",
        "heb",
        "hoe",
        "heeft",
        "hebben",
        "deze",
        "u",
        "want",
        "nog",
        "zal",
        "me",
        "zij",
        "nu",
        "ge",
        "geen",
        "omdat",
        "iets",
        "worden",
        "toch",
        "al",
        "waren",
        "veel",
        "meer",
        "doen",
        "toen",
        "moet",
        "ben",
        "zonder",
        "kan",
        "hun",
        "dus",
        "alles",
        "onder",
        "ja",
        "eens",
        "hier",
        "wie",
        "werd",
        "altijd",
        "doch",
        "wordt",
        "wezen",
        "kunnen",
        "ons",
        "zelf",
        "tegen",
        "na",
        "reeds",
        "wil",
        "kon",
        "niets",
        "uw",
        "iemand",
        "geweest",
        "andere",
        # Every entry on a social map is help: "hulp bij opvoeden" means "opvoeden".
        "hulp",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+")
_AGE = re.compile(r"\b(\d{1,3})\s*(?:jaar|jr|years?|yrs?)\b")


class QueryTooLong(ValueError):
    pass


def normalise(text: str) -> str:
    """Lower case without accents ("Privé" → "prive"), for index and query alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Snowball's original Dutch stemmer, the one PostgreSQL's 'dutch' configuration runs
# (checked word for word against PostgreSQL 15 on the demo map). snowballstemmer 3
# calls it dutch_porter; its "dutch" is a newer, harsher one ("autisme" → "aut").
# snowballstemmer hands out PyStemmer's C stemmer of the same algorithm when that is
# installed (it is a dependency). Stemmer objects keep state between calls, so each
# thread has its own.
_STEMMERS = threading.local()


@functools.lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Dutch stem of one normalised word ("opvoeding" and "opvoeden" → "opvoed")."""
    stemmer = getattr(_STEMMERS, "dutch", None)
    if stemmer is None:
        stemmer = _STEMMERS.dutch = snowballstemmer.stemmer("dutch_porter")
    result: str = stemmer.stemWord(word)
    return result


def stems(text: str) -> list[str]:
    """The stems of a text's words without stop words, for index and query alike."""
    return [stem(token) for token in _TOKEN.findall(normalise(text)) if token not in STOP_WORDS]


def terms_of(query: str) -> list[str]:
    return [t for t in dict.fromkeys(stems(query)) if len(t) >= 2][:MAX_TERMS]


@dataclass
class SearchParams:
    q: str = ""
    municipality: Municipality | None = None
    area: Area | None = None
    age: int | None = None
    theme: Theme | None = None
    language: str | None = None
    open_at: datetime | None = None
    max_wait_weeks: int | None = None
    provider: Provider | None = None
    modified_after: datetime | None = None
    page: int = 1
    per_page: int = 20
    # Read "autisme 14 jaar Landgraaf" as a text query plus an age and a municipality.
    interpret: bool = True


@dataclass
class SearchResult:
    services: list[Service]
    total: int
    page: int
    per_page: int
    terms: list[str] = field(default_factory=list)
    corrected: str | None = None
    understood: dict[str, Any] = field(default_factory=dict)
    # No service has all the words: these have some of them, those with more and rarer
    # ones first (a long question: "wie helpt ons kind met autisme op school").
    some_words: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


_MUNICIPALITY_NAMES: dict[str, Any] = {}


def _municipality_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    """One regex for all municipality names (longest first, so "Bergen op Zoom" wins
    over "Bergen"), built once per process."""
    if not _MUNICIPALITY_NAMES:
        names = {normalise(n): pk for pk, n in Municipality.objects.values_list("pk", "name")}
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        _MUNICIPALITY_NAMES["pattern"] = re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])")
        _MUNICIPALITY_NAMES["names"] = names
    return _MUNICIPALITY_NAMES["pattern"], _MUNICIPALITY_NAMES["names"]


def interpret(params: SearchParams) -> tuple[str, dict[str, Any]]:
    """Lift an age ("14 jaar") and a municipality name out of the free text when the
    matching filter is not set, so the words do not have to occur in descriptions."""
    text = normalise(params.q)
    understood: dict[str, Any] = {}
    if params.age is None:
        match = _AGE.search(text)
        if match and int(match.group(1)) <= 120:
            params.age = int(match.group(1))
            understood["age"] = params.age
            text = text[: match.start()] + " " + text[match.end() :]
    if params.municipality is None and params.area is None and text.strip():
        pattern, names = _municipality_pattern()
        found = pattern.search(text)
        if found:
            params.municipality = Municipality.objects.get(pk=names[found.group(0)])
            understood["municipality"] = params.municipality.code
            text = text[: found.start()] + " " + text[found.end() :]
    return text, understood


# Facets: on SQLite the selective filters (place, theme, language, age) are tokens in a
# fourth FTS column, so FTS5 intersects them with the text match in C instead of
# checking every match against the service table. Ages above FACET_MAX_AGE share one
# token and are checked exactly afterwards.
FACET_MAX_AGE = 25
# Waiting times are one token each ("wt6"); "at most N weeks" is an OR of N+1 tokens.
# Longer waits share the last token and are checked exactly afterwards.
FACET_MAX_WAIT = 52


def facet_tokens(service: Service) -> str:
    tokens: list[str] = []
    for area in service.areas.all():
        code = area.municipality.code.lower()
        tokens.append(code)
        tokens.append(f"wk{area.area_id}" if area.area_id else f"mw{code}")
    tokens += [f"th{theme.pk}" for theme in service.themes.all()]
    tokens += [f"ln{code}" for code in service.language_codes]
    low = service.minimum_age if service.minimum_age is not None else 0
    high = service.maximum_age if service.maximum_age is not None else FACET_MAX_AGE
    tokens += [f"ag{age}" for age in range(min(low, FACET_MAX_AGE), min(high, FACET_MAX_AGE) + 1)]
    if service.wait_weeks is not None:
        tokens.append(f"wt{min(service.wait_weeks, FACET_MAX_WAIT)}")
    return " ".join(dict.fromkeys(tokens))


def _facet_expression(params: SearchParams) -> list[str]:
    parts = []
    if params.area is not None:
        code = params.area.municipality.code.lower()
        parts.append(f'(facets:"wk{params.area.pk}" OR facets:"mw{code}")')
    elif params.municipality is not None:
        parts.append(f'facets:"{params.municipality.code.lower()}"')
    if params.theme is not None:
        parts.append(f'facets:"th{params.theme.pk}"')
    if params.language:
        parts.append(f'facets:"ln{params.language}"')
    if params.age is not None:
        parts.append(f'facets:"ag{min(params.age, FACET_MAX_AGE)}"')
    if params.max_wait_weeks is not None:
        weeks = range(min(params.max_wait_weeks, FACET_MAX_WAIT) + 1)
        parts.append("(" + " OR ".join(f'facets:"wt{w}"' for w in weeks) + ")")
    return parts


def _age_q(age: int) -> Q:
    return Q(
        Q(minimum_age__isnull=True) | Q(minimum_age__lte=age),
        Q(maximum_age__isnull=True) | Q(maximum_age__gte=age),
    )


def _post_filters(params: SearchParams, *, with_facets: bool) -> Q | None:
    """Conditions checked on the service row; ``with_facets`` adds the ones that the
    SQLite facets handle (for PostgreSQL and for browsing without text)."""
    conditions: list[Q] = []
    if with_facets:
        if params.area is not None:
            conditions.append(
                Q(
                    pk__in=ServiceArea.objects.filter(
                        Q(area=params.area)
                        | Q(municipality_id=params.area.municipality_id, area__isnull=True)
                    ).values("service_id")
                )
            )
        elif params.municipality is not None:
            conditions.append(
                Q(
                    pk__in=ServiceArea.objects.filter(municipality=params.municipality).values(
                        "service_id"
                    )
                )
            )
        if params.theme is not None:
            conditions.append(
                Q(
                    pk__in=Service.themes.through.objects.filter(theme=params.theme).values(
                        "service_id"
                    )
                )
            )
        if params.language:
            conditions.append(Q(languages__contains=f" {params.language} "))
        if params.age is not None:
            conditions.append(_age_q(params.age))
    else:
        if params.age is not None and params.age >= FACET_MAX_AGE:
            conditions.append(_age_q(params.age))
        if params.max_wait_weeks is not None and params.max_wait_weeks >= FACET_MAX_WAIT:
            conditions.append(Q(wait_weeks__lte=params.max_wait_weeks))
    if with_facets and params.max_wait_weeks is not None:
        conditions.append(Q(wait_weeks__lte=params.max_wait_weeks))
    if params.open_at is not None:
        conditions.append(open_now_filter(params.open_at))
    if params.provider is not None:
        conditions.append(Q(provider=params.provider))
    if params.modified_after is not None:
        conditions.append(Q(updated_at__gte=params.modified_after))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined &= condition
    return combined


# Words people search with for what a service calls otherwise, matched as one: a
# parent says "depressie" where the service says "somberheid". Stemming cannot join
# them (different words, or a derived one: "autistisch" is no form of "autisme").
SYNONYMS = [
    ("depressie", "depressief", "somberheid"),
    ("autistisch", "autisme"),
    ("angstig", "angst"),
    ("psychotisch", "psychose"),
    ("gescheiden", "scheiding"),
    ("verslaafd", "verslaving"),
    ("mishandeld", "mishandeling"),
]
_SYNONYM_STEMS: dict[str, tuple[str, ...]] = {}
for _group in SYNONYMS:
    _stems = tuple(dict.fromkeys(stem(normalise(word)) for word in _group))
    for _stem in _stems:
        _SYNONYM_STEMS[_stem] = _stems


def alternatives(term: str) -> tuple[str, ...]:
    """The term and the stems of its synonyms, any of which may match."""
    return _SYNONYM_STEMS.get(term, (term,))


# Dutch writes compounds as one word ("opvoedproblemen", "schuldhulpverlening") where
# the services may write the parts ("problemen bij het opvoeden"). A query term of at
# least COMPOUND_MIN letters is split into parts the index itself holds, each an
# indexed stem (or a word whose stem is indexed), matched as that whole word: a part
# matched as a prefix would find far more than the compound means ("zorg" in
# "geldzorgen" is no "zorgverzekering"). Between parts the Dutch linking letters "s",
# "e" or "en" may stand ("gezinSbegeleiding"). Parts that are stop words ("hulp" in
# "schuldhulpverlening") are allowed and then left out, but at least two parts must
# remain. The fewest parts win, then the longest first part. The compound then matches
# as itself (a prefix, as every term) OR as all of its parts.
COMPOUND_MIN = 8
COMPOUND_PART_MIN = 4
COMPOUND_MAX_PARTS = 4
COMPOUND_LINKS = ("", "s", "en", "e")


def decompound(term: str, words: list[str] | None = None) -> tuple[str, ...] | None:
    """The parts (index stems) of a compound query stem, or None.

    ``words`` is the sorted vocabulary of the index (``vocabulary()`` by default).
    """
    if len(term) < COMPOUND_MIN or not term.isalpha():
        return None
    known = _vocabulary_set(vocabulary() if words is None else words)
    for count in range(2, COMPOUND_MAX_PARTS + 1):
        parts = _split(term, count, known)
        if parts is not None:
            content = tuple(dict.fromkeys(p for p in parts if p not in STOP_WORDS))
            if len(content) >= 2:
                return content
    return None


def _part(text: str, known: frozenset[str]) -> str | None:
    """The text as a part of a compound: itself or its stem if indexed, or a stop word."""
    if len(text) < COMPOUND_PART_MIN:
        return None
    if text in STOP_WORDS or text in known:
        return text
    stemmed = stem(text)
    return stemmed if stemmed in known else None


def _split(rest: str, count: int, known: frozenset[str]) -> list[str] | None:
    """``rest`` as exactly ``count`` parts (longest first part first), or None."""
    if count == 1:
        last = _part(rest, known)
        return None if last is None else [last]
    for end in range(len(rest) - COMPOUND_PART_MIN, COMPOUND_PART_MIN - 1, -1):
        part = _part(rest[:end], known)
        if part is None:
            continue
        for link in COMPOUND_LINKS:
            if rest.startswith(link, end):
                tail = _split(rest[end + len(link) :], count - 1, known)
                if tail is not None:
                    return [part, *tail]
    return None


_VOCABULARY_SETS: dict[int, frozenset[str]] = {}


def _vocabulary_set(words: list[str]) -> frozenset[str]:
    """The vocabulary as a set, made once per vocabulary read."""
    key = id(words)
    found = _VOCABULARY_SETS.get(key)
    if found is None:
        _VOCABULARY_SETS.clear()
        found = _VOCABULARY_SETS[key] = frozenset(words)
    return found


def expansions(term: str) -> list[tuple[str, ...]]:
    """What may match for one query term: the term or a synonym (one stem each, as a
    prefix), or all parts of the term as a compound (whole words)."""
    found: list[tuple[str, ...]] = [(t,) for t in alternatives(term)]
    parts = decompound(term)
    if parts is not None:
        found.append(parts)
    return found


def match_expression(
    terms: list[str], facets: list[str] | None = None, *, any_term: bool = False
) -> str:
    """The backend's query syntax for "all terms (or, with ``any_term``, at least one),
    each as a prefix, or one of its synonyms, or all parts of it as a compound" (plus
    facets on SQLite, which must always hold). The terms are stems, as the index holds."""
    if connection.vendor == "postgresql":
        return (" | " if any_term else " & ").join(
            "("
            + " | ".join(
                "(" + " & ".join(group) + ")" if len(group) > 1 else f"{group[0]}:*"
                for group in expansions(term)
            )
            + ")"
            for term in terms
        )
    text = [
        "{name themes body}:("
        + " OR ".join(
            "(" + " AND ".join(f'"{t}"' for t in group) + ")"
            if len(group) > 1
            else f'"{group[0]}"*'
            for group in expansions(term)
        )
        + ")"
        for term in terms
    ]
    if any_term and len(text) > 1:
        text = ["(" + " OR ".join(text) + ")"]
    return " AND ".join(text + (facets or []))


# Ranking is exact: every match ranked by relevance, then by id, so that the first
# page is the best twenty of all matches. Only a search with more than EXACT_MAX matches
# (a word nearly every service uses, on a national map) is ranked in blocks of
# RANK_CANDIDATES instead, newest services first: block 0 is the newest RANK_CANDIDATES
# matches ranked by relevance, block 1 the next ones, and so on (the same order on
# PostgreSQL); paging stays consistent and the total exact. On SQLite ranking is the
# expensive part (bm25, one to two microseconds per match), so the ranked pages of a
# search are kept (``_cached_page``) for everyone: the social map is public, the same
# words find the same services for every reader.
RANK_CANDIDATES = 5000
EXACT_MAX = 60_000
# The ids of this many first results are ranked and kept at once, so that the next
# pages of a search cost no ranking either.
KEPT_RESULTS = 100


def ranked_ids(
    params: SearchParams, terms: list[str], limit: int, offset: int, *, any_term: bool = False
) -> tuple[list[int], int]:
    """The ids of one page of matches, best first (see EXACT_MAX for a search that
    matches nearly everything), and the number of matches.

    SQLite: FTS5 drives (text and facets in one MATCH); remaining conditions are a
    correlated EXISTS on the service row, so SQLite never drives from the filter side.
    PostgreSQL: the GIN index drives; all filters are a correlated EXISTS the planner
    may turn into a semi-join when a filter is selective.
    """
    postgres = connection.vendor == "postgresql"
    expression = match_expression(
        terms, None if postgres else _facet_expression(params), any_term=any_term
    )
    restrict = ""
    restrict_params: list[Any] = []
    condition = _post_filters(params, with_facets=postgres)
    if condition is not None:
        # Correlated on the match, so the database checks the filters for the matches
        # only, instead of working out the whole filtered set first.
        key = "t.service_id" if postgres else "directory_service_fts.rowid"
        inner = Service.objects.filter(condition).filter(pk=RawSQL(key, ())).values("pk")  # noqa: S611  (a fixed column name)
        inner_sql, inner_params = inner.query.sql_with_params()
        restrict = f" AND EXISTS ({inner_sql})"
        restrict_params = list(inner_params)
    run = _ranked_ids_postgres if postgres else _ranked_ids_sqlite
    if offset + limit <= KEPT_RESULTS:
        ids, total = _cached_page(run, expression, restrict, restrict_params)
        return ids[offset : offset + limit], total
    return run(expression, restrict, restrict_params, limit, offset)


def _ranked_ids_sqlite(
    expression: str, restrict: str, restrict_params: list[Any], limit: int, offset: int
) -> tuple[list[int], int]:
    # Fixed fragments and ORM-compiled SQL only; every value is a parameter.
    matches = "FROM directory_service_fts WHERE directory_service_fts MATCH %s" + restrict
    match_params = [expression, *restrict_params]
    with connection.cursor() as cursor:
        # Counting needs no ranking, and tells whether every match can be ranked.
        cursor.execute("SELECT count(*) " + matches, match_params)
        (total,) = cursor.fetchone()
        if total == 0 or offset >= total:
            return [], total
        if total <= EXACT_MAX:
            cursor.execute(
                "SELECT rowid " + matches + " ORDER BY rank, rowid LIMIT %s OFFSET %s",
                [*match_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()], total
        # Each block is read in rowid order (no ranking), then only its rows are ranked.
        block_sql = (
            "SELECT rowid FROM (SELECT rowid, rank AS r "  # noqa: S608
            + matches
            + " ORDER BY rowid DESC LIMIT %s OFFSET %s) ORDER BY r, rowid LIMIT %s OFFSET %s"
        )
        ids: list[int] = []
        position = offset
        while len(ids) < limit and position < total:
            block, within = divmod(position, RANK_CANDIDATES)
            take = min(limit - len(ids), RANK_CANDIDATES - within)
            cursor.execute(
                block_sql,
                [*match_params, RANK_CANDIDATES, block * RANK_CANDIDATES, take, within],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            ids += [row[0] for row in rows]
            position += take
    return ids, total


# Kept pages: the first KEPT_RESULTS ids and the total of a search, in each server
# process's memory (the "search_results" cache), under the index's generation. Every
# change to the social map's data (a saved or deleted row of this app, a reindex)
# moves the generation on in the shared cache, after its commit, so that no process
# serves a page from before a change: the generation is read once per search.
_GENERATION_KEY = "directory:search-generation"


def _generation() -> int:
    value = caches["default"].get(_GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        caches["default"].add(_GENERATION_KEY, value, timeout=None)
        value = caches["default"].get(_GENERATION_KEY, value)
    return int(value)


def _bump_generation() -> None:
    caches["default"].set(_GENERATION_KEY, time.time_ns(), timeout=None)


def forget_results() -> None:
    """A change to the map: every process ranks anew.

    The generation moves on at once (on the database cache that is part of the
    change's transaction, so other processes see it when the change commits) and
    once more after the commit (a cache outside the database, where another process
    may have kept a page from before the commit in between).
    """
    _bump_generation()
    if connection.in_atomic_block and not any(
        entry[1] is _bump_generation for entry in connection.run_on_commit
    ):
        transaction.on_commit(_bump_generation)


def _cached_page(
    run: Any, expression: str, restrict: str, restrict_params: list[Any]
) -> tuple[list[int], int]:
    raw = repr((expression, restrict, restrict_params)).encode()
    key = f"{_generation()}:{hashlib.sha256(raw).hexdigest()}"
    kept = caches["search_results"].get(key)
    if kept is None:
        kept = run(expression, restrict, restrict_params, KEPT_RESULTS, 0)
        caches["search_results"].set(key, kept)
    ids, total = kept
    return list(ids), int(total)


def _map_changed(sender: Any, **kwargs: Any) -> None:
    if sender._meta.app_label == "directory":
        forget_results()


post_save.connect(_map_changed, dispatch_uid="rits.directory.search.saved")
post_delete.connect(_map_changed, dispatch_uid="rits.directory.search.deleted")
m2m_changed.connect(_map_changed, dispatch_uid="rits.directory.search.m2m")


def _ranked_ids_postgres(
    expression: str, restrict: str, restrict_params: list[Any], limit: int, offset: int
) -> tuple[list[int], int]:
    """The same order on PostgreSQL in one statement. Here the cost is in matching
    (every candidate document is read to check the prefix query), not in ts_rank, so
    all matches are ranked; beyond EXACT_MAX matches the block is the first ordering
    key, over narrow rows."""
    sql = (
        "SELECT id, total FROM (SELECT id, r, count(*) OVER () AS total, "  # noqa: S608
        "(row_number() OVER (ORDER BY id DESC) - 1) / %s AS block FROM ("
        "SELECT t.service_id AS id, ts_rank(t.document, query) AS r "
        "FROM directory_service_tsv t, to_tsquery('simple', %s) query "
        "WHERE t.document @@ query" + restrict + ") matched) ranked "
        "ORDER BY CASE WHEN total > %s THEN block ELSE 0 END, r DESC, id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [RANK_CANDIDATES, expression, *restrict_params, EXACT_MAX, limit, offset]
        )
        rows = cursor.fetchall()
        if rows:
            return [row[0] for row in rows], rows[0][1]
        if offset == 0:
            return [], 0
        cursor.execute(
            "SELECT count(*) FROM directory_service_tsv t, "  # noqa: S608
            "to_tsquery('simple', %s) query WHERE t.document @@ query" + restrict,
            [expression, *restrict_params],
        )
        (total,) = cursor.fetchone()
    return [], total


def bare_query(terms: list[str], limit: int = 20) -> list[int]:
    """The plain full-text top-N with no filters, count or objects: the benchmark's baseline."""
    expression = match_expression(terms)
    if connection.vendor == "postgresql":
        sql = (
            "SELECT t.service_id FROM directory_service_tsv t, to_tsquery('simple', %s) query "
            "WHERE t.document @@ query ORDER BY ts_rank(t.document, query) DESC LIMIT %s"
        )
    else:
        sql = (
            "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s "
            "ORDER BY rank LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit])
        return [row[0] for row in cursor.fetchall()]


def _page_objects(ids: list[int]) -> list[Service]:
    objects = (
        Service.objects.filter(pk__in=ids)
        .select_related("provider")
        .prefetch_related(
            Prefetch("themes", Theme.objects.order_by("position")),
            Prefetch("areas", ServiceArea.objects.select_related("municipality")),
            "phones",
        )
    )
    by_id = {s.pk: s for s in objects}
    return [by_id[i] for i in ids if i in by_id]


def _some_words_page(params: SearchParams, terms: list[str], offset: int) -> tuple[list[int], int]:
    """One page of services with any of the terms: the best SOME_WORDS_CANDIDATES by
    relevance reordered by how many of the terms each has (then by relevance), so that
    the service about "autisme" and "school" comes before one that says "school" often;
    later pages in relevance order."""
    if offset >= SOME_WORDS_CANDIDATES:
        return ranked_ids(params, terms, params.per_page, offset, any_term=True)
    ids, total = ranked_ids(params, terms, SOME_WORDS_CANDIDATES, 0, any_term=True)
    services = Service.objects.filter(pk__in=ids).prefetch_related("themes")
    words: dict[int, set[str]] = {}
    for service in services:
        themes = " ".join(f"{t.name} {t.keywords}" for t in service.themes.all())
        text = f"{service.name} {themes} {service.description} {service.eligibility_description}"
        words[service.pk] = set(stems(text))

    def has(pk: int, term: str) -> bool:
        found = words.get(pk, set())
        return any(
            all(any(w.startswith(part) for w in found) for part in group)
            for group in expansions(term)
        )

    position = {pk: i for i, pk in enumerate(ids)}
    ordered = sorted(ids, key=lambda pk: (-sum(has(pk, t) for t in terms), position[pk]))
    return ordered[offset : offset + params.per_page], total


SOME_WORDS_CANDIDATES = 100
# A question of this many words or more (a long question) that no service answers
# with all of them is searched for any of them (after typos are corrected and unused
# words left out); two words must still both match.
SOME_WORDS_MIN_TERMS = 3


def search(params: SearchParams) -> SearchResult:
    """Run one search. Raises QueryTooLong for queries over MAX_QUERY_LENGTH characters."""
    if len(params.q) > MAX_QUERY_LENGTH:
        raise QueryTooLong(MAX_QUERY_LENGTH)
    params.per_page = max(1, min(params.per_page, MAX_PER_PAGE))
    params.page = max(1, min(params.page, MAX_PAGE))
    text, understood = interpret(params) if params.interpret else (params.q, {})
    terms = terms_of(text)
    offset = (params.page - 1) * params.per_page
    if not terms:
        qs = Service.objects.filter(status=Service.Status.ACTIVE)
        facets = _facet_expression(params) if connection.vendor == "sqlite" else []
        if facets:
            # Browsing by place or theme: the facet tokens find the candidates.
            qs = qs.filter(
                pk__in=RawSQL(
                    "SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s",
                    (" AND ".join(facets),),
                )
            )
        condition = _post_filters(params, with_facets=not facets)
        if condition is not None:
            qs = qs.filter(condition)
        total = qs.count()
        page_qs = qs.order_by("name", "pk").values_list("pk", flat=True)
        ids = list(page_qs[offset : offset + params.per_page])
        return SearchResult(
            _page_objects(ids), total, params.page, params.per_page, [], None, understood
        )
    ids, total = ranked_ids(params, terms, params.per_page, offset)
    corrected = None
    if total == 0:
        # Typos corrected; a compound no service uses searched by its leading word
        # ("angststoornis" by "angst"); other words no service uses left out: "mijn
        # zoon van 14 is somber" is about "somber", "zoon" occurs nowhere.
        words = vocabulary()
        fixed = []
        for term in correct(terms):
            if not _is_known(term, words):
                term = leading_word(term, words) or ""
            if term and term not in fixed:
                fixed.append(term)
        if fixed and fixed != terms:
            ids, total = ranked_ids(params, fixed, params.per_page, offset)
            if total:
                # Shown as the user's own words where a term was kept.
                own = {stem(word): word for word in _TOKEN.findall(normalise(text))}
                corrected, terms = " ".join(own.get(t, t) for t in fixed), fixed
        if total == 0 and len(fixed) >= SOME_WORDS_MIN_TERMS:
            # A long question no service answers word for word: any of its words,
            # ranked by relevance, which puts services with more (and rarer) ones first.
            ids, total = _some_words_page(params, fixed, offset)
            if total:
                return SearchResult(
                    _page_objects(ids),
                    total,
                    params.page,
                    params.per_page,
                    fixed,
                    None,
                    understood,
                    some_words=True,
                )
    return SearchResult(
        _page_objects(ids), total, params.page, params.per_page, terms, corrected, understood
    )


# Typo tolerance: only when a search finds nothing, each term that is no prefix of any
# indexed word is replaced by the closest indexed word. The vocabulary is read from the
# index itself and kept for a few minutes per process.
# "loaded" is a time.monotonic() reading, or None when the words must be read again.
# (Not 0.0: the monotonic clock starts near zero when the machine boots.)
_VOCABULARY: dict[str, Any] = {"words": [], "loaded": None}
VOCABULARY_TTL = 600.0


def forget_vocabulary() -> None:
    _VOCABULARY["loaded"] = None


def vocabulary() -> list[str]:
    loaded = _VOCABULARY["loaded"]
    if loaded is None or time.monotonic() - loaded > VOCABULARY_TTL or not _VOCABULARY["words"]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT word FROM ts_stat('SELECT document FROM directory_service_tsv') "
                    "WHERE length(word) > 1"
                )
            else:
                cursor.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.directory_service_vocab "
                    "USING fts5vocab(main, 'directory_service_fts', 'col')"
                )
                cursor.execute(
                    "SELECT DISTINCT term FROM temp.directory_service_vocab "
                    "WHERE col != 'facets' AND length(term) > 1"
                )
            _VOCABULARY["words"] = sorted(row[0] for row in cursor.fetchall())
        _VOCABULARY["loaded"] = time.monotonic()
    words: list[str] = _VOCABULARY["words"]
    return words


def _is_prefix_of_some(term: str, words: list[str]) -> bool:
    i = bisect.bisect_left(words, term)
    return i < len(words) and words[i].startswith(term)


def _is_known(term: str, words: list[str]) -> bool:
    return any(_is_prefix_of_some(t, words) for t in alternatives(term))


def leading_word(term: str, words: list[str]) -> str | None:
    """The longest indexed word (three letters or more) that the term begins with. A
    Dutch compound names its topic first ("geldzorgen", "gameverslaving",
    "schuldhulpverlening"), so that word finds the services a compound nobody wrote
    is about."""
    for end in range(len(term) - 1, 2, -1):
        i = bisect.bisect_left(words, term[:end])
        if i < len(words) and words[i] == term[:end]:
            return term[:end]
    return None


def correct(terms: list[str]) -> list[str]:
    """Replace each unknown term by the closest indexed word that starts with the same
    letter and is at most two letters longer or shorter (keeps difflib's work small)."""
    words = vocabulary()
    fixed = []
    for term in terms:
        if len(term) < 4 or _is_known(term, words):
            fixed.append(term)
            continue
        first = bisect.bisect_left(words, term[0])
        last = bisect.bisect_left(words, chr(ord(term[0]) + 1))
        candidates = [w for w in words[first:last] if abs(len(w) - len(term)) <= 2]
        close = difflib.get_close_matches(term, candidates, n=1, cutoff=0.75)
        fixed.append(close[0] if close else term)
    return fixed


# Keeping the index in sync.


def document(service: Service) -> tuple[str, str, str]:
    """The three text fields as stems: name, themes (with their search words), and the
    rest. Both databases index these stems as they are (PostgreSQL with the 'simple'
    configuration), so index and query are stemmed by the same code, whatever Snowball
    version the database server has."""
    themes = " ".join(f"{t.name} {t.keywords}" for t in service.themes.all())
    places: list[str] = []
    for area in service.areas.all():
        places.append(area.municipality.name)
        if area.area is not None:
            places.append(area.area.name)
    body = " ".join(
        [
            service.description,
            service.provider.name,
            service.eligibility_description,
            " ".join(dict.fromkeys(places)),
        ]
    )
    return " ".join(stems(service.name)), " ".join(stems(themes)), " ".join(stems(body))


def reindex(service_ids: Iterable[int]) -> None:
    """Bring the index rows of these services up to date (call inside the transaction
    that changed them). Inactive and deleted services leave the index."""
    ids = list(service_ids)
    if not ids:
        return
    for start in range(0, len(ids), 2000):
        _reindex_chunk(ids[start : start + 2000])
    forget_vocabulary()
    forget_results()


def _reindex_chunk(ids: list[int]) -> None:
    services = (
        Service.objects.filter(pk__in=ids, status=Service.Status.ACTIVE)
        .select_related("provider")
        .prefetch_related("themes", "areas__municipality", "areas__area")
    )
    postgres = connection.vendor == "postgresql"
    rows = [
        (s.pk, *document(s)) if postgres else (s.pk, *document(s), facet_tokens(s))
        for s in services
    ]
    placeholders = ",".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute(
                f"DELETE FROM directory_service_tsv WHERE service_id IN ({placeholders})",  # noqa: S608
                ids,
            )
            cursor.executemany(
                "INSERT INTO directory_service_tsv (service_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C'))",
                rows,
            )
        else:
            cursor.execute(
                f"DELETE FROM directory_service_fts WHERE rowid IN ({placeholders})",  # noqa: S608
                ids,
            )
            cursor.executemany(
                "INSERT INTO directory_service_fts (rowid, name, themes, body, facets) "
                "VALUES (%s, %s, %s, %s, %s)",
                rows,
            )


def reindex_all() -> int:
    """Rebuild the whole index (after a bulk load); returns the number of services."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM directory_service_tsv")
        else:
            cursor.execute("DELETE FROM directory_service_fts")
    ids = list(Service.objects.values_list("pk", flat=True).order_by("pk"))
    reindex(ids)
    return len(ids)
