"""Rate limits on the JSON API: per account, or per client address without one."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import TransactionTestCase, override_settings

from rits.accounts.throttling import Throttle, check_rate
from rits.audit.models import Entry
from rits.testing import CommittedData, RitsTestCase

PUBLIC = "/api/v1/regions/municipalities"


class ApiRateTests(RitsTestCase):
    @override_settings(RITS_API_RATE="2/m")
    def test_a_client_over_the_rate_gets_a_429_problem_with_retry_after(self) -> None:
        for _ in range(2):
            self.assertEqual(self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.10").status_code, 200)
        refused = self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.10")
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Content-Type"], "application/problem+json")
        self.assertEqual(refused.json()["status"], 429)
        self.assertGreaterEqual(int(refused["Retry-After"]), 1)
        # Another address has a count of its own.
        self.assertEqual(self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.11").status_code, 200)

    @override_settings(RITS_API_RATE="2/m")
    def test_a_forged_forwarded_for_header_does_not_reset_the_count(self) -> None:
        for n in range(2):
            self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.20", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        refused = self.client.get(
            PUBLIC, REMOTE_ADDR="192.0.2.20", HTTP_X_FORWARDED_FOR="10.0.0.99"
        )
        self.assertEqual(refused.status_code, 429)

    @override_settings(RITS_API_RATE="1/m")
    def test_the_first_refusal_of_a_window_is_audited_once(self) -> None:
        self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.30")
        for _ in range(3):
            self.assertEqual(self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.30").status_code, 429)
        entry = Entry.objects.get(event="accounts.rate_limited")
        self.assertEqual(entry.outcome, Entry.Outcome.FAILURE)
        self.assertEqual(entry.data["limit"], "api")
        self.assertEqual(entry.data["path"], PUBLIC)

    @override_settings(RITS_API_RATE="off")
    def test_off_switches_the_limit_off(self) -> None:
        for _ in range(5):
            self.assertEqual(self.client.get(PUBLIC, REMOTE_ADDR="192.0.2.40").status_code, 200)

    def test_an_unreadable_rate_is_refused_at_startup(self) -> None:
        for rate in ("lots", "10", "0/m", "/m", ""):
            with self.subTest(rate=rate), self.assertRaises(ImproperlyConfigured):
                check_rate("RITS_API_RATE", rate)
        self.assertEqual(check_rate("RITS_API_RATE", "30/h"), "30/h")
        with override_settings(RITS_API_RATE="often"), self.assertRaises(ImproperlyConfigured):
            Throttle("api", "RITS_API_RATE")


# Run in a process of its own: three API calls from one address, printing each status.
_WORKER = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rits.settings")
django.setup()
from django.test import Client
client = Client()
print(" ".join(str(client.get(%r, REMOTE_ADDR="192.0.2.99").status_code) for _ in range(3)))
"""


class SharedCountTests(CommittedData, TransactionTestCase):
    """Two server processes count against one limit: the count lives in the shared cache
    (Django's database cache here), not in each process's memory."""

    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)

    def test_two_processes_share_one_count(self) -> None:
        db = connection.settings_dict
        env = {**os.environ, "DEBUG": "1", "ALLOWED_HOSTS": "testserver", "RITS_API_RATE": "4/m"}
        if connection.vendor == "sqlite":
            env["SQLITE_PATH"] = db["NAME"]
            env.pop("DATABASE_URL", None)
        else:
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                f"{db['NAME']}"
            )
        # One after the other: the second process starts with the first one's count. (Run
        # at the same instant, two requests may both read the same history; see the
        # module's note on what the limit guarantees.)
        statuses = []
        for _ in range(2):
            worker = subprocess.run(  # noqa: S603
                [sys.executable, "-c", _WORKER % PUBLIC],
                env=env,
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            self.assertEqual(worker.returncode, 0, worker.stderr)
            statuses.append(worker.stdout.split())
        self.assertEqual(statuses, [["200"] * 3, ["200", "429", "429"]])
