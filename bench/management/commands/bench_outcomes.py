"""Benchmark the outcome monitor on a production-like server.

Steps: make a temporary SQLite database and fill it with a country's data (every
municipality, ``--years`` of signals and family plans with goals; the full scale is
342 municipalities, 10 years, 5 million signals and 1 million plans); time the bare
aggregates (every source's GROUP BY over the country, what a page computed live would
run) and the daily refresh that stores the cells; start gunicorn (DEBUG off) on
127.0.0.1 and, from a second process, measure the p95 of the monitor page of one
municipality and of the national map. Prints the figures next to the targets: p95 at
most 200 ms and at most 3 times the bare aggregates.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from bench.management.commands.bench_family_plans import Command as PlanBench
from bench.management.commands.bench_family_plans import _free_port
from rits.accounts.throttling import BENCHMARK_RATES

P95_TARGET_MS = 200.0
BARE_RATIO_TARGET = 3.0


class Command(BaseCommand):
    help = "Benchmark the outcome monitor under gunicorn (DEBUG off), next to the bare aggregates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipalities", type=int, default=342)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--signals", type=int, default=5_000_000)
        parser.add_argument("--plans", type=int, default=1_000_000)
        parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--fill", action="store_true", help="(internal) fill and time")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fill"]:
            from bench.outcomes.data import fill, time_aggregates
            from rits.audit import context

            token = context.set_current(context.AccessPoint(channel="command"))
            try:
                info = fill(
                    municipalities=options["municipalities"],
                    years=options["years"],
                    signals=options["signals"],
                    plans=options["plans"],
                )
                info.update(time_aggregates())
            finally:
                context.reset(token)
            self.stdout.write(json.dumps(info))
            return
        self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="rits-bench-outcomes-"))
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": "",
            "SQLITE_PATH": str(tmp / "bench.sqlite3"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-" + secrets.token_hex(32),
            "RITS_PSEUDONYM_KEY": os.environ.get("RITS_PSEUDONYM_KEY") or secrets.token_hex(16),
            "DJANGO_SETTINGS_MODULE": "rits.settings",
            "RITS_BENCHMARKS": "1",
            "STATIC_ROOT": str(tmp / "static"),
            "LOG_LEVEL": "ERROR",
            **BENCHMARK_RATES,
        }
        scale = (
            f"{options['municipalities']} municipalities, {options['years']} years, "
            f"{options['signals']:,} signals, {options['plans']:,} plans (2 goals each)"
        )
        server = None
        try:
            self.stdout.write(f"Outcome monitor benchmark: {scale}; preparing…")
            for step in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
                subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
                    [sys.executable, manage, *step], env=env, check=True, stdout=subprocess.DEVNULL
                )
            fill_args = [
                f"--{k}={options[k]}" for k in ("municipalities", "years", "signals", "plans")
            ]
            filled = subprocess.run(  # noqa: S603
                [sys.executable, manage, "bench_outcomes", "--fill", *fill_args],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            info = json.loads(filled.stdout.strip().splitlines()[-1])
            port = _free_port()
            server = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "bench.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(options["workers"]),
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            helper = PlanBench()
            helper._wait(port)
            cookie = [f"Cookie: {info['cookie']}"]
            year = info["year"]
            scenarios = [
                ("Django minimal view (baseline)", "/bench/minimal/", []),
                (
                    "Monitor page, one municipality",
                    f"/monitor/{info['municipality']}/?periode={year}",
                    cookie,
                ),
                (
                    "National map (per region)",
                    f"/monitor/NL/?periode={year}&beeld=plans_started",
                    cookie,
                ),
            ]
            for _label, path, headers in scenarios:
                helper._load(port, path, headers, 2, 1.0)
            results = helper._measure(port, scenarios, 2, options["seconds"], 2)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
            shutil.rmtree(tmp, ignore_errors=True)
        w = self.stdout.write
        bare_ms = info["bare_s"] * 1000
        w("")
        w(f"Scale: {scale}; SQLite (temporary), gunicorn, DEBUG off, 2 clients")
        w(f"Bare aggregates (every source's GROUP BY over the country): {bare_ms:,.0f} ms")
        w(
            f"Daily refresh (compute, suppress, store {info['cells']:,} cells): "
            f"{info['refresh_s']:.1f} s"
        )
        w(f"{'':36} {'p50':>9} {'p95':>9} {'req/s':>7} {'errors':>7}")
        for (label, _p, _h), r in zip(scenarios, results, strict=True):
            w(
                f"{label:36} {r['p50_ms']:7.1f}ms {r['p95_ms']:7.1f}ms {r['rps']:7.0f} "
                f"{int(r['errors']):7d}"
            )
        for (label, _p, _h), r in list(zip(scenarios, results, strict=True))[1:]:
            ratio = r["p95_ms"] / bare_ms if bare_ms else 0.0
            ok = r["p95_ms"] <= P95_TARGET_MS and ratio <= BARE_RATIO_TARGET
            w(
                f"{label}: p95 {r['p95_ms']:.1f} ms (target ≤ {P95_TARGET_MS:.0f} ms), "
                f"{ratio:.2f} times the bare aggregates (target ≤ {BARE_RATIO_TARGET:.0f}) "
                f"{'met' if ok else 'MISSED'}"
            )
