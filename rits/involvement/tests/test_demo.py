from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from rits.involvement.models import Match, Signal


class DemoTests(TestCase):
    def test_the_demo_has_a_client_and_a_family_match_and_is_idempotent(self) -> None:
        call_command("load_demo", stdout=StringIO())
        kinds = set(Match.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, {Match.Kind.CLIENT, Match.Kind.FAMILY})
        counts = (Signal.objects.count(), Match.objects.count())
        call_command("load_demo", stdout=StringIO())
        self.assertEqual((Signal.objects.count(), Match.objects.count()), counts)
