"""Benchmark the social map's upkeep pages at national scale.

Generates N services (default 100,000) with 1.5 locations each (150,000, with
coordinates) over all 342 municipalities, entries last checked over the past 400 days
(about a third due for confirmation), 1% of them reported, then measures in the same run
and on the same data, one client at a time over HTTP on a local WSGI server:

- the map of the largest region (a dot per location) and of the country (services per
  municipality shaded), ``GET /sociale-kaart/kaart/?regio=..``, next to the bare
  queries behind them (locations of the region; services per municipality);
- the region's review queue, ``GET /api/v1/review/queue`` (functional admin's token),
  next to the bare query (the oldest stale entries of the region by the indexed column).

Generated rows are marked ("[bench]") and removed afterwards unless --keep.
"""

from __future__ import annotations

import http.client
import random
import secrets
import statistics
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from rits.accounts.models import ApiToken, Membership, Organisation, User
from rits.accounts.throttling import BENCHMARK_RATES
from rits.directory.models import (
    Location,
    Provider,
    Report,
    Service,
    ServiceArea,
    ServiceAtLocation,
    stale_before,
)
from rits.regions.maps import outlines
from rits.regions.models import Municipality, YouthCareRegion

TAG = "[bench] "
# A fresh API token for the generated functional admin, made per run.
TOKEN = "rits_bench_" + secrets.token_urlsafe(24)
TARGETS = {"map": 100.0, "queue": 50.0}
PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the region and country map and the review queue at national scale."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=100_000)
        parser.add_argument("--samples", type=int, default=100, help="Requests per figure.")
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--keep", action="store_true", help="Keep the generated map.")

    printed: dict[str, int]

    def progress(self, label: str, done: int, total: int) -> None:
        """Redrawn in place on a terminal; a few plain lines in a log."""
        end = "\n" if done >= total else ""
        if self.stdout.isatty():
            filled = int(30 * done / total) if total else 30
            bar = "#" * filled + "-" * (30 - filled)
            self.stdout.write(f"\r  {label:<22} [{bar}] {done}/{total}", ending=end)
        else:
            quarter = 4 * done // total if total else 4
            if quarter > self.printed.get(label, 0):
                self.printed[label] = quarter
                self.stdout.write(f"  {label}: {done}/{total}")
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DEBUG = False
        self.printed = {}
        rng = random.Random(options["seed"])
        n = options["services"]
        if Service.objects.filter(provider__name__startswith=TAG).count() != n:
            self.cleanup()
            started = time.perf_counter()
            self.generate(n, rng)
            self.stdout.write(f"  generated in {time.perf_counter() - started:.0f} s")
        try:
            # Thousands of calls from one address: the limits are lifted (and still
            # checked). The pages' static links need no collected manifest here.
            with override_settings(**BENCHMARK_RATES, STORAGES=PLAIN_STORAGES):
                self.measure(options)
        finally:
            if not options["keep"]:
                self.cleanup()

    def generate(self, n: int, rng: random.Random) -> None:
        municipalities = list(Municipality.objects.order_by("code"))
        boxes = {code: o.rings[0] for code, o in outlines().items()}
        providers = [
            Provider(name=f"{TAG}Aanbieder {i}", description="Bench.", municipality=m)
            for i in range(max(1, n // 10))
            for m in [municipalities[i % len(municipalities)]]
        ]
        Provider.objects.bulk_create(providers, batch_size=2000)
        providers = list(Provider.objects.filter(name__startswith=TAG))
        now = timezone.now()
        today = timezone.localdate()
        done = 0
        while done < n:
            size = min(2000, n - done)
            with transaction.atomic():
                batch = [
                    Service(
                        provider=providers[i % len(providers)],
                        name=f"Hulp {i}",
                        description="Bench.",
                        checked_at=now - timedelta(days=rng.uniform(0, 400)),
                        wait_weeks=rng.choice((None, None, 4, 8, 12)),
                        wait_confirmed_on=today - timedelta(days=rng.randint(0, 90)),
                    )
                    for i in range(done, done + size)
                ]
                Service.objects.bulk_create(batch)
                areas, locations, links = [], [], []
                for service in batch:
                    place = municipalities[service.provider.pk % len(municipalities)]
                    areas.append(ServiceArea(service=service, municipality=place))
                    ring = boxes.get(place.code) or [(5.9, 50.9)]
                    for _k in range(rng.choice((1, 2))):
                        lon, lat = rng.choice(ring)
                        locations.append(
                            Location(
                                provider=service.provider,
                                name=f"Locatie {service.name}",
                                address_1="Bench 1",
                                postal_code="1234 AB",
                                city=place.name,
                                municipality=place,
                                latitude=lat,
                                longitude=lon,
                            )
                        )
                        links.append(service)
                ServiceArea.objects.bulk_create(areas)
                Location.objects.bulk_create(locations)
                ServiceAtLocation.objects.bulk_create(
                    ServiceAtLocation(service=s, location=loc)
                    for s, loc in zip(links, locations, strict=True)
                )
                Report.objects.bulk_create(
                    Report(kind=Report.Kind.WRONG_NUMBER, service=s, number="045 1")
                    for s in batch
                    if rng.random() < 0.01
                )
            done += size
            self.progress("services, locations", done, n)

    def admin_of(self, region: YouthCareRegion) -> None:
        org = Organisation.objects.create(
            name=f"{TAG}Regio", kind=Organisation.Kind.MUNICIPALITY, region=region
        )
        user = User.objects.create_user(email="bench-upkeep@rits.invalid", full_name="Bench")
        Membership.objects.create(user=user, organisation=org, role="functional_admin")
        ApiToken.objects.create(user=user, name="bench", token_hash=ApiToken.hash(TOKEN))

    def cleanup(self) -> None:
        User.objects.filter(email="bench-upkeep@rits.invalid").delete()
        Organisation.objects.filter(name__startswith=TAG).delete()
        for model, key in ((Service, "provider__name"), (Location, "provider__name")):
            while ids := list(
                model.objects.filter(**{f"{key}__startswith": TAG}).values_list("pk", flat=True)[
                    :5000
                ]
            ):
                model.objects.filter(pk__in=ids).delete()
        Provider.objects.filter(name__startswith=TAG).delete()

    def timed(self, label: str, samples: int, work: Callable[[], object]) -> list[float]:
        times = []
        for i in range(1, samples + 1):
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000)
            self.progress(label, i, samples)
        return times

    def measure(self, options: dict[str, Any]) -> None:
        region = max(
            YouthCareRegion.objects.all(),
            key=lambda r: Location.objects.filter(municipality__region=r).count(),
        )
        self.admin_of(region)
        server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)

        def get(url: str, **headers: str) -> None:
            conn.request("GET", url, headers={"Host": "127.0.0.1", **headers})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status} {body[:200]!r}")

        samples = options["samples"]
        in_region = Location.objects.filter(municipality__region=region, latitude__isnull=False)
        located = in_region.count()
        entries = Service.objects.filter(provider__municipality__region=region).count()
        figures = {
            "map of the region, HTTP": self.timed(
                "map of the region",
                samples,
                lambda: get(f"/sociale-kaart/kaart/?regio={region.code}"),
            ),
            "  bare query: its locations": self.timed(
                "bare: locations",
                samples,
                lambda: list(
                    in_region.order_by("pk").values_list("latitude", "longitude", "name", "city")[
                        :5001
                    ]
                ),
            ),
            "map of the country, HTTP": self.timed(
                "map of the country", samples, lambda: get("/sociale-kaart/kaart/?regio=NL")
            ),
            "  bare query: services per municipality": self.timed(
                "bare: counts",
                samples,
                lambda: list(
                    ServiceArea.objects.filter(service__status="active")
                    .order_by()
                    .values_list("municipality__code")
                    .annotate(n=Count("service_id", distinct=True))
                ),
            ),
            "review queue of the region, HTTP": self.timed(
                "review queue",
                samples,
                lambda: get("/api/v1/review/queue", Authorization=f"Bearer {TOKEN}"),
            ),
            "  bare query: oldest stale entries": self.timed(
                "bare: stale",
                samples,
                lambda: list(
                    Service.objects.filter(
                        provider__municipality__region=region, checked_at__lt=stale_before()
                    )
                    .order_by("checked_at")
                    .values_list("pk", flat=True)[:100]
                ),
            ),
        }
        server.shutdown()
        total = Service.objects.filter(provider__name__startswith=TAG).count()
        self.stdout.write("")
        self.stdout.write(
            f"Upkeep at {total:,} services, {Location.objects.count():,} locations; "
            f"region {region.name}: {located:,} locations, {entries:,} entries "
            f"({samples} requests each, one client, {settings.DATABASES['default']['ENGINE']})"
        )
        for label, values in figures.items():
            target = TARGETS["queue" if "queue" in label else "map"]
            verdict = ""
            if not label.startswith(" "):
                met = percentile(values, 95) <= target
                verdict = f"  target p95 <= {target:.0f} ms: {'met' if met else 'MISSED'}"
            self.stdout.write(
                f"  {label:<42} p50 {statistics.median(values):7.1f} ms  "
                f"p95 {percentile(values, 95):7.1f} ms{verdict}"
            )
