"""Cohen's kappa against a worked example, and per code over double-coded findings."""

from __future__ import annotations

from django.test import SimpleTestCase

from rits.dialogues import kappa, services
from rits.dialogues.models import Coding, Kind
from rits.dialogues.tests.base import DialogueTestCase


class KappaTests(SimpleTestCase):
    def test_the_worked_example(self) -> None:
        # Two raters, 50 items: both yes 20, only A yes 5, only B yes 10, both no 15.
        # p_o = 35/50 = 0.70; p_A = 0.5, p_B = 0.6; p_e = 0.5*0.6 + 0.5*0.4 = 0.50;
        # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40  (Wikipedia, "Cohen's kappa", example 1)
        a = [True] * 20 + [True] * 5 + [False] * 10 + [False] * 15
        b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
        self.assertAlmostEqual(kappa.cohens_kappa(a, b), 0.4)  # type: ignore[arg-type]

    def test_perfect_and_undefined(self) -> None:
        self.assertEqual(kappa.cohens_kappa([True, False], [True, False]), 1.0)
        self.assertIsNone(kappa.cohens_kappa([True, True], [True, True]))
        self.assertIsNone(kappa.cohens_kappa([], []))


class AgreementTests(DialogueTestCase):
    def test_agreement_per_code_over_double_coded_findings(self) -> None:
        table = self.open_table()
        wait, talk = self.code(Kind.BOTTLENECK, 0), self.code(Kind.BOTTLENECK, 1)
        plan = [([wait], [wait]), ([wait], [talk]), ([talk], [talk]), ([wait, talk], [wait])]
        for first, second in plan:
            finding = services.record_finding(
                table, actor=self.chair, text="x", phase="help", view="shared", codes=first
            )
            services.second_coding(finding, actor=self.researcher, codes=second)
        rows = {
            a.code.pk: a for a in kappa.agreement(Coding.objects.select_related("counted_code"))
        }
        # wait: first [1,1,0,1], second [1,0,0,1] -> p_o .75, p1 .75, p2 .5, p_e .5 -> 0.5
        self.assertAlmostEqual(rows[wait.pk].kappa, 0.5)  # type: ignore[arg-type]
        # talk: first [0,0,1,1], second [0,1,1,0] -> p_o .5, p_e .5 -> 0.0
        self.assertAlmostEqual(rows[talk.pk].kappa, 0.0)  # type: ignore[arg-type]
        self.assertEqual(rows[wait.pk].findings, 4)
