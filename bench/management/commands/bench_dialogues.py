"""Benchmark the dialogue tables at (a share of) a country's decade of work.

Steps: fill the database with held tables for every region (``--years`` x ``--tables``
a year x ``--findings`` each, one to three codes per finding from the region's
codebook; the first region four times as busy); run the bare SQL of the synthesis's
three aggregates (counts per code, co-occurrence, trend per half-year) for one region
and the whole period — the floor; serve Rits over HTTP on 127.0.0.1 (a WSGI server in
a thread, DEBUG off) and time the synthesis page for that region and period, p95; then
write the busy region's ``.qdpx`` and a quiet region's, timing one and measuring the
peak Python memory of both (tracemalloc): if the export streams, the busy region (four
times the segments) needs about the same memory as the quiet one.

Country scale (``--country``): 42 regions x 10 years x 200 tables x 20 findings, about
1.7 million coded segments. Without it: 10 tables a year (a twentieth).
"""

from __future__ import annotations

import http.client
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.utils import timezone

SYNTHESIS_RATIO_TARGET = 3.0
P95_TARGET_MS = 150.0
MEMORY_GROWTH_TARGET = 1.5
PHRASES = [
    "De ouder moest het verhaal steeds opnieuw vertellen",
    "De jongere voelde zich gehoord door de hulpverlener gebiedsteam",
    "Er was lang geen duidelijkheid over wie de regie had",
    "De school en het gebiedsteam belden elkaar direct",
    "De hulp stopte abrupt bij de overgang naar 18",
    "De JIM bleef betrokken, ook na het einde van de hulp",
    "Regels over de beschikking stonden de hulp in de weg",
]

BARE_COUNTS = """
SELECT c.counted_code_id, COUNT(DISTINCT f.table_id), COUNT(DISTINCT f.id)
FROM dialogues_coding c
JOIN dialogues_finding f ON f.id = c.finding_id
JOIN dialogues_dialoguetable t ON t.id = f.table_id
WHERE t.region_id = %s AND t.held_on BETWEEN %s AND %s AND c.round = 'first'
GROUP BY c.counted_code_id
"""
BARE_PAIRS = """
SELECT a.counted_code_id, b.counted_code_id, COUNT(DISTINCT f.table_id), COUNT(DISTINCT f.id)
FROM dialogues_coding a
JOIN dialogues_coding b ON b.finding_id = a.finding_id AND b.counted_code_id > a.counted_code_id
JOIN dialogues_finding f ON f.id = a.finding_id
JOIN dialogues_dialoguetable t ON t.id = f.table_id
WHERE t.region_id = %s AND t.held_on BETWEEN %s AND %s AND a.round = 'first' AND b.round = 'first'
GROUP BY a.counted_code_id, b.counted_code_id
"""
BARE_TREND = """
SELECT {year}, {half}, k.kind, COUNT(DISTINCT f.table_id)
FROM dialogues_coding c
JOIN dialogues_code k ON k.id = c.counted_code_id
JOIN dialogues_finding f ON f.id = c.finding_id
JOIN dialogues_dialoguetable t ON t.id = f.table_id
WHERE t.region_id = %s AND t.held_on BETWEEN %s AND %s AND c.round = 'first'
GROUP BY 1, 2, 3
"""


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Command(BaseCommand):
    help = "Benchmark the dialogue synthesis page and the .qdpx export, next to bare SQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", action="store_true", help="Full scale: 200 tables a year.")
        parser.add_argument("--regions", type=int, default=42)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--tables", type=int, default=10, help="Tables per region per year.")
        parser.add_argument("--findings", type=int, default=20, help="Findings per table.")
        parser.add_argument("--requests", type=int, default=40)
        parser.add_argument("--port", type=int, default=8101)
        parser.add_argument("--seed", type=int, default=14)

    # --- output -------------------------------------------------------------------

    def progress(self, label: str, done: int, total: int) -> None:
        """Redrawn in place on a terminal; four plain lines in a log."""
        if sys.stdout.isatty():
            width = 30
            filled = int(width * done / total) if total else width
            end = "\n" if done >= total else ""
            self.stdout.write(
                f"\r  {label:<22} [{'#' * filled}{'-' * (width - filled)}] {done:,}/{total:,}",
                ending=end,
            )
            self.stdout.flush()
        elif (total and (done * 4 // total) != ((done - 1) * 4 // total)) or done == total:
            self.stdout.write(f"  {label}: {done:,}/{total:,}")

    def line(self, label: str, value: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("  met" if met else "  MISSED")
        self.stdout.write(f"  {label:<44} {value:>14}  {target}{verdict}")

    # --- run ------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DEBUG = False
        # Pages are served as in production: hashed static files, from a throwaway folder.
        with tempfile.TemporaryDirectory(prefix="rits-bench-static-") as static:
            settings.STATIC_ROOT = static
            call_command("collectstatic", interactive=False, verbosity=0)
            self.run(**options)

    def run(self, **options: Any) -> None:
        if options["country"]:
            options["tables"] = 200
        rng = random.Random(options["seed"])
        scale = (
            f"{options['regions']} regions x {options['years']} years x {options['tables']} "
            f"tables x {options['findings']} findings"
        )
        self.stdout.write(f"Dialogue tables benchmark ({scale}; the first region 4x as busy)")
        busy, quiet, user, start, end = self.fill(rng, **options)
        bare_ms = self.bare(busy, start, end)
        page = self.page(user, start, end, options["port"], options["requests"])
        self.stdout.write("")
        self.line("bare SQL aggregate (median)", f"{bare_ms:.1f} ms")
        p95 = statistics.quantiles(page, n=20)[-1]
        self.line("synthesis page over HTTP, median", f"{statistics.median(page):.1f} ms")
        self.line(
            "synthesis page over HTTP, p95",
            f"{p95:.1f} ms",
            f"target ≤ {P95_TARGET_MS:.0f} ms",
            p95 <= P95_TARGET_MS,
        )
        ratio = statistics.median(page) / bare_ms if bare_ms else float("inf")
        self.line(
            "page median / bare aggregate",
            f"{ratio:.1f}x",
            f"target ≤ {SYNTHESIS_RATIO_TARGET:.0f}x",
            ratio <= SYNTHESIS_RATIO_TARGET,
        )
        self.export(busy, quiet)

    def fill(self, rng: random.Random, **o: Any) -> tuple[int, int, Any, date, date]:
        from rits.accounts.models import Membership, Organisation, User
        from rits.dialogues.models import Account, Code, Coding, DialogueTable, Finding
        from rits.dialogues.services import seed_codebook
        from rits.regions.models import Municipality, YouthCareRegion

        regions = list(YouthCareRegion.objects.order_by("code")[: o["regions"]])
        today = timezone.localdate()
        first_year = today.year - o["years"]
        start, end = date(first_year, 1, 1), date(today.year - 1, 12, 31)
        user, _ = User.objects.get_or_create(
            email="bench-dialogues@bench.rits.nl", defaults={"full_name": "Bench Begeleider"}
        )
        org, _ = Organisation.objects.get_or_create(
            region=regions[0], name="Leernetwerk (bench)", defaults={"kind": "knowledge_institute"}
        )
        Membership.objects.get_or_create(user=user, organisation=org, role="facilitator")
        total_tables = sum(
            o["years"] * o["tables"] * (4 if i == 0 else 1) for i in range(len(regions))
        )
        done = 0
        started = time.perf_counter()
        for i, region in enumerate(regions):
            seed_codebook(region)
            codes = list(Code.objects.filter(region=region).values_list("pk", flat=True))
            weights = [1 / (k + 1) for k in range(len(codes))]
            municipalities = list(
                Municipality.objects.filter(region=region).values_list("pk", flat=True)
            ) or [None]
            per_year = o["tables"] * (4 if i == 0 else 1)
            for year in range(first_year, today.year):
                with transaction.atomic():
                    tables = DialogueTable.objects.bulk_create(
                        DialogueTable(
                            region=region,
                            municipality_id=rng.choice(municipalities),
                            title="Tafel",
                            facilitator=user,
                            status="held",
                            held_on=date(year, 1, 1) + timedelta(days=rng.randrange(365)),
                            guid=uuid.uuid4(),
                        )
                        for _ in range(per_year)
                    )
                    Account.objects.bulk_create(
                        Account(table=t, text=" ".join(rng.sample(PHRASES, 5)), status="released")
                        for t in tables
                    )
                    findings = Finding.objects.bulk_create(
                        (
                            Finding(
                                table=t,
                                text=rng.choice(PHRASES),
                                phase=rng.choice(("signal", "access", "plan", "help", "ending")),
                                view=rng.choice(("youth", "parent", "professional", "shared")),
                                guid=uuid.uuid4(),
                            )
                            for t in tables
                            for _ in range(o["findings"])
                        ),
                        batch_size=5000,
                    )
                    codings = []
                    for f in findings:
                        chosen = set(rng.choices(codes, weights, k=rng.randint(1, 3)))
                        codings += [
                            Coding(
                                finding=f,
                                code_id=c,
                                counted_code_id=c,
                                coder=user,
                                guid=uuid.uuid4(),
                            )
                            for c in chosen
                        ]
                    Coding.objects.bulk_create(codings, batch_size=5000)
                done += per_year
                self.progress("tables (+ findings)", done, total_tables)
        self.stdout.write(
            f"  filled {Finding.objects.count():,} findings, {Coding.objects.count():,} codings "
            f"in {time.perf_counter() - started:.0f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return regions[0].pk, regions[-1].pk, user, start, end

    def bare(self, region_id: int, start: date, end: date, runs: int = 9) -> float:
        vendor = connection.vendor
        year = (
            "CAST(strftime('%%Y', t.held_on) AS INTEGER)"
            if vendor == "sqlite"
            else "EXTRACT(YEAR FROM t.held_on)"
        )
        month = (
            "CAST(strftime('%%m', t.held_on) AS INTEGER)"
            if vendor == "sqlite"
            else "EXTRACT(MONTH FROM t.held_on)"
        )
        trend = BARE_TREND.format(year=year, half=f"({month} > 6)")
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                for sql in (BARE_COUNTS, BARE_PAIRS, trend):
                    cursor.execute(sql, [region_id, start, end])
                    cursor.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times)

    def page(self, user: Any, start: date, end: date, port: int, n: int) -> list[float]:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.core.wsgi import get_wsgi_application
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        # As a login through the model backend leaves it (the lock-out backend before it
        # only checks attempts).
        session[BACKEND_SESSION_KEY] = next(
            b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend")
        )
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()

        def report(sender: Any, request: Any = None, **kw: Any) -> None:
            import traceback

            traceback.print_exc()

        got_request_exception.connect(report, weak=False)
        server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        url = f"/dialoogtafels/overzicht/?start={start.isoformat()}&end={end.isoformat()}"
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        times = []
        try:
            for i in range(n + 3):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                t0 = time.perf_counter()
                conn.request("GET", url, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - t0) * 1000
                conn.close()
                if response.status != 200 or b"<svg" not in body:
                    raise RuntimeError(f"synthesis page answered {response.status}")
                if i >= 3:
                    times.append(elapsed)
                self.progress("synthesis page", i + 1, n + 3)
        finally:
            server.shutdown()
            server.server_close()
        return times

    def export(self, busy: int, quiet: int) -> None:
        from rits.dialogues.models import Finding
        from rits.dialogues.refi import write_project

        segments = {r: Finding.objects.filter(table__region_id=r).count() for r in (busy, quiet)}
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "export.qdpx"
            t0 = time.perf_counter()
            with target.open("wb") as out:
                size = write_project(out, busy, name="bench")
            seconds = time.perf_counter() - t0
            peaks = {}
            for region in (busy, quiet):
                tracemalloc.start()
                with target.open("wb") as out:
                    write_project(out, region, name="bench")
                peaks[region] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        self.line(
            f".qdpx of the busy region ({segments[busy]:,} segments)",
            f"{seconds:.1f} s",
            f"{size / 1e6:.1f} MB",
        )
        self.line(f"peak memory, busy region ({segments[busy]:,})", f"{peaks[busy] / 1e6:.1f} MB")
        self.line(
            f"peak memory, quiet region ({segments[quiet]:,})", f"{peaks[quiet] / 1e6:.1f} MB"
        )
        growth = peaks[busy] / max(peaks[quiet], 1)
        self.line(
            "memory busy / quiet (segments x4)",
            f"{growth:.2f}x",
            f"target ≤ {MEMORY_GROWTH_TARGET}x (streams)",
            growth <= MEMORY_GROWTH_TARGET,
        )
