"""Benchmark of the involvement index at national scale.

Builds an index of N active signals (default 10,000,000: about fifty times a national
year; MULTIsignaal reported about 168,000 signals, 114,000 client matches and 200,000
family matches in 2023) and prints, next to baselines measured in the same run:

- bulk load rate through the import path (validate, pseudonymise, duplicate check,
  insert, match) next to a bare ``executemany`` of the same rows with the same statement;
- register-and-match p50/p99 in-process (the full service: authorisation, validation,
  insert, audit, matching, notifications) next to a bare indexed insert-plus-lookup;
- the same over HTTP (the JSON API, token auth, one client at a time);
- peak memory (max RSS).

Before sampling, the objects built so far are frozen out of the garbage collector
(``gc.freeze()``), as the production WSGI module does after loading the app. The
samples are also broken down (with or without a match; on SQLite, with or without a
WAL checkpoint run by their commit) so that a slow tail can be explained.

Run it on a scratch database, for example:
``SQLITE_PATH=/tmp/rits-bench.sqlite3 DEBUG=1 ./manage.py migrate`` and then
``SQLITE_PATH=/tmp/rits-bench.sqlite3 DEBUG=1 ./manage.py bench_involvement``.
"""

from __future__ import annotations

import gc
import http.client
import itertools
import json
import os
import random
import resource
import statistics
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from rits.accounts.models import ApiToken, Membership, Notification, Organisation, User
from rits.accounts.throttling import BENCHMARK_RATES
from rits.audit import context
from rits.audit.models import Entry
from rits.involvement.models import KEY_LENGTH, Match, MatchMember, Signal
from rits.involvement.services import (
    SignalInput,
    import_signals,
    insert_sql,
    register_signal,
    signal_rows,
    validate,
)
from rits.involvement.services.sql import searching
from rits.lib.sqlite_wal import start_checkpointer
from rits.regions.models import Municipality, YouthCareRegion

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
REPORTERS = 20
# An import file is one organisation's registrations from its own case system, all or
# nothing. 10,000 rows is a large organisation's whole case load (the whole country
# registered 168,000 signals in 2023).
FILE_ROWS = 10_000
# Synthetic number ranges (never stored: only their pseudonyms are).
YOUTH_BASE = 10_000_000
PARENT_BASE = 50_000_000
PROBE_BASE = 90_000_000
# A --reuse round shifts the probes' numbers by this much (the ranges below stay apart).
ROUND_SHIFT = 10_000
MAX_ROUND = 40


def synthetic_number(k: int) -> str | None:
    """The k-th synthetic nine-digit number that passes the elfproef, or None when the
    prefix has no valid check digit. Deterministic and fast, for ten million rows."""
    total, rest = 0, k
    for weight in (2, 3, 4, 5, 6, 7, 8, 9):
        rest, digit = divmod(rest, 10)
        total += digit * weight
    check = total % 11
    return None if check == 10 else f"{k:08d}{check}"


class Rows:
    """The benchmark's synthetic population, row by row.

    Row i belongs to reporter i % 20. One row in 100 repeats the previous row's youth
    (a client match with another reporter); youths whose number ends in 01 or 51 share
    their parents with the youth before them (a family match when both have parents);
    three rows in five carry both parents.
    """

    def __init__(self, today: date, municipalities: list[Municipality]) -> None:
        self.today = today
        self.municipalities = municipalities

    def youth(self, i: int) -> int:
        return i - 1 if i % 100 == 99 else i

    def row(self, i: int) -> SignalInput | None:
        y = self.youth(i)
        bsn = synthetic_number(YOUTH_BASE + y)
        if bsn is None:
            return None
        family = y - 1 if y % 50 == 1 else y
        parents: list[str] = []
        if family % 5 < 3:
            parents = [
                p
                for p in (
                    synthetic_number(PARENT_BASE + 2 * family),
                    synthetic_number(PARENT_BASE + 2 * family + 1),
                )
                if p
            ]
        age_days = 30 + (y * 7919) % (22 * 365)
        return SignalInput(
            bsn=bsn,
            birth_date=self.today - timedelta(days=age_days),
            municipality=self.municipalities[y % len(self.municipalities)],
            parent_bsns=parents,
            youth_informed=True,
            parents_informed=True,
        )

    def for_reporter(self, reporter: int, total: int) -> Iterator[SignalInput]:
        for i in range(reporter, total, REPORTERS):
            row = self.row(i)
            if row is not None:
                yield row

    def files(self, reporter: int, total: int, file_rows: int) -> Iterator[list[SignalInput]]:
        """The reporter's rows as import files of at most ``file_rows`` rows (0: one)."""
        source = self.for_reporter(reporter, total)
        while chunk := list(itertools.islice(source, file_rows or None)):
            yield chunk


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def file_label(file_rows: int) -> str:
    return f"files of {file_rows:,} rows" if file_rows else "one file per reporter"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Observer:
    """What happened during one sample besides the work itself.

    - SQLite: did the sample's commit run a WAL checkpoint? SQLite checkpoints when the
      write-ahead log passes 1,000 pages, inside the commit that passed it. Seen in the
      WAL index (the ``-shm`` file, https://www.sqlite.org/walformat.html): its
      ``nBackfill`` at offset 96 rises when a checkpoint copies frames back.
    - Did a full (generation 2) garbage collection run?
    - Did the process wait for the disk? The kernel counts the blocks a process had to
      read from the device (``ru_inblock``): pages of the database that neither
      SQLite's page cache nor the operating system's held, and program or library
      pages the operating system had put out of memory.
    """

    def __init__(self) -> None:
        self.fd: int | None = None
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and os.path.exists(f"{name}-shm"):
            self.fd = os.open(f"{name}-shm", os.O_RDONLY)
        self.full_collections = 0
        self.before = (0, 0, 0)

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            self.full_collections += 1

    def _backfill(self) -> int:
        if self.fd is None:
            return 0
        value: int = struct.unpack("=I", os.pread(self.fd, 4, 96))[0]
        return value

    def __enter__(self) -> Observer:
        gc.callbacks.append(self._collected)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._collected)
        if self.fd is not None:
            os.close(self.fd)

    @staticmethod
    def _blocks_read() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_inblock

    def start(self) -> None:
        self.before = (self._backfill(), self.full_collections, self._blocks_read())

    def stop(self, ms: float, matched: bool = False) -> Sample:
        backfill = self._backfill()
        checkpoint = backfill > 0 and backfill != self.before[0]
        disk = self._blocks_read() > self.before[2]
        return Sample(ms, matched, checkpoint, self.full_collections > self.before[1], disk)


@dataclass(frozen=True)
class Sample:
    ms: float
    matched: bool
    checkpoint: bool
    full_collection: bool
    disk: bool = False


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Benchmark the involvement index (bulk load, register-and-match, HTTP, memory)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--signals", type=int, default=10_000_000)
        parser.add_argument("--samples", type=int, default=2000, help="In-process registrations.")
        parser.add_argument("--http-samples", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--file-rows",
            type=int,
            default=FILE_ROWS,
            help="Rows per import file (one transaction each); 0: one file per reporter.",
        )
        parser.add_argument(
            "--skip-bare", action="store_true", help="Skip the bare executemany baseline."
        )
        parser.add_argument(
            "--reuse",
            type=int,
            default=0,
            metavar="ROUND",
            help=(
                "Sample again an index that an earlier run of this benchmark built (no bare "
                "insert, no load), e.g. to try a setting that does not change the data. "
                f"Give each such run its own round number (1-{MAX_ROUND}): the probes then "
                "register youths that earlier rounds did not."
            ),
        )

    # --- output -------------------------------------------------------------------

    def bar(self, label: str, done: int, total: int, started: float) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(time.perf_counter() - started, 1e-9)
        end = "\n" if done >= total else ""
        self.stdout.write(
            f"\r  {label:<24} [{'#' * filled}{'-' * (width - filled)}] "
            f"{done:>11,}/{total:,} {rate:>9,.0f}/s{end}",
            ending="",
        )
        self.stdout.flush()

    # --- setup --------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        total: int = options["signals"]
        self.round: int = options["reuse"]
        if not 0 <= self.round <= MAX_ROUND:
            raise CommandError(f"--reuse takes a round number from 1 to {MAX_ROUND}.")
        if self.round and not Signal.objects.exists():
            raise CommandError("--reuse needs an index built by an earlier run; this one is empty.")
        if not self.round and Signal.objects.exists():
            raise CommandError(
                "The benchmark needs an empty index. Use a scratch database, e.g. "
                "SQLITE_PATH=/tmp/rits-bench.sqlite3 DEBUG=1 ./manage.py migrate "
                "(or sample an index built earlier again with --reuse ROUND)"
            )
        connection_created.connect(self.tune)
        self.tune(None, connection)
        token = context.set_current(context.AccessPoint(channel="command"))
        # Measure as in production: with DEBUG on, Django logs and times every query.
        # No mail leaves the machine; the rate limits are lifted above the benchmark's
        # own rate (still checked). The settings are restored afterwards.
        try:
            with override_settings(
                DEBUG=False,
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                **BENCHMARK_RATES,
            ):
                self.run(total, options)
        finally:
            context.reset(token)
            connection_created.disconnect(self.tune)

    def tune(self, sender: Any, connection: Any, **kwargs: Any) -> None:
        """Sorting for the bare baseline and the app in memory. The page cache and memory
        map are the server's own (settings RITS_SQLITE_CACHE_MB, RITS_SQLITE_MMAP_MB)."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA temp_store=MEMORY")

    def setup_people(
        self,
    ) -> tuple[list[tuple[User, Organisation]], User, Organisation, User]:
        region = YouthCareRegion.objects.get(code="JZ41")
        home = Municipality.objects.get(code="GM0917")
        people = []
        for n in range(REPORTERS + 2):
            org, _ = Organisation.objects.get_or_create(
                region=region,
                name=f"Bench organisation {n:02d}",
                defaults={"kind": Organisation.Kind.YOUTH_CARE_PROVIDER, "municipality": home},
            )
            user = User.objects.filter(email=f"bench{n:02d}@bench.rits.nl").first()
            if user is None:
                user = User.objects.create_user(
                    f"bench{n:02d}@bench.rits.nl", None, full_name=f"Bench Reporter {n:02d}"
                )
            Membership.objects.get_or_create(
                user=user, organisation=org, team=None, role=Membership.Role.INDEX_REPORTER
            )
            people.append((user, org))
        http_user, _http_org = people.pop()
        probe_user, probe_org = people.pop()
        return people, probe_user, probe_org, http_user

    # --- the run ------------------------------------------------------------------

    def run(self, total: int, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        municipalities = list(Municipality.objects.filter(region__code="JZ41").order_by("code"))
        rows = Rows(today, municipalities)
        people, probe_user, probe_org, http_user = self.setup_people()
        reverse("involvement:signals")  # load the URL configuration before timing anything
        self.stdout.write(
            f"Involvement index benchmark on {connection.vendor}: {total:,} signals, "
            f"{REPORTERS} reporters, {file_label(options['file_rows'])}"
        )
        if connection.vendor == "sqlite":
            self.stdout.write(
                f"SQLite page cache {settings.RITS_SQLITE_CACHE_MB:,} MB per connection, "
                f"memory map {settings.RITS_SQLITE_MMAP_MB:,} MB"
            )
        results: dict[str, Any] = {
            "signals": total,
            "vendor": connection.vendor,
            "file_rows": options["file_rows"],
        }

        # 1. Bare executemany of the same rows with the same statement (the floor).
        if self.round:
            self.stdout.write(f"Reusing the index built earlier (round {self.round})")
            results["reused"] = self.round
        elif not options["skip_bare"]:
            bare = 0.0
            started = time.perf_counter()
            done = 0
            sql = insert_sql()
            # One transaction per file, as the import does; the commit counts.
            for r, (user, org) in enumerate(people):
                for file in rows.files(r, total, options["file_rows"]):
                    source = iter(file)
                    with transaction.atomic():
                        while True:
                            batch = [
                                validate(x, actor=user, today=today)
                                for _, x in zip(range(options["batch"]), source, strict=False)
                            ]
                            if not batch:
                                break
                            params = signal_rows(batch, user, org)
                            t0 = time.perf_counter()
                            with connection.cursor() as cursor:
                                cursor.executemany(sql, params)
                            bare += time.perf_counter() - t0
                            done += len(batch)
                            self.bar("bare executemany", done, total, started)
                        t0 = time.perf_counter()
                    bare += time.perf_counter() - t0
            self.bar("bare executemany", total, total, started)
            results["bare_rows"] = done
            results["bare_seconds"] = bare
            self.empty_index()

        # 2. The import path, one file per reporter, all or nothing per file.
        if not self.round:
            started = time.perf_counter()
            loaded = 0
            matches = 0
            stand_in = self.autovacuum_stand_in()
            for r, (user, org) in enumerate(people):
                for file in rows.files(r, total, options["file_rows"]):
                    stand_in(loaded)
                    base = loaded

                    def progress(n: int, base: int = base) -> None:
                        self.bar("bulk import", min(base + n, total), total, started)

                    result = import_signals(
                        file,
                        actor=user,
                        organisation=org,
                        batch_size=options["batch"],
                        progress=progress,
                    )
                    loaded += result.signals
                    matches += result.matches
            self.bar("bulk import", total, total, started)
            results["analysed"] = stand_in(loaded, final=True)
            results["load_rows"] = loaded
            results["load_seconds"] = time.perf_counter() - started
        else:
            # An index built earlier has had time for autovacuum, or its stand-in.
            self.autovacuum_stand_in()(0, now=True)
            results["active"] = Signal.objects.filter(status=Signal.Status.ACTIVE).count()
        results["client_matches"] = Match.objects.filter(kind=Match.Kind.CLIENT).count()
        results["family_matches"] = Match.objects.filter(kind=Match.Kind.FAMILY).count()

        # 3. Register-and-match in-process, and the bare insert-plus-lookup floor.
        # As rits/wsgi.py does after loading the app: what exists now stays out of the
        # collector's generations, so a request never pays a full collection over it.
        gc.collect()
        gc.freeze()
        results["frozen"] = gc.get_freeze_count()
        # Also as rits/wsgi.py does: SQLite's write-ahead log is copied back by a
        # thread of its own, not by the request whose commit crosses the mark.
        checkpointer = start_checkpointer()
        results["checkpointer"] = checkpointer is not None
        rng = random.Random(2026 + self.round)
        results["inprocess"] = self.sample_inprocess(
            rows, total, probe_user, probe_org, options["samples"], rng
        )
        results["bare_insert_lookup"] = self.sample_bare(rows, total, probe_user, probe_org, rng)

        # 4. Over HTTP, one client at a time.
        results["http"] = self.sample_http(rows, total, http_user, options["http_samples"], rng)
        results["peak_mb"] = peak_mb()
        self.report(results)

    def autovacuum_stand_in(self) -> Any:
        """PostgreSQL plans from the statistics that autovacuum gathers once a tenth of a
        table has changed. Where a server runs without autovacuum, the statistics of a
        table filled from empty say nothing, and the planner reads every signal for a
        few hundred keys, or every match member for a few signals. The returned
        function then analyses the tables the import fills as autovacuum would (when
        the signals have grown by 10 %); its time counts as import time. It returns
        how often it ran (None where autovacuum runs, or on SQLite)."""
        if connection.vendor != "postgresql":
            return lambda loaded, final=False, now=False: None
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            if cursor.fetchone()[0] == "on":
                return lambda loaded, final=False, now=False: None
        state = {"at": 0, "runs": 0}

        def stand_in(loaded: int, final: bool = False, now: bool = False) -> int | None:
            if now or (not final and loaded >= 50 + 1.1 * state["at"]):
                with connection.cursor() as cursor:
                    for model in (Signal, Match, MatchMember, Notification, Entry):
                        cursor.execute(f"ANALYZE {model._meta.db_table}")
                state["at"], state["runs"] = loaded, state["runs"] + 1
            return state["runs"]

        return stand_in

    def empty_index(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"TRUNCATE {MatchMember._meta.db_table}, {Match._meta.db_table}, "
                    f"{Signal._meta.db_table}"
                )
            else:
                # Nothing refers to these signals (the bare run matches nobody), so the
                # foreign-key checks may be off for a moment: SQLite then empties the
                # table at once instead of deleting and logging each row (at ten
                # million rows: seconds instead of half an hour and a 5 GB log).
                cursor.execute("PRAGMA foreign_keys=OFF")
                cursor.execute(f"DELETE FROM {Signal._meta.db_table}")  # noqa: S608
                cursor.execute("PRAGMA foreign_keys=ON")
                # Start the import with an empty write-ahead log, as the bare run did.
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def probe_input(self, rows: Rows, total: int, n: int, rng: random.Random) -> SignalInput:
        """80 % a new youth, 10 % a youth already in the index (client match), 10 % a
        sibling of a youth in the index (family match)."""
        roll = rng.random()
        while True:
            if roll < 0.1:
                row = rows.row(rng.randrange(total))
                if row is not None:
                    return row
            elif roll < 0.2:
                family = rng.randrange(total)
                parent = synthetic_number(PARENT_BASE + 2 * (family - family % 5))
                bsn = synthetic_number(PROBE_BASE + ROUND_SHIFT * self.round + n)
                if parent and bsn:
                    return SignalInput(
                        bsn=bsn,
                        birth_date=rows.today - timedelta(days=4000),
                        municipality=rows.municipalities[0],
                        parent_bsns=[parent],
                        youth_informed=True,
                        parents_informed=True,
                    )
            else:
                bsn = synthetic_number(PROBE_BASE + ROUND_SHIFT * self.round + n)
                if bsn:
                    return SignalInput(
                        bsn=bsn,
                        birth_date=rows.today - timedelta(days=3000),
                        municipality=rows.municipalities[1],
                        youth_informed=True,
                        parents_informed=True,
                    )
            n += 1_000_000

    def sample_inprocess(
        self,
        rows: Rows,
        total: int,
        user: User,
        org: Organisation,
        samples: int,
        rng: random.Random,
    ) -> dict[str, float]:
        taken = []
        started = time.perf_counter()
        with Observer() as observer:
            for n in range(samples):
                data = self.probe_input(rows, total, n, rng)
                observer.start()
                t0 = time.perf_counter()
                try:
                    result = register_signal(data, actor=user, organisation=org)
                except ValidationError:
                    continue  # the probe drew a youth it had registered already
                ms = (time.perf_counter() - t0) * 1000
                taken.append(observer.stop(ms, matched=bool(result.matches)))
                self.bar("register in-process", n + 1, samples, started)
        return self.summary(taken)

    def sample_bare(
        self, rows: Rows, total: int, user: User, org: Organisation, rng: random.Random
    ) -> dict[str, float]:
        """The floor: one prepared insert plus one indexed lookup, in one transaction."""
        sql = insert_sql()
        # The index the registration's own lookup uses (the active youths' keys).
        lookup = f"SELECT id, youth_pseudonym, status {searching('youth_pseudonym', 1)}"
        taken = []
        with Observer() as observer:
            for n in range(1000):
                data = self.probe_input(rows, total, 500_000 + n, rng)
                shift = ROUND_SHIFT * self.round
                data.bsn = synthetic_number(PROBE_BASE + 5_000_000 + shift + n) or data.bsn
                clean = validate(data, actor=user)
                params = signal_rows([clean], user, org)[0]
                observer.start()
                t0 = time.perf_counter()
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.execute(lookup, [clean.youth_pseudonym[:KEY_LENGTH]])
                    cursor.fetchall()
                taken.append(observer.stop((time.perf_counter() - t0) * 1000))
        return self.summary(taken)

    def sample_http(
        self, rows: Rows, total: int, user: User, samples: int, rng: random.Random
    ) -> dict[str, float]:
        raw = f"rits_bench_{rng.getrandbits(64):016x}_abcdefghijklmnop"
        ApiToken.objects.create(
            user=user, name="bench", token_hash=ApiToken.hash(raw), hint=raw[:9]
        )
        # One server thread answering one client at a time, as a single app-server worker
        # does. A worker has one database connection, kept as long as the settings let
        # it, and with it SQLite's page cache: the server thread uses this process's
        # connection (as Django's LiveServerTestCase does), so its cache is as warm as
        # a worker's that served the registrations before. This thread waits meanwhile.
        server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
        server.set_app(get_wsgi_application())
        shared = connections[DEFAULT_DB_ALIAS]
        shared.inc_thread_sharing()

        def serve() -> None:
            connections[DEFAULT_DB_ALIAS] = shared
            server.serve_forever()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        port = server.server_address[1]
        headers = {
            "Authorization": f"Bearer {raw}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
            "Host": "127.0.0.1",
        }
        taken = []
        started = time.perf_counter()
        observer = Observer().__enter__()
        try:
            for n in range(samples):
                data = self.probe_input(rows, total, 2_000_000 + n, rng)
                body = json.dumps(
                    {
                        "bsn": data.bsn,
                        "birth_date": data.birth_date.isoformat() if data.birth_date else None,
                        "municipality": data.municipality.code if data.municipality else "",
                        "parent_bsns": list(data.parent_bsns),
                        "youth_informed": True,
                        "parents_informed": True,
                    }
                )
                observer.start()
                t0 = time.perf_counter()
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                client.request("POST", "/api/v1/involvement/signals", body=body, headers=headers)
                response = client.getresponse()
                payload = response.read()
                client.close()
                ms = (time.perf_counter() - t0) * 1000
                if response.status == 422 and b'"bsn"' in payload:  # drew a youth twice
                    continue
                if response.status != 201:
                    raise CommandError(f"HTTP {response.status}: {payload[:300]!r}")
                taken.append(observer.stop(ms, matched=bool(json.loads(payload)["matches"])))
                self.bar("register over HTTP", n + 1, samples, started)
        finally:
            observer.__exit__()
            server.shutdown()
            thread.join()
            server.server_close()
            shared.dec_thread_sharing()
        return self.summary(taken)

    @staticmethod
    def summary(taken: list[Sample]) -> dict[str, Any]:
        def stats(ms: list[float]) -> tuple[float, float]:
            return (statistics.median(ms), percentile(ms, 0.99)) if ms else (0.0, 0.0)

        timings = [t.ms for t in taken]
        checkpoints = [t.ms for t in taken if t.checkpoint]
        disk = [t.ms for t in taken if t.disk]
        return {
            "n": len(taken),
            "p50": statistics.median(timings),
            "p99": percentile(timings, 0.99),
            "max": max(timings),
            "matched": sum(t.matched for t in taken),
            "with_match": stats([t.ms for t in taken if t.matched]),
            "without_match": stats([t.ms for t in taken if not t.matched]),
            "checkpoints": len(checkpoints),
            "checkpoint_p50": stats(checkpoints)[0],
            "no_checkpoint": stats([t.ms for t in taken if not t.checkpoint]),
            "full_collections": sum(t.full_collection for t in taken),
            "disk": len(disk),
            "disk_p50": stats(disk)[0],
            "no_disk": stats([t.ms for t in taken if not t.disk]),
        }

    def tail(self, r: dict[str, Any]) -> str:
        """Where the slow samples come from."""
        parts = []
        if r["matched"]:
            (m50, m99), (o50, o99) = r["with_match"], r["without_match"]
            parts.append(
                f"with a match p50 {m50:.2f} / p99 {m99:.2f} ms, "
                f"without p50 {o50:.2f} / p99 {o99:.2f} ms"
            )
        if r["checkpoints"]:
            parts.append(
                f"{r['checkpoints']} ran a WAL checkpoint (p50 {r['checkpoint_p50']:.1f} ms); "
                f"p99 of the others {r['no_checkpoint'][1]:.2f} ms"
            )
        if r["disk"]:
            parts.append(
                f"{r['disk']} waited for the disk (p50 {r['disk_p50']:.2f} ms); "
                f"p99 of the others {r['no_disk'][1]:.2f} ms"
            )
        parts.append(f"{r['full_collections']} met a full garbage collection")
        return "      " + "; ".join(parts)

    def report(self, r: dict[str, Any]) -> None:
        w = self.stdout.write
        w("")
        w(f"Results ({r['vendor']}, {r['signals']:,} active signals, {file_label(r['file_rows'])})")
        if "reused" in r:
            w(
                f"  round {r['reused']} on an index built earlier: {r['active']:,} active "
                "signals; no bare insert, no load"
            )
        else:
            load_rate = r["load_rows"] / r["load_seconds"]
            w(
                f"  bulk load (import path):     {load_rate:>10,.0f} rows/s "
                f"({r['load_rows']:,} rows in {r['load_seconds']:,.1f} s)"
            )
        if r.get("analysed"):
            w(
                f"  (PostgreSQL without autovacuum: the import analysed its tables "
                f"{r['analysed']} times, as autovacuum would, within its time)"
            )
        if "bare_seconds" in r:
            bare_rate = r["bare_rows"] / r["bare_seconds"]
            ratio = r["load_seconds"] / r["bare_seconds"]
            w(
                f"  bare executemany, same rows: {bare_rate:>10,.0f} rows/s "
                f"({r['bare_seconds']:,.1f} s)   -> import is {ratio:.2f}x the bare insert "
                f"(target <= 3x)"
            )
        w(
            f"  matches built during load:   {r['client_matches']:,} client, "
            f"{r['family_matches']:,} family (MULTIsignaal 2023: 168,000 signals, "
            f"114,000 client and 200,000 family matches)"
        )
        ip, bare, http_ = r["inprocess"], r["bare_insert_lookup"], r["http"]
        w(
            f"  (garbage collector: {r['frozen']:,} objects frozen after the load, as rits/wsgi.py "
            "does after startup)"
        )
        w(
            f"  register-and-match in-process: p50 {ip['p50']:.2f} ms, p99 {ip['p99']:.2f} ms "
            f"(n={ip['n']}, {ip['matched']} matched; target p99 <= 3 ms)"
        )
        w(self.tail(ip))
        w(
            f"  bare indexed insert+lookup:    p50 {bare['p50']:.2f} ms, p99 {bare['p99']:.2f} ms "
            "(baseline from the issue: about 0.1 ms p99)"
        )
        w(self.tail(bare))
        w(
            f"  register-and-match over HTTP: p50 {http_['p50']:.2f} ms, p99 "
            f"{http_['p99']:.2f} ms (n={http_['n']}, {http_['matched']} matched; "
            "target p99 <= 15 ms)"
        )
        w(self.tail(http_))
        if r.get("checkpointer"):
            w(
                "  (SQLite: the log was copied back by a background thread during the samples, "
                "as rits/wsgi.py does; 'ran a WAL checkpoint' then means one ran meanwhile)"
            )
        scope = " (sampling only)" if "reused" in r else ""
        w(f"  peak memory (max RSS){scope}:         {r['peak_mb']:,.0f} MB (target <= 1024 MB)")
