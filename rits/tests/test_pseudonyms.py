import random

from django.test import SimpleTestCase, override_settings

from rits.lib.pseudonyms import InvalidBSN, is_valid_bsn, pseudonymise_bsn, synthetic_bsn


def elfproef_ok(digits: str) -> bool:
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


class PseudonymTests(SimpleTestCase):
    def setUp(self) -> None:
        self.rng = random.Random(7)
        self.bsn = synthetic_bsn(self.rng)

    def test_synthetic_bsns_pass_the_elfproef(self) -> None:
        for _ in range(200):
            bsn = synthetic_bsn(self.rng)
            self.assertEqual(len(bsn), 9)
            self.assertTrue(elfproef_ok(bsn))
            self.assertTrue(is_valid_bsn(bsn))

    def test_it_rejects_numbers_failing_the_elfproef(self) -> None:
        wrong = self.bsn[:-1] + str((int(self.bsn[-1]) + 1) % 10)
        self.assertFalse(is_valid_bsn(wrong))
        spaced = self.bsn[:4] + " " + self.bsn[4:]
        for bad in ("", "abc", "12345", "000000000", self.bsn + "1", spaced):
            self.assertFalse(is_valid_bsn(bad), bad)
        with self.assertRaises(InvalidBSN) as caught:
            pseudonymise_bsn(wrong)
        self.assertNotIn(wrong, str(caught.exception))  # the error never repeats the input

    def test_the_pseudonym_is_stable_and_hides_the_bsn(self) -> None:
        first = pseudonymise_bsn(self.bsn)
        self.assertEqual(first, pseudonymise_bsn(f" {self.bsn} "))
        self.assertEqual(len(first), 64)
        self.assertNotIn(self.bsn, first)
        self.assertNotEqual(first, pseudonymise_bsn(synthetic_bsn(self.rng)))

    def test_the_pseudonym_depends_on_the_deployment_key(self) -> None:
        first = pseudonymise_bsn(self.bsn)
        with override_settings(RITS_PSEUDONYM_KEY="another-deployment"):
            self.assertNotEqual(first, pseudonymise_bsn(self.bsn))

    def test_eight_digit_bsns_get_their_leading_zero(self) -> None:
        while True:
            candidate = "0" + "".join(str(self.rng.randrange(10)) for _ in range(8))
            if elfproef_ok(candidate) and candidate != "000000000":
                break
        self.assertEqual(pseudonymise_bsn(candidate[1:]), pseudonymise_bsn(candidate))
