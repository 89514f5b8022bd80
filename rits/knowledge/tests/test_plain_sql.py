"""Plain SQL in the knowledge app lives in one module, ``search.py``, which says why."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

APP = Path(__file__).resolve().parents[1]
SQL_MODULE = APP / "search.py"
PLAIN_SQL = re.compile(
    r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s|\.execute(many)?\(|\.raw\(|RawSQL|S608"
)


class PlainSqlTests(SimpleTestCase):
    def test_no_module_but_search_writes_out_a_statement(self) -> None:
        modules = [
            p
            for p in APP.rglob("*.py")
            if p != SQL_MODULE and "tests" not in p.parts and "migrations" not in p.parts
        ]
        self.assertGreater(len(modules), 15)
        found = [
            f"{path.relative_to(APP)}:{number}: {line.strip()}"
            for path in modules
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if PLAIN_SQL.search(line)
        ]
        self.assertEqual(found, [])

    def test_the_search_module_states_why(self) -> None:
        reason = " ".join(SQL_MODULE.read_text().split('"""')[1].split())
        self.assertIn("the ORM cannot say a full-text match", reason)
