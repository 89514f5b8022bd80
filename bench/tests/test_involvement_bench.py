"""The benchmark command runs end to end on a tiny index and prints every result line.

No timing is checked here (that is what the benchmark itself is for); the test checks
that each phase ran, with the numbers it was asked for, and left the settings as
they were.
"""

import re
from io import StringIO

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from rits.involvement.models import Match, Signal
from rits.testing import CommittedData


class BenchmarkCommandTests(CommittedData, TransactionTestCase):
    # The HTTP phase runs a server thread with its own database connection, so the
    # data must be committed; the flush afterwards must not take the reference data
    # (region, municipalities) that the migrations loaded.
    serialized_rollback = True

    def test_it_prints_every_result_line(self) -> None:
        backend = settings.EMAIL_BACKEND
        out = StringIO()
        call_command(
            "bench_involvement",
            signals=2000,
            samples=20,
            http_samples=10,
            batch=500,
            file_rows=40,
            stdout=out,
        )
        text = out.getvalue()
        for line in (
            "Results (",
            "2,000 active signals, files of 40 rows",
            "bulk load (import path):",
            "bare executemany, same rows:",
            "matches built during load:",
            "objects frozen after the load",
            "register-and-match in-process:",
            "bare indexed insert+lookup:",
            "register-and-match over HTTP:",
            "peak memory (max RSS):",
        ):
            self.assertIn(line, text)
        # 2,000 rows less those whose number has no elfproef check digit, plus the probes.
        rows = re.search(r"\(([\d,]+) rows in", text)
        assert rows is not None
        loaded = int(rows.group(1).replace(",", ""))
        self.assertGreater(loaded, 1700)
        self.assertGreaterEqual(Signal.objects.count(), loaded + 20)
        self.assertIn("(n=20,", text)
        self.assertIn("(n=10,", text)
        self.assertTrue(Match.objects.exists())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW autovacuum")
                autovacuum = cursor.fetchone()[0] == "on"
            # Where the server runs without autovacuum, the import analyses as it would.
            self.assertEqual("analysed its tables" in text, not autovacuum)
        self.assertEqual(settings.EMAIL_BACKEND, backend)

        # The same index sampled again: nothing is loaded, and the probes of round 1 are
        # youths that round 0 did not register (else they would be refused as duplicates).
        before = Signal.objects.count()
        again = StringIO()
        call_command(
            "bench_involvement", signals=2000, samples=20, http_samples=10, reuse=1, stdout=again
        )
        text = again.getvalue()
        self.assertIn("round 1 on an index built earlier", text)
        self.assertNotIn("bulk load (import path):", text)
        self.assertIn("(n=20,", text)
        self.assertIn("(n=10,", text)
        self.assertIn("peak memory (max RSS) (sampling only):", text)
        # 20 in-process, 1,000 bare floor, 10 over HTTP.
        self.assertEqual(Signal.objects.count(), before + 20 + 1000 + 10)

    def test_reuse_needs_an_index_and_a_round_number(self) -> None:
        with self.assertRaisesMessage(CommandError, "needs an index built by an earlier run"):
            call_command("bench_involvement", signals=100, reuse=1, stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "round number from 1 to 40"):
            call_command("bench_involvement", signals=100, reuse=41, stdout=StringIO())
