"""Benchmark of the audit trail scaling out: audited plan reads per second on PostgreSQL
from 1, 2 and 4 worker processes.

An audited plan read is what the plan page does against the database: the plan read
through the access helper (``get_plan_for_user``) and its audit entry
(``record_read``, one transaction with the chain lane's lock, the lane's last hash and
the insert), for a plan and reader drawn at random from many (no single hot object).

Steps: recreate the PostgreSQL database named by ``--database-url`` (default
``BENCH_DATABASE_URL``), migrate it and fill it with plans and their coordinators (in a
child process, because this command's own settings may point at SQLite); then, in
interleaved rounds, start 1, 2 and 4 worker processes at the same instant, each reading
for a fixed time, with the lanes (``RITS_AUDIT_LANES``, default 16) and, as the baseline
in the same run, with one lane: the single chain lock every audited transaction waited
for before. Prints the figures, the ratio to one process and met/missed against the
target (4 processes ≥ 2.5 times one), checks the chain afterwards, and says how busy the
machine was (load average).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

TARGET_RATIO = 2.5
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rits_bench_audit"


class Command(BaseCommand):
    help = "Benchmark audited plan reads per second on PostgreSQL with 1, 2 and 4 processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database-url",
            default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
            help="A PostgreSQL database this benchmark may drop and recreate.",
        )
        parser.add_argument("--seconds", type=float, default=6.0, help="per measurement")
        parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
        parser.add_argument("--processes", default="1,2,4")
        parser.add_argument("--lanes", type=int, default=16)
        parser.add_argument("--plans", type=int, default=200, help="distinct plans")
        parser.add_argument(
            "--latency-ms",
            type=float,
            default=1.0,
            help=(
                "Round-trip time added to every statement, as between app servers and a "
                "database on other machines (0: all on this machine)."
            ),
        )
        parser.add_argument("--fill", action="store_true", help=HELP_INTERNAL)
        parser.add_argument("--worker", action="store_true", help=HELP_INTERNAL)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fill"]:
            self._fill(options["plans"])
        elif options["worker"]:
            self._work(options["seconds"], options["latency_ms"])
        else:
            self._run(options)

    # The parent: database, rounds, report.

    def _run(self, options: dict[str, Any]) -> None:
        url = options["database_url"]
        if urlsplit(url).scheme not in ("postgres", "postgresql"):
            raise CommandError("--database-url must name a PostgreSQL database.")
        counts = [int(n) for n in options["processes"].split(",")]
        lanes_options = [1, options["lanes"]]
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "0",
            "RITS_BENCHMARKS": "1",
            "LOG_LEVEL": "ERROR",
        }
        env.setdefault("SECRET_KEY", "bench-audit-" + "x" * 50)
        env.setdefault("RITS_PSEUDONYM_KEY", "bench-audit-pseudonym-key-0123456789")
        env["ALLOWED_HOSTS"] = "127.0.0.1"
        load_before = os.getloadavg()
        self.stdout.write(f"Audit benchmark on {_safe(url)}: preparing the database…")
        import psycopg

        try:
            _recreate(url)
        except psycopg.OperationalError as exc:  # no server there, or no right to create
            self.stdout.write(f"  skipped: no PostgreSQL to use ({str(exc).strip()[:120]})")
            return
        subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, manage, "migrate", "--no-input", "-v0"], env=env, check=True
        )
        fill = subprocess.run(  # noqa: S603
            [sys.executable, manage, "bench_audit", "--fill", "--plans", str(options["plans"])],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.stdout.write(fill.stdout.strip().splitlines()[-1])
        _analyze(url)
        results: dict[tuple[int, int], list[tuple[int, float]]] = {}
        steps = options["rounds"] * len(counts) * len(lanes_options)
        step = 0
        for _ in range(options["rounds"]):
            for lanes in lanes_options:
                for n in counts:
                    step += 1
                    self._progress(f"{n} processes, {lanes} lanes", step, steps)
                    done = self._measure(
                        manage, env, n, lanes, options["seconds"], options["latency_ms"]
                    )
                    results.setdefault((n, lanes), []).append(done)
        load_after = os.getloadavg()
        verified = subprocess.run(  # noqa: S603
            [sys.executable, manage, "verify_audit_chain"],
            env=env,
            capture_output=True,
            text=True,
        )
        self._report(results, counts, lanes_options, options, load_before, load_after)
        self.stdout.write(verified.stdout.strip().splitlines()[0] if verified.stdout else "")
        if verified.returncode:
            raise CommandError(verified.stderr.strip())

    def _measure(
        self,
        manage: str,
        env: dict[str, str],
        n: int,
        lanes: int,
        seconds: float,
        latency_ms: float,
    ) -> tuple[int, float]:
        """Start n workers, release them together once all are ready, add up their reads."""
        worker_env = {**env, "RITS_AUDIT_LANES": str(lanes)}
        workers = [
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    manage,
                    "bench_audit",
                    "--worker",
                    "--seconds",
                    str(seconds),
                    "--latency-ms",
                    str(latency_ms),
                ],
                env=worker_env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(n)
        ]
        for worker in workers:
            assert worker.stdout is not None
            if worker.stdout.readline().strip() != "ready":
                raise CommandError("a benchmark worker failed to start")
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        reads = 0
        for worker in workers:
            out, _ = worker.communicate()
            if worker.returncode:
                raise CommandError("a benchmark worker failed")
            reads += json.loads(out.strip().splitlines()[-1])["reads"]
        return reads, seconds

    def _progress(self, label: str, done: int, total: int) -> None:
        if self.stdout.isatty():
            end = "\n" if done >= total else ""
            self.stdout.write(f"\r  measuring {done}/{total}: {label:<24}", ending=end)
        elif done == 1 or done == total or done % 6 == 0:
            self.stdout.write(f"  measuring {done}/{total}: {label}")
        self.stdout.flush()

    def _report(
        self,
        results: dict[tuple[int, int], list[tuple[int, float]]],
        counts: list[int],
        lanes_options: list[int],
        options: dict[str, Any],
        load_before: tuple[float, float, float],
        load_after: tuple[float, float, float],
    ) -> None:
        def rate(n: int, lanes: int) -> float:
            runs = results[(n, lanes)]
            return sum(r for r, _ in runs) / sum(s for _, s in runs)

        w = self.stdout.write
        one, many = lanes_options
        w("")
        w(
            f"PostgreSQL, {options['latency_ms']:g} ms added per statement, "
            f"{options['plans']} plans and readers drawn at random, "
            f"{options['seconds']:.0f} s per measurement in {options['rounds']} interleaved "
            f"rounds; {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, "
            f"{load_after[0]:.1f} after"
        )
        lanes_label = f"{many} lanes"
        w(
            f"{'processes':>10} {'1 lane (baseline)':>19} {'ratio':>7} "
            f"{lanes_label:>11} {'ratio':>7}"
        )
        for n in counts:
            w(
                f"{n:>10} {rate(n, one):>13.0f} r/s {rate(n, one) / rate(counts[0], one):>6.2f}x "
                f"{rate(n, many):>7.0f} r/s {rate(n, many) / rate(counts[0], many):>6.2f}x"
            )
        top = counts[-1]
        ratio = rate(top, many) / rate(counts[0], many)
        w("")
        w(
            f"{top} processes / 1 process with lanes: {ratio:.2f} (target ≥ {TARGET_RATIO}) "
            f"{'met' if ratio >= TARGET_RATIO else 'MISSED'}; one lane (the single chain "
            f"lock): {rate(top, one) / rate(counts[0], one):.2f}"
        )

    # The children: fill, and one worker.

    def _fill(self, plans: int) -> None:
        from bench.audit_data import fill
        from rits.audit import context

        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            info = fill(plans)
        finally:
            context.reset(token)
        self.stdout.write(f"  {info['plans']} plans of {info['readers']} coordinators")

    def _work(self, seconds: float, latency_ms: float) -> None:
        from rits.accounts.models import User
        from rits.audit import context
        from rits.family_plans import services
        from rits.family_plans.models import Plan
        from rits.family_plans.permissions import get_plan_for_user

        pairs = list(Plan.objects.values_list("coordinator_id", "pk"))
        readers = {u.pk: u for u in User.objects.filter(pk__in={c for c, _ in pairs})}
        rng = random.Random(os.getpid())
        token = context.set_current(context.AccessPoint(channel="web", ip_address="127.0.0.1"))
        user_id, plan_id = pairs[0]
        get_plan_for_user(readers[user_id], plan_id)  # connected, and the code paths warm
        print("ready", flush=True)
        sys.stdin.readline()
        deadline = time.perf_counter() + seconds
        reads = 0
        delay = latency_ms / 1000

        def network(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            time.sleep(delay)
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(network) if delay else nullcontext():
                while time.perf_counter() < deadline:
                    user_id, plan_id = rng.choice(pairs)
                    user = readers[user_id]
                    plan = get_plan_for_user(user, plan_id)
                    services.record_read(plan, actor=user)
                    reads += 1
        finally:
            context.reset(token)
        self.stdout.write(json.dumps({"reads": reads}))


def _safe(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{host}{port}", parts.path, "", ""))


def _recreate(url: str) -> None:
    """Drop and create the benchmark's own database (connecting to "postgres")."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _analyze(url: str) -> None:
    """Planner statistics for the freshly filled tables, as autovacuum would make."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


HELP_INTERNAL = "internal: used by the run itself"
