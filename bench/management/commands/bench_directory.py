# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""Benchmark the social map at national scale.

Generates N services (default 100,000) over all 342 municipalities, with descriptions
drawn Zipf-like from a vocabulary of thousands of Dutch words plus the real theme words,
then measures, in the same run and on the same data:

- search p50/p95 for a fixed query mix, in-process (``search.search``) and over HTTP
  (``GET /api/v1/services`` on a local WSGI server, one client at a time);
- the bare full-text query (top 20, no filters, no count, no objects) for the same terms;
- "who do I call now" p50/p99, in-process and over HTTP.

Generated rows are marked ("[bench]" providers) and removed afterwards unless --keep;
with --keep a second run reuses them.
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from faker.providers.lorem.nl_NL import Provider as DutchWords

from rits.accounts.throttling import BENCHMARK_RATES
from rits.directory import reachability, search
from rits.directory.models import (
    CrisisLine,
    OpeningHours,
    Provider,
    Service,
    ServiceArea,
    Theme,
    pack_languages,
)
from rits.regions.models import Municipality, YouthCareRegion

TAG = "[bench] "
SERVICES_PER_PROVIDER = 10
VOCABULARY_SIZE = 6000
THEME_WORDS = [
    "opvoeding",
    "opvoeden",
    "gezinsbegeleiding",
    "autisme",
    "adhd",
    "angst",
    "depressie",
    "trauma",
    "verslaving",
    "alcohol",
    "gamen",
    "schulden",
    "armoede",
    "school",
    "leerplicht",
    "thuiszitter",
    "wonen",
    "zelfstandig",
    "kamertraining",
    "huiselijk",
    "geweld",
    "veiligheid",
    "sport",
    "jongerenwerk",
    "consultatiebureau",
    "logopedie",
    "scheiding",
    "pleegzorg",
    "dagbehandeling",
    "begeleiding",
    "jongeren",
    "kinderen",
    "ouders",
    "gezin",
    "hulp",
]
# Words that go with each theme, so "autisme" occurs where development is the theme
# rather than in a random tenth of all descriptions.
THEME_VOCABULARY = {
    "opvoeden": ["opvoeding", "opvoeden", "gezinsbegeleiding", "ouderschap", "gedrag"],
    "ontwikkeling": ["autisme", "adhd", "taalontwikkeling", "logopedie", "dyslexie"],
    "ggz": ["angst", "depressie", "trauma", "somberheid", "psycholoog"],
    "lvb": ["dagbehandeling", "begeleiding", "beperking"],
    "verslaving": ["alcohol", "gamen", "drugs", "gokken"],
    "geld": ["schulden", "armoede", "budget", "toeslagen"],
    "onderwijs": ["school", "leerplicht", "thuiszitter", "huiswerk"],
    "wonen-18": ["wonen", "zelfstandig", "kamertraining", "achttien"],
    "veiligheid": ["huiselijk", "geweld", "veiligheid", "kindermishandeling"],
    "vrije-tijd": ["sport", "jongerenwerk", "zwemles", "muziek"],
    "gezondheid": ["consultatiebureau", "voeding", "slapen", "vaccinatie"],
    "scheiding": ["scheiding", "omgang", "ouderschapsplan"],
    "werk": ["stage", "baan", "opleiding"],
    "crisis": ["spoed", "acuut", "pleegzorg"],
}
COMMON_CARE_WORDS = ["jongeren", "kinderen", "ouders", "gezin", "hulp", "begeleiding"]
NAME_STEMS = [
    "Ambulante begeleiding",
    "Gezinscoaching",
    "Jeugd-GGZ",
    "Opvoedondersteuning",
    "Schuldhulp",
    "Kamertraining",
    "Jongerenwerk",
    "Sportcoach",
    "Logopedie",
    "Dagbehandeling",
    "Pleegzorg",
    "Ouderbegeleiding",
    "Traumabehandeling",
    "Gameverslaving",
    "Leerplicht",
    "Consultatiebureau",
    "Scheidingsgroep",
    "Mentorproject",
    "Taalhuis",
    "Buurtgezinnen",
]
LANGUAGE_POOL = ["en", "ar", "tr", "pl", "de", "uk", "ti"]


def _vocabulary(rng: random.Random) -> list[str]:
    """The Dutch function words at the top ranks (as in real text, where "de", "het"
    and "en" are the most frequent words), then Faker's 1,000 Dutch words plus
    compounds of them (Dutch writes compounds as one word), shuffled so that frequency
    rank is unrelated to spelling."""
    function_words = sorted(search.STOP_WORDS)
    rng.shuffle(function_words)
    base = sorted({w for w in DutchWords.word_list if w.isalpha() and len(w) > 2})
    words = set(base) - search.STOP_WORDS
    while len(words) < VOCABULARY_SIZE - len(function_words):
        words.add(rng.choice(base) + rng.choice(base))
    content = sorted(words)
    rng.shuffle(content)
    return function_words + content


class ZipfWords:
    """Draw words with probability proportional to 1/rank^s (s = 1.07, as in Dutch text)."""

    def __init__(self, words: list[str], rng: random.Random, s: float = 1.07) -> None:
        self.words = words
        self.rng = rng
        weights = [1 / (rank**s) for rank in range(1, len(words) + 1)]
        total = sum(weights)
        self.cumulative: list[float] = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)

    def sample(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)


class _exact_ranking:
    """Rank every match and keep nothing: the contract's exact order, the reference."""

    NAMES = {"RANK_CANDIDATES": 10**9, "EXACT_MAX": 10**9, "KEPT_RESULTS": 0}

    def __enter__(self) -> None:
        self.saved = {name: getattr(search, name) for name in self.NAMES if hasattr(search, name)}
        for name in self.saved:
            setattr(search, name, self.NAMES[name])

    def __exit__(self, *exc: object) -> None:
        for name, value in self.saved.items():
            setattr(search, name, value)


def forget_kept_pages() -> None:
    """Searches as the first one after a change: no ranked page kept in memory."""
    if "search_results" in settings.CACHES:
        caches["search_results"].clear()


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


class Command(BaseCommand):
    help = "Benchmark social-map search and crisis routing at national scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=20, help="Repeats of the query mix.")
        parser.add_argument("--crisis-samples", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--keep", action="store_true", help="Keep the generated map.")
        parser.add_argument(
            "--generate-only", action="store_true", help="Generate (and keep) without measuring."
        )

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        self.stdout.write(
            f"\r  {label:<26} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}", ending=end
        )
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        # Query logging (DEBUG) would distort the figures and grow without bound.
        settings.DEBUG = False
        rng = random.Random(options["seed"])
        n = options["services"]
        existing = Service.objects.filter(provider__name__startswith=TAG).count()
        if existing != n:
            if existing:
                self.cleanup()
            started = time.perf_counter()
            self.generate(n, rng)
            self.stdout.write(f"  generated and indexed in {time.perf_counter() - started:.0f} s")
        else:
            self.stdout.write(f"  reusing {existing} generated services")
        if options["generate_only"]:
            return
        try:
            # Thousands of calls from one address: the limits are lifted (and still checked).
            with override_settings(**BENCHMARK_RATES):
                self.measure(options, rng)
        finally:
            if not options["keep"]:
                self.cleanup()

    # Generation

    def generate(self, n: int, rng: random.Random) -> None:
        municipalities = list(Municipality.objects.select_related("region").order_by("code"))
        by_region: dict[int, list[Municipality]] = {}
        for m in municipalities:
            by_region.setdefault(m.region_id, []).append(m)
        themes = list(Theme.objects.all())
        vocabulary = ZipfWords(_vocabulary(rng), rng)
        providers_needed = max(1, n // SERVICES_PER_PROVIDER)
        with transaction.atomic():
            providers = [
                Provider(
                    name=f"{TAG}{rng.choice(NAME_STEMS)} {m.name} {i}",
                    description=" ".join(vocabulary.sample(20)),
                    municipality=m,
                )
                for i in range(providers_needed)
                for m in [municipalities[i % len(municipalities)]]
            ]
            for start in range(0, len(providers), 2000):
                Provider.objects.bulk_create(providers[start : start + 2000])
                self.progress("providers", min(start + 2000, len(providers)), len(providers))
        providers = list(
            Provider.objects.filter(name__startswith=TAG).select_related("municipality")
        )
        today = timezone.localdate()
        theme_through = Service.themes.through
        done = 0
        chunk = 2000
        while done < n:
            size = min(chunk, n - done)
            with transaction.atomic():
                batch = []
                for i in range(done, done + size):
                    provider = providers[i % len(providers)]
                    theme_sample = rng.sample(themes, rng.choice((1, 1, 2, 3)))
                    words = vocabulary.sample(rng.randint(25, 70))
                    for theme in theme_sample:
                        own = THEME_VOCABULARY.get(theme.code, [])
                        words += rng.sample(own, min(len(own), rng.randint(1, 2)))
                    words += rng.sample(COMMON_CARE_WORDS, 2)
                    rng.shuffle(words)
                    low = rng.choice((None, 0, 4, 6, 12, 16))
                    high = rng.choice((None, 12, 18, 23)) if low is None or low < 12 else 23
                    stem = rng.choice(NAME_STEMS)
                    batch.append(
                        Service(
                            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                            provider=provider,
                            name=f"{stem} {vocabulary.sample(1)[0]}",
                            description=" ".join(words).capitalize() + ".",
                            minimum_age=low,
                            maximum_age=high,
                            languages=pack_languages(
                                ["nl", *rng.sample(LANGUAGE_POOL, rng.choice((0, 0, 1, 2)))]
                            ),
                            wait_weeks=rng.choice((None, 0, 1, 2, 4, 6, 8, 12, 20)),
                            wait_confirmed_on=today - timedelta(days=rng.randint(0, 90)),
                        )
                    )
                    batch[-1]._themes = theme_sample  # type: ignore[attr-defined]
                Service.objects.bulk_create(batch)
                theme_rows, area_rows, hour_rows = [], [], []
                for service in batch:
                    for theme in service._themes:  # type: ignore[attr-defined]
                        theme_rows.append(theme_through(service_id=service.pk, theme_id=theme.pk))
                    home = service.provider.municipality
                    assert home is not None
                    places = {home.pk}
                    neighbours = by_region[home.region_id]
                    for _ in range(rng.choice((0, 0, 1, 2))):
                        places.add(rng.choice(neighbours).pk)
                    area_rows += [ServiceArea(service=service, municipality_id=p) for p in places]
                    if rng.random() < 0.7:
                        opens = rng.choice(((8, 30), (9, 0), (13, 0)))
                        closes = rng.choice(((17, 0), (17, 30), (21, 0)))
                        for day in range(5 if rng.random() < 0.8 else 7):
                            hour_rows.append(
                                OpeningHours(
                                    service=service,
                                    weekday=day,
                                    opens_at=f"{opens[0]:02d}:{opens[1]:02d}",
                                    closes_at=f"{closes[0]:02d}:{closes[1]:02d}",
                                )
                            )
                theme_through.objects.bulk_create(theme_rows)
                ServiceArea.objects.bulk_create(area_rows)
                OpeningHours.objects.bulk_create(hour_rows)
                search.reindex([s.pk for s in batch])
            done += size
            self.progress("services (+ index)", done, n)
        self.crisis_lines(municipalities)

    def crisis_lines(self, municipalities: list[Municipality]) -> None:
        """An office-hours line for every municipality without one, and a regional line
        for every region without one (all marked, removed by cleanup)."""
        with transaction.atomic():
            have = set(CrisisLine.objects.values_list("municipality_id", flat=True))
            regions_with = set(
                CrisisLine.objects.filter(kind="out_of_hours").values_list("region_id", flat=True)
            )
            for region in YouthCareRegion.objects.exclude(pk__in=regions_with):
                CrisisLine.objects.create(
                    kind="out_of_hours",
                    region=region,
                    name=f"{TAG}Crisis {region.name}",
                    phone="0800 – 0000",
                )
            for m in municipalities:
                if m.pk in have:
                    continue
                line = CrisisLine.objects.create(
                    kind="office_hours",
                    region_id=m.region_id,
                    municipality=m,
                    name=f"{TAG}Gemeente {m.name}",
                    phone="14 0xx",
                )
                OpeningHours.objects.bulk_create(
                    OpeningHours(crisis_line=line, weekday=d, opens_at="08:30", closes_at="17:00")
                    for d in range(5)
                )

    def cleanup(self) -> None:
        with transaction.atomic():
            ids = list(
                Service.objects.filter(provider__name__startswith=TAG).values_list("pk", flat=True)
            )
            self.stdout.write(f"  removing {len(ids)} generated services")
            Provider.objects.filter(name__startswith=TAG).delete()
            CrisisLine.objects.filter(name__startswith=TAG).delete()
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    for start in range(0, len(ids), 5000):
                        part = ids[start : start + 5000]
                        marks = ",".join(["%s"] * len(part))
                        cursor.execute(
                            f"DELETE FROM directory_service_fts WHERE rowid IN ({marks})",  # noqa: S608
                            part,
                        )

    # Measurement

    def query_mix(self) -> list[tuple[str, dict[str, Any]]]:
        """Fixed: what professionals and parents type, with and without filters, plus
        the worst case (the most frequent vocabulary word) and a typo."""
        common = self.most_frequent_word()
        return [
            ("autisme", {"search": "autisme"}),
            ("opvoeding + gemeente", {"search": "opvoeding", "municipality": "GM0917"}),
            ("angst jongeren + 15 jaar", {"search": "angst jongeren", "age": 15}),
            ("schulden + thema geld", {"search": "schulden", "theme": "geld"}),
            ("gezinsbegeleiding + nu open", {"search": "gezinsbegeleiding", "open_now": True}),
            ("sport + Engels", {"search": "sport", "language": "en"}),
            ("kamertraining + wacht<=4", {"search": "kamertraining", "max_wait_weeks": 4}),
            ("autisme 14 jaar Landgraaf", {"search": "autisme 14 jaar Landgraaf"}),
            (f"frequent word '{common}'", {"search": common}),
            ("typo 'autsime'", {"search": "autsime"}),
            ("compound 'opvoedproblemen'", {"search": "opvoedproblemen"}),
            ("compound 'schuldhulpverlening'", {"search": "schuldhulpverlening"}),
            (
                "long question",
                {"search": "mijn dochter van 15 is heel somber en angstig, waar kan ze terecht"},
            ),
            ("browse: gemeente + thema", {"municipality": "GM0363", "theme": "ggz"}),
        ]

    def most_frequent_word(self) -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT word FROM ts_stat('SELECT document FROM directory_service_tsv') "
                    "WHERE length(word) > 4 ORDER BY ndoc DESC LIMIT 200"
                )
            else:
                cursor.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab "
                    "USING fts5vocab(main, 'directory_service_fts', 'col')"
                )
                cursor.execute(
                    "SELECT term FROM temp.bench_vocab WHERE col = 'body' AND length(term) > 4 "
                    "ORDER BY doc DESC LIMIT 200"
                )
            rows = [r[0] for r in cursor.fetchall()]
        skip = search.STOP_WORDS | {"bench", *THEME_WORDS}
        return next((w for w in rows if w not in skip and w.isalpha()), "hulp")

    def params_for(self, spec: dict[str, Any]) -> search.SearchParams:
        params = search.SearchParams(q=spec.get("search", ""), per_page=20)
        if "municipality" in spec:
            params.municipality = Municipality.objects.get(code=spec["municipality"])
        if "theme" in spec:
            params.theme = Theme.objects.get(code=spec["theme"])
        params.age = spec.get("age")
        params.language = spec.get("language")
        params.max_wait_weeks = spec.get("max_wait_weeks")
        if spec.get("open_now"):
            params.open_at = self.moment
        return params

    def url_for(self, spec: dict[str, Any]) -> str:
        query = {k: v for k, v in spec.items() if k != "theme" and k != "open_now"}
        if "theme" in spec:
            query["taxonomy_term_id"] = str(Theme.objects.get(code=spec["theme"]).uuid)
        if spec.get("open_now"):
            query["open_now"] = "true"
            query["at"] = self.moment.isoformat()
        return "/api/v1/services?" + urlencode(query)

    def measure(self, options: dict[str, Any], rng: random.Random) -> None:
        # A Tuesday morning, so "open now" has something to find.
        self.moment = datetime(2026, 3, 10, 10, 30, tzinfo=reachability.AMSTERDAM)
        mix = self.query_mix()
        rounds = options["rounds"]
        server, port = self.start_server()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        per_query: dict[str, dict[str, list[float]]] = {
            label: {"inproc": [], "http": [], "http_cold": [], "bare": []} for label, _ in mix
        }
        totals: dict[str, int] = {}
        agreement: dict[str, int] = {}
        try:
            for label, spec in mix:  # warm-up: caches, vocabulary, prepared plans
                result = search.search(self.params_for(spec))
                totals[label] = result.total
                self.get(conn, self.url_for(spec))
                if spec.get("search"):
                    agreement[label] = self.first_page_agreement(spec, result)
            steps = rounds * len(mix)
            step = 0
            for _ in range(rounds):
                for label, spec in mix:
                    timings = per_query[label]
                    forget_kept_pages()
                    started = time.perf_counter()
                    search.search(self.params_for(spec))
                    timings["inproc"].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    self.get(conn, self.url_for(spec))
                    timings["http"].append((time.perf_counter() - started) * 1000)
                    forget_kept_pages()
                    started = time.perf_counter()
                    self.get(conn, self.url_for(spec))
                    timings["http_cold"].append((time.perf_counter() - started) * 1000)
                    terms = search.terms_of(spec.get("search", ""))
                    if terms:
                        started = time.perf_counter()
                        search.bare_query(terms)
                        timings["bare"].append((time.perf_counter() - started) * 1000)
                    step += 1
                    if step % len(mix) == 0:
                        self.progress("search query mix", step, steps)
            crisis_inproc, crisis_http = self.measure_crisis(conn, options["crisis_samples"], rng)
        finally:
            conn.close()
            server.shutdown()
        self.report(per_query, totals, crisis_inproc, crisis_http, options)
        self.report_agreement(agreement)

    def first_page_agreement(self, spec: dict[str, Any], result: search.SearchResult) -> int:
        """In how many of the 20 places page 1 equals the exactly ranked top 20: the
        same search with every match ranked (no blocks, no shortcuts)."""
        with _exact_ranking():
            exact = search.search(self.params_for(spec))
        page = [s.pk for s in result.services]
        best = [s.pk for s in exact.services]
        return sum(1 for a, b in zip(page, best, strict=False) if a == b) + max(
            0, 20 - max(len(page), len(best))
        )

    def report_agreement(self, agreement: dict[str, int]) -> None:
        out = self.stdout.write
        out("")
        out("First page against the exactly ranked top 20 (places equal; target >= 18 of 20):")
        for label, places in agreement.items():
            out(f"  {label[:44]:<44} {places:>2}/20 {'met' if places >= 18 else 'MISSED'}")

    def measure_crisis(
        self, conn: http.client.HTTPConnection, samples: int, rng: random.Random
    ) -> tuple[list[float], list[float]]:
        municipalities = list(
            Municipality.objects.filter(crisis_line__isnull=False).select_related("region")
        )
        start = datetime(2026, 1, 1, tzinfo=reachability.AMSTERDAM)
        moments = [start + timedelta(minutes=rng.randint(0, 365 * 24 * 60)) for _ in range(samples)]
        inproc, over_http = [], []
        for i, moment in enumerate(moments, start=1):
            place = rng.choice(municipalities)
            started = time.perf_counter()
            fresh = Municipality.objects.select_related("region").get(code=place.code)
            reachability.route_crisis(fresh, moment)
            inproc.append((time.perf_counter() - started) * 1000)
            url = "/api/v1/crisis/now?" + urlencode(
                {"municipality": place.code, "at": moment.isoformat()}
            )
            started = time.perf_counter()
            self.get(conn, url)
            over_http.append((time.perf_counter() - started) * 1000)
            if i % 200 == 0 or i == samples:
                self.progress("crisis routing", i, samples)
        return inproc, over_http

    def start_server(self) -> tuple[WSGIServer, int]:
        server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return server, server.server_address[1]

    def get(self, conn: http.client.HTTPConnection, url: str) -> bytes:
        conn.request("GET", url, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}: {body[:300]!r}")
        return body

    def report(
        self,
        per_query: dict[str, dict[str, list[float]]],
        totals: dict[str, int],
        crisis_inproc: list[float],
        crisis_http: list[float],
        options: dict[str, Any],
    ) -> None:
        out = self.stdout.write
        n = Service.objects.filter(provider__name__startswith=TAG).count()
        out("")
        out(
            f"Social map benchmark: {n} services, {Municipality.objects.count()} municipalities, "
            f"{connection.vendor}, {options['rounds']} rounds of {len(per_query)} queries"
        )
        header = (
            f"{'query':<32} {'hits':>7} {'bare p50':>9} {'bare p95':>9} {'in-proc p50':>11} "
            f"{'in-proc p95':>11} {'HTTP p50':>9} {'HTTP p95':>9}"
        )
        out(header)
        out("-" * len(header))
        for label, t in per_query.items():
            bare50 = f"{percentile(t['bare'], 50):9.2f}" if t["bare"] else f"{'–':>9}"
            bare95 = f"{percentile(t['bare'], 95):9.2f}" if t["bare"] else f"{'–':>9}"
            out(
                f"{label[:32]:<32} {totals[label]:>7} {bare50} {bare95} "
                f"{percentile(t['inproc'], 50):11.2f} {percentile(t['inproc'], 95):11.2f} "
                f"{percentile(t['http'], 50):9.2f} {percentile(t['http'], 95):9.2f}"
            )
        every = {
            k: [v for t in per_query.values() for v in t[k]]
            for k in ("inproc", "http", "http_cold", "bare")
        }
        text_only = {
            k: [v for t in per_query.values() if t["bare"] for v in t[k]]
            for k in ("inproc", "http")
        }
        out("")
        out(f"{'figure (ms)':<44} {'p50':>8} {'p95':>8} {'p99':>8}  target / baseline")
        out("-" * 90)

        def line(label: str, values: list[float], note: str = "") -> None:
            out(
                f"{label:<44} {percentile(values, 50):8.2f} {percentile(values, 95):8.2f} "
                f"{percentile(values, 99):8.2f}  {note}"
            )

        baseline95 = percentile(every["bare"], 95)
        line("bare full-text top-20 (baseline)", every["bare"], "baseline")
        line("search in-process, whole mix, nothing kept", every["inproc"])
        line("search over HTTP, whole mix, page kept", every["http"], "p95 <= 25 ms")
        line("search over HTTP, whole mix, nothing kept", every["http_cold"], "p95 <= 25 ms")
        line(
            "search in-process, text queries only",
            text_only["inproc"],
            f"p95 = {percentile(text_only['inproc'], 95) / baseline95:.2f}x bare p95 (<= 2x)",
        )
        line(
            "search over HTTP, text queries only",
            text_only["http"],
            f"p95 = {percentile(text_only['http'], 95) / baseline95:.2f}x bare p95",
        )
        line("who do I call now, in-process", crisis_inproc, "p99 <= 5 ms")
        line("who do I call now, over HTTP", crisis_http)
