"""The knowledge benchmark runs end to end on tiny data and prints every figure line;
no timing is checked here, and the generated rows are gone afterwards."""

from io import StringIO

from django.core.management import call_command
from django.test import TransactionTestCase

from rits.knowledge.models import Network, Practice, SearchDocument
from rits.testing import CommittedData


class KnowledgeBenchmarkTests(CommittedData, TransactionTestCase):
    serialized_rollback = True

    def test_it_prints_every_figure_and_cleans_up(self) -> None:
        out = StringIO()
        call_command(
            "bench_knowledge",
            practices=30,
            reports=60,
            updates=200,
            networks=12,
            rounds=1,
            feed_samples=5,
            stdout=out,
        )
        text = out.getvalue()
        self.assertIn(
            "Knowledge benchmark: 30 practices, 60 experience reports, 200 progress", text
        )
        for label in ("search over HTTP", "network feed page over HTTP", "bare feed query"):
            self.assertIn(label, text)
        self.assertFalse(Practice.objects.exists())
        self.assertFalse(Network.objects.exists())
        self.assertFalse(SearchDocument.objects.exists())
