"""The benchmark command runs end to end on a tiny index and prints every result line.

No timing is checked here (that is what the benchmark itself is for); the test checks
that each phase ran, with the numbers it was asked for, and left the settings as
they were.
"""

import re
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.test import TransactionTestCase

from rits.involvement.models import Match, Signal
from rits.lib.testing import CommittedData


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
        self.assertEqual(settings.EMAIL_BACKEND, backend)
