"""The ages Rits' rules turn on live in one module (``rits.lib.ages``)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.test import SimpleTestCase

from rits.lib import ages

# An age compared with one of the rule ages, written out as a number.
_AGE_LITERAL = re.compile(r"\bage\b[^\n]{0,25}?[<>]=?\s*(12|16|18|23)\b")


class AgeRuleTests(SimpleTestCase):
    def test_consent_stages_turn_at_12_and_16(self) -> None:
        self.assertIs(ages.consent_stage(None), ages.Stage.PARENTS)
        self.assertIs(ages.consent_stage(11), ages.Stage.PARENTS)
        self.assertIs(ages.consent_stage(12), ages.Stage.TOGETHER)
        self.assertIs(ages.consent_stage(15), ages.Stage.TOGETHER)
        self.assertIs(ages.consent_stage(16), ages.Stage.YOUTH)

    def test_under_12_reads_along_and_18_is_adult(self) -> None:
        self.assertTrue(ages.reads_along(11))
        self.assertFalse(ages.reads_along(12))
        self.assertFalse(ages.reads_along(None))
        self.assertFalse(ages.is_adult(17))
        self.assertTrue(ages.is_adult(18))

    def test_a_birthday_counts_on_the_day_and_29_february_moves_to_1_march(self) -> None:
        self.assertEqual(ages.age_on(date(2010, 3, 1), date(2026, 3, 1)), 16)
        self.assertEqual(ages.age_on(date(2010, 3, 2), date(2026, 3, 1)), 15)
        self.assertEqual(ages.add_years(date(2008, 2, 29), 18), date(2026, 3, 1))
        self.assertEqual(ages.transition_starts(date(2010, 1, 1)), date(2026, 7, 2))

    def test_no_app_writes_a_rule_age_as_a_number(self) -> None:
        root = Path(__file__).resolve().parents[1]
        found = [
            f"{path.relative_to(root)}:{n}: {line.strip()}"
            for path in root.rglob("*.py")
            if "tests" not in path.parts
            and "migrations" not in path.parts
            and path.name != "ages.py"
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if _AGE_LITERAL.search(line)
        ]
        self.assertEqual(found, [])
