"""The index pseudonymises with its own fast path; it must give exactly the pseudonyms
of rits.lib.pseudonyms, or signals from different entry points would never match."""

import random

from django.test import SimpleTestCase, override_settings

from bench.management.commands.bench_involvement import synthetic_number
from rits.involvement.services.validation import pseudonymise
from rits.lib.pseudonyms import InvalidBSN, pseudonymise_bsn, synthetic_bsn


class PseudonymTests(SimpleTestCase):
    def test_it_gives_the_reference_pseudonym(self) -> None:
        rng = random.Random(7513)
        numbers = [synthetic_bsn(rng) for _ in range(300)]
        for number in numbers:
            self.assertEqual(pseudonymise(number), pseudonymise_bsn(number))
        self.assertEqual(len({pseudonymise(n) for n in numbers}), len(set(numbers)))

    def test_it_gives_the_reference_pseudonym_for_other_spellings(self) -> None:
        # A leading zero left out, and spaces around the number.
        numbers = [n for n in (synthetic_number(k) for k in range(1_000_000, 1_000_040)) if n]
        self.assertTrue(numbers[0].startswith("0"))
        for number in numbers:
            for spelling in (number[1:], f" {number} ", f"{number}\n"):
                self.assertEqual(pseudonymise(spelling), pseudonymise_bsn(number))

    def test_it_refuses_what_the_reference_refuses(self) -> None:
        number = synthetic_bsn(random.Random(1))
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        for value in (wrong, "000000000", "", "12345678x", number + "0", number[:7]):
            with self.assertRaises(InvalidBSN):
                pseudonymise_bsn(value)
            with self.assertRaises(InvalidBSN):
                pseudonymise(value)

    def test_it_follows_the_deployment_key(self) -> None:
        number = synthetic_bsn(random.Random(2))
        before = pseudonymise(number)
        with override_settings(RITS_PSEUDONYM_KEY="another-deployment-key-0123456789abcdef"):
            after = pseudonymise(number)
            self.assertEqual(after, pseudonymise_bsn(number))
        self.assertNotEqual(before, after)
        self.assertEqual(pseudonymise(number), before)
