"""Benchmark the family plan page and its API on a production-like server.

Steps: make a temporary SQLite database and fill it (one plan with 20 goals, 100
actions, 50 decisions and a full audit trail); profile one request in-process
(queries, audit cost); start gunicorn (DEBUG off, one sync worker per core) on
127.0.0.1; from a second process, measure requests per second with 20 concurrent
clients and p95 latency with 2, for the plan page, its API, and two baselines served
by the same server: Django's minimal view and the plan template rendered from data
already in memory (no database, no audit). Prints the figures next to the targets.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rits.accounts.throttling import BENCHMARK_RATES

PAGE_TARGET_RATIO = 0.5
P95_TARGET_MS = 25.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Command(BaseCommand):
    help = "Benchmark the family plan page and API under gunicorn (DEBUG off), with baselines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
        parser.add_argument("--fill", action="store_true", help=HELP_INTERNAL)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fill"]:
            self._fill()
            return
        self._run(options["seconds"], options["workers"], options["rounds"])

    def _fill(self) -> None:
        from bench.family_plans.data import fill, profile
        from rits.audit import context

        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            info = fill()
            info["profile"] = profile(info)
        finally:
            context.reset(token)
        self.stdout.write(json.dumps(info))

    def _run(self, seconds: float, workers: int, rounds: int) -> None:
        tmp = Path(tempfile.mkdtemp(prefix="rits-bench-family-"))
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
            # Twenty clients from one account: the limits are lifted (and still checked).
            **BENCHMARK_RATES,
        }
        server = None
        try:
            self.stdout.write("Family plan benchmark: preparing a temporary database…")
            for step in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
                subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
                    [sys.executable, manage, *step],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            filled = subprocess.run(  # noqa: S603
                [sys.executable, manage, "bench_family_plans", "--fill"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            info = json.loads(filled.stdout.strip().splitlines()[-1])
            env["RITS_BENCH_PLAN"] = str(info["plan"])
            env["RITS_BENCH_USER"] = info["user"]
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
                    str(workers),
                    "--worker-class",
                    "sync",
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            self._wait(port)
            self._report(port, info, seconds, workers, rounds)
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
            shutil.rmtree(tmp, ignore_errors=True)

    def _wait(self, port: int) -> None:
        import http.client

        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/bench/minimal/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def _load(
        self, port: int, path: str, headers: list[str], clients: int, seconds: float
    ) -> dict[str, Any]:
        cmd = [
            sys.executable,
            "-m",
            "bench.family_plans.load",
            "--port",
            str(port),
            "--path",
            path,
            "--clients",
            str(clients),
            "--seconds",
            str(seconds),
        ]
        for header in headers:
            cmd += ["--header", header]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)  # noqa: S603
        result: dict[str, Any] = json.loads(out.stdout)
        return result

    def _measure(
        self,
        port: int,
        scenarios: list[tuple[str, str, list[str]]],
        clients: int,
        seconds: float,
        rounds: int,
    ) -> list[dict[str, float]]:
        """Interleave the scenarios in rounds, so that a change in the machine's load
        (other processes) hits every scenario alike; combine the rounds."""
        parts: list[list[dict[str, Any]]] = [[] for _ in scenarios]
        for _ in range(rounds):
            for i, (_label, path, headers) in enumerate(scenarios):
                parts[i].append(self._load(port, path, headers, clients, seconds / rounds))
        combined = []
        for runs in parts:
            latencies = sorted(x for r in runs for x in r["latencies_ms"])
            n = len(latencies)
            elapsed = sum(r["seconds"] for r in runs)
            combined.append(
                {
                    "rps": n / elapsed if elapsed else 0.0,
                    "p50_ms": latencies[n // 2] if n else 0.0,
                    "p95_ms": latencies[min(n - 1, int(n * 0.95))] if n else 0.0,
                    "errors": sum(r["errors"] for r in runs),
                }
            )
        return combined

    def _report(
        self, port: int, info: dict[str, Any], seconds: float, workers: int, rounds: int
    ) -> None:
        plan = info["plan"]
        scenarios = [
            ("Django minimal view (baseline)", "/bench/minimal/", []),
            ("Plan template from memory (baseline)", "/bench/plan-in-memory/", []),
            (
                "Plan page (access, queries, audit)",
                f"/gezin/{plan}/",
                [f"Cookie: {info['cookie']}"],
            ),
            (
                "Plan page, content read every time",
                f"/bench/plan-read-every-time/{plan}/",
                [f"Cookie: {info['cookie']}"],
            ),
            (
                "Plan API (token, queries, audit)",
                f"/api/v1/family-plans/plans/{plan}",
                [f"Authorization: Bearer {info['token']}"],
            ),
        ]
        for _label, path, headers in scenarios:
            self._load(port, path, headers, 2, 1.0)  # warm up both workers
        wide = self._measure(port, scenarios, 20, seconds, rounds)
        narrow = self._measure(port, scenarios, 2, seconds, rounds)
        rows = [
            (label, w20, w2, int(w20["errors"] + w2["errors"]))
            for (label, _p, _h), w20, w2 in zip(scenarios, wide, narrow, strict=True)
        ]
        w = self.stdout.write
        w("")
        w(
            f"gunicorn {workers} sync workers, DEBUG off, SQLite (temporary), "
            f"{seconds:.0f} s per measurement in {rounds} interleaved rounds; "
            "load from a second process on the same machine"
        )
        w(f"{'':40} {'req/s @20':>10} {'p50 @2':>9} {'p95 @2':>9} {'req/s @2':>9} {'errors':>7}")
        for label, at20, at2, errors in rows:
            w(
                f"{label:40} {at20['rps']:10.0f} {at2['p50_ms']:7.1f}ms "
                f"{at2['p95_ms']:7.1f}ms {at2['rps']:9.0f} {errors:7d}"
            )
        memory, page, cold, api_row = rows[1][1], rows[2][1], rows[3][1], rows[4][1]
        ratio = page["rps"] / memory["rps"] if memory["rps"] else 0.0
        cold_ratio = cold["rps"] / memory["rps"] if memory["rps"] else 0.0
        api_ratio = api_row["rps"] / memory["rps"] if memory["rps"] else 0.0
        p95 = rows[2][2]["p95_ms"]
        w("")
        w(
            f"Plan page / in-memory render: {ratio:.2f} (target ≥ {PAGE_TARGET_RATIO}) "
            f"{'OK' if ratio >= PAGE_TARGET_RATIO else 'MISSED'}; "
            f"content read every time: {cold_ratio:.2f}; API / in-memory render: {api_ratio:.2f}"
        )
        w(
            f"Plan page p95 at 2 clients: {p95:.1f} ms (target ≤ {P95_TARGET_MS:.0f} ms) "
            f"{'OK' if p95 <= P95_TARGET_MS else 'MISSED'}"
        )
        p = info["profile"]
        w("")
        w("Where the time goes (in-process, one client, median):")
        w(
            f"  plan page {p['page_ms']:.1f} ms vs in-memory render {p['memory_ms']:.1f} ms "
            f"(ratio {p['memory_ms'] / p['page_ms']:.2f})"
        )
        w(
            f"  plan page: {p['page_queries']} queries ({p['page_writes']} writes: audit entry "
            f"and session), {p['page_bytes'] / 1024:.0f} KiB HTML"
        )
        w(
            f"  plan API:  {p['api_queries']} queries ({p['api_writes']} writes), "
            f"{p['api_bytes'] / 1024:.0f} KiB JSON"
        )
        w(
            f"  access check {p['access_ms']:.2f} ms, the plan's content {p['context_ms']:.2f} ms "
            f"kept / {p['context_cold_ms']:.2f} ms read, one audit entry (chain lock + last hash "
            f"+ insert) {p['audit_ms']:.2f} ms"
        )


HELP_INTERNAL = "internal: fill the benchmark database and print its ids (used by the run)"
