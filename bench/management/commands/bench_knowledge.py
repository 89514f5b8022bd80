"""Benchmark the knowledge hub and learning networks at full scale.

Generates (defaults are the full scale of the issue) 10,000 practices, 50,000
experience reports and 500,000 progress updates in 1,000 networks, indexes them all,
then measures in the same run and on the same data:

- knowledge search p50/p95 for a fixed query mix over HTTP (``GET
  /api/v1/knowledge/search``, one client at a time, a member's API token), in-process
  (``search.search``) and the bare full-text query (top 20, no filters, no access rule,
  no count, no objects) for the same terms;
- a network's feed page (``GET /api/v1/knowledge/networks/{id}/updates``) p50/p95 over
  HTTP, next to the bare ORM query for the same page (20 newest ids of one network).

Targets: p95 <= 50 ms and within 3x the bare query. Generated rows are marked
("[bench]") and removed afterwards unless --keep; with --keep a second run reuses them.
"""

from __future__ import annotations

import http.client
import random
import secrets
import sys
import time
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from bench.management.commands.bench_directory import (
    Command as DirectoryBench,
)
from bench.management.commands.bench_directory import (
    ZipfWords,
    _vocabulary,
    percentile,
)
from rits.accounts.models import ApiToken, Membership, Organisation, User
from rits.accounts.throttling import BENCHMARK_RATES
from rits.knowledge import search
from rits.knowledge.models import (
    Evidence,
    ExperienceReport,
    Member,
    Network,
    NetworkTheme,
    Practice,
    ProgressUpdate,
    SearchDocument,
    Use,
)
from rits.regions.models import YouthCareRegion

TAG = "[bench] "
BENCH_EMAIL = "bench-knowledge@bench.rits.nl"
ORGANISATIONS = 50
MEMBER_OF = 10  # networks the measuring user belongs to (a tenth of the rest are public)
QUERIES = [
    "jim",
    "ouders wijk",
    "opvoeding",
    "school spreekuur",
    "mentor jongere",
    "dialoogtafel",
    "gezinnen kwetsbare",
    "wachttijd",
]
THEME_WORDS = [w for q in QUERIES for w in q.split()] + ["training", "vrijwilliger", "ervaring"]


class Command(BaseCommand):
    help = "Benchmark knowledge search and a network feed page (full scale by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practices", type=int, default=10_000)
        parser.add_argument("--reports", type=int, default=50_000)
        parser.add_argument("--updates", type=int, default=500_000)
        parser.add_argument("--networks", type=int, default=1_000)
        parser.add_argument("--rounds", type=int, default=15, help="Repeats of the query mix.")
        parser.add_argument("--feed-samples", type=int, default=200)
        parser.add_argument("--seed", type=int, default=15)
        parser.add_argument("--keep", action="store_true", help="Keep the generated data.")

    def progress(self, label: str, done: int, total: int) -> None:
        """Redrawn in place on a terminal; a few plain lines in a log."""
        if self.stdout.isatty():
            DirectoryBench.progress(self, label, done, total)  # type: ignore[arg-type]
        elif done >= total or done % max(1, total // 4) < max(1, total // 100):
            self.stdout.write(f"  {label}: {done}/{total}")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DEBUG = False  # query logging would distort the figures
        rng = random.Random(options["seed"])
        wanted = (options["practices"], options["reports"], options["updates"], options["networks"])
        if self.existing() != wanted:
            self.cleanup()
            started = time.perf_counter()
            self.generate(*wanted, rng=rng)
            self.stdout.write(f"  generated and indexed in {time.perf_counter() - started:.0f} s")
        else:
            self.stdout.write("  reusing the generated data")
        try:
            with override_settings(**BENCHMARK_RATES):
                self.measure(options, rng)
        finally:
            if not options["keep"]:
                self.cleanup()

    # Generation

    def existing(self) -> tuple[int, int, int, int]:
        practices = Practice.objects.filter(name__startswith=TAG)
        return (
            practices.count(),
            ExperienceReport.objects.filter(use__practice__in=practices).count(),
            ProgressUpdate.objects.filter(network__name__startswith=TAG).count(),
            Network.objects.filter(name__startswith=TAG).count(),
        )

    def generate(
        self,
        n_practices: int,
        n_reports: int,
        n_updates: int,
        n_networks: int,
        *,
        rng: random.Random,
    ) -> None:
        # The query words take ranks among the common content words (after the function
        # words), as a topic word does in real text: each is in a few percent of texts.
        vocabulary = _vocabulary(rng)[:3000]
        for i, word in enumerate(THEME_WORDS):
            vocabulary.insert(120 + 40 * i, word)
        words = ZipfWords(vocabulary, rng)

        def text(k: int) -> str:
            return " ".join(words.sample(k))

        region = YouthCareRegion.objects.get(code="JZ41")
        regions = list(YouthCareRegion.objects.all())
        municipality = region.municipalities.first()
        with transaction.atomic():
            organisations = Organisation.objects.bulk_create(
                Organisation(
                    name=f"{TAG}organisatie {i}",
                    kind=Organisation.Kind.YOUTH_CARE_PROVIDER,
                    region=region,
                    municipality=municipality,
                )
                for i in range(ORGANISATIONS)
            )
            user = User.objects.create_user(
                BENCH_EMAIL, secrets.token_urlsafe(24), full_name="Bench Lid"
            )
            Membership.objects.create(
                user=user, organisation=organisations[0], role=Membership.Role.PROFESSIONAL
            )
        now = timezone.now()
        practices: list[Practice] = []
        for start in range(0, n_practices, 2000):
            with transaction.atomic():
                batch = Practice.objects.bulk_create(
                    Practice(
                        name=f"{TAG}{text(3)}",
                        summary=text(30),
                        problem=text(40),
                        approach=text(60),
                        evidence=Evidence.LOCAL,
                        minimum_age=rng.randint(0, 12),
                        maximum_age=rng.randint(13, 23),
                        is_public=rng.random() < 0.3,
                    )
                    for _ in range(min(2000, n_practices - start))
                )
                search.put(search.practice_entry(p) for p in batch)
            practices += batch
            self.progress("practices (+ index)", len(practices), n_practices)
        uses: list[Use] = []
        with transaction.atomic():
            seen: set[tuple[int, int]] = set()
            for _ in range(max(1, n_reports // 3)):
                key = (rng.choice(practices).pk, rng.choice(regions).pk)
                if key not in seen:
                    seen.add(key)
                    uses.append(Use(practice_id=key[0], region_id=key[1]))
            uses = Use.objects.bulk_create(uses)
        by_pk = {p.pk: p for p in practices}
        done = 0
        for start in range(0, n_reports, 5000):
            with transaction.atomic():
                batch_uses = [rng.choice(uses) for _ in range(min(5000, n_reports - start))]
                reports = ExperienceReport.objects.bulk_create(
                    ExperienceReport(
                        use=u,
                        written_on=(now - timedelta(days=rng.randint(0, 900))).date(),
                        adapted=text(20),
                        result=text(30),
                    )
                    for u in batch_uses
                )
                for report, use in zip(reports, batch_uses, strict=True):
                    use.practice = by_pk[use.practice_id]
                    use.region = next(r for r in regions if r.pk == use.region_id)
                    report.use = use
                search.put(search.report_entry(r) for r in reports)
            done += len(reports)
            self.progress("experience reports (+ index)", done, n_reports)
        with transaction.atomic():
            networks = Network.objects.bulk_create(
                Network(
                    name=f"{TAG}netwerk {i}",
                    theme=rng.choice(NetworkTheme.values),
                    region=region,
                    is_public=rng.random() < 0.1,
                )
                for i in range(n_networks)
            )
            Member.objects.bulk_create(
                Member(
                    network=n,
                    user=user,
                    role=Member.Role.PROFESSIONAL,
                    organisation=organisations[0],
                )
                for n in networks[:MEMBER_OF]
            )
        self.network_ids = [n.pk for n in networks[:MEMBER_OF]]
        done = 0
        for start in range(0, n_updates, 5000):
            with transaction.atomic():
                updates = ProgressUpdate.objects.bulk_create(
                    ProgressUpdate(
                        network=rng.choice(networks),
                        organisation=rng.choice(organisations),
                        working_on=text(25),
                        went_well=text(10),
                        posted_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 730)),
                    )
                    for _ in range(min(5000, n_updates - start))
                )
                search.put(search.update_entry(u) for u in updates)
            done += len(updates)
            self.progress("progress updates (+ index)", done, n_updates)

    def cleanup(self) -> None:
        networks = Network.objects.filter(name__startswith=TAG)
        practices = Practice.objects.filter(name__startswith=TAG)
        with transaction.atomic():
            for kind, ids in (
                (
                    SearchDocument.Kind.PROGRESS,
                    ProgressUpdate.objects.filter(network__in=networks).values_list(
                        "pk", flat=True
                    ),
                ),
                (
                    SearchDocument.Kind.REPORT,
                    ExperienceReport.objects.filter(use__practice__in=practices).values_list(
                        "pk", flat=True
                    ),
                ),
                (SearchDocument.Kind.PRACTICE, practices.values_list("pk", flat=True)),
            ):
                search.forget(kind, list(ids))
            ProgressUpdate.objects.filter(network__in=networks).delete()
            networks.delete()
            practices.delete()
            User.objects.filter(email=BENCH_EMAIL).delete()
            Organisation.objects.filter(name__startswith=TAG).delete()

    # Measuring

    def measure(self, options: dict[str, Any], rng: random.Random) -> None:
        user = User.objects.get(email=BENCH_EMAIL)
        raw = f"rits_bench_{secrets.token_hex(16)}"
        ApiToken.objects.filter(user=user).delete()
        ApiToken.objects.create(
            user=user, name="bench", token_hash=ApiToken.hash(raw), hint=raw[:9]
        )
        headers = {"Host": "127.0.0.1", "Authorization": f"Bearer {raw}"}
        network_ids = list(Member.objects.filter(user=user).values_list("network_id", flat=True))
        server, port = DirectoryBench.start_server(self)  # type: ignore[arg-type]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        timings: dict[str, dict[str, list[float]]] = {
            q: {"bare": [], "inproc": [], "http": []} for q in QUERIES
        }
        hits: dict[str, int] = {}

        def get(url: str) -> bytes:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}: {body[:300]!r}")
            return body

        try:
            steps = options["rounds"] * len(QUERIES)
            step = 0
            for _ in range(options["rounds"]):
                for q in QUERIES:
                    terms = search.terms_of(q)
                    t = time.perf_counter()
                    search.bare_query(terms)
                    timings[q]["bare"].append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    result = search.search(search.KnowledgeQuery(q=q), user)
                    timings[q]["inproc"].append((time.perf_counter() - t) * 1000)
                    hits[q] = result.total
                    t = time.perf_counter()
                    get("/api/v1/knowledge/search?" + urlencode({"q": q}))
                    timings[q]["http"].append((time.perf_counter() - t) * 1000)
                    step += 1
                    self.progress("search query mix", step, steps)
            feed_bare: list[float] = []
            feed_http: list[float] = []
            for i in range(options["feed_samples"]):
                network_id = rng.choice(network_ids)
                page = rng.choice([1, 1, 1, 2, 5])
                t = time.perf_counter()
                list(
                    ProgressUpdate.objects.filter(network_id=network_id)
                    .order_by("-posted_at", "-pk")
                    .values_list("pk", flat=True)[(page - 1) * 20 : page * 20]
                )
                feed_bare.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                get(f"/api/v1/knowledge/networks/{network_id}/updates?page={page}")
                feed_http.append((time.perf_counter() - t) * 1000)
                self.progress("network feed pages", i + 1, options["feed_samples"])
        finally:
            conn.close()
            server.shutdown()
            ApiToken.objects.filter(user=user).delete()
        self.report(timings, hits, feed_bare, feed_http)

    def report(
        self,
        timings: dict[str, dict[str, list[float]]],
        hits: dict[str, int],
        feed_bare: list[float],
        feed_http: list[float],
    ) -> None:
        out = self.stdout.write
        counts = self.existing()
        out("")
        out(
            f"Knowledge benchmark: {counts[0]} practices, {counts[1]} experience reports, "
            f"{counts[2]} progress updates in {counts[3]} networks, {connection.vendor}"
        )
        header = (
            f"{'query':<22} {'hits':>7} {'bare p95':>9} {'in-proc p95':>11} "
            f"{'HTTP p50':>9} {'HTTP p95':>9}"
        )
        out(header)
        out("-" * len(header))
        for q, t in timings.items():
            out(
                f"{q:<22} {hits.get(q, 0):>7} {percentile(t['bare'], 95):9.2f} "
                f"{percentile(t['inproc'], 95):11.2f} {percentile(t['http'], 50):9.2f} "
                f"{percentile(t['http'], 95):9.2f}"
            )
        every = {k: [v for t in timings.values() for v in t[k]] for k in ("bare", "inproc", "http")}
        out("")
        out(f"{'figure (ms)':<40} {'p50':>8} {'p95':>8}  target")
        out("-" * 90)

        def line(label: str, values: list[float], baseline: list[float] | None = None) -> None:
            p95 = percentile(values, 95)
            note = "baseline"
            if baseline is not None:
                ratio = p95 / max(percentile(baseline, 95), 0.001)
                met = p95 <= 50 and ratio <= 3
                verdict = "met" if met else "missed"
                note = f"{ratio:.1f}x bare p95; target p95 <= 50 ms and <= 3x: {verdict}"
            out(f"{label:<40} {percentile(values, 50):8.2f} {p95:8.2f}  {note}")

        line("bare full-text top-20", every["bare"])
        line("search in-process", every["inproc"], every["bare"])
        line("search over HTTP", every["http"], every["bare"])
        line("bare feed query (20 newest ids)", feed_bare)
        line("network feed page over HTTP", feed_http, feed_bare)
        sys.stdout.flush()
