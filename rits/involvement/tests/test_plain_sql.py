"""Plain SQL in the index lives in one module, ``services/sql.py``, which says why."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import SimpleTestCase

APP = Path(__file__).resolve().parents[1]
SQL_MODULE = APP / "services" / "sql.py"
# A statement written out, a cursor run by hand, or the lint rule against SQL built from
# strings switched off.
PLAIN_SQL = re.compile(
    r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s|\.execute(many)?\(|\.raw\(|RawSQL|S608"
)


class PlainSqlTests(SimpleTestCase):
    def test_no_module_but_sql_writes_out_a_statement(self) -> None:
        modules = [
            p
            for p in APP.rglob("*.py")
            if p != SQL_MODULE and "tests" not in p.parts and "migrations" not in p.parts
        ]
        self.assertGreater(len(modules), 20)
        found = [
            f"{path.relative_to(APP)}:{number}: {line.strip()}"
            for path in modules
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if PLAIN_SQL.search(line)
        ]
        self.assertEqual(found, [])

    def test_the_sql_module_states_why_once_and_holds_the_statements(self) -> None:
        text = SQL_MODULE.read_text()
        reason = " ".join(text.split('"""')[1].split())  # the docstring
        self.assertIn("INDEXED BY", reason)
        self.assertIn("ten million signals", reason)
        self.assertEqual(text.count("S608"), 2)  # the file-wide switch and its mention
        for statement in ("SELECT ", "INSERT INTO ", "UPDATE "):
            self.assertIn(statement, text)
