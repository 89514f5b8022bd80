"""The house's layer rule, read from the imports themselves.

- ``rits.lib`` is the ground floor: it imports no app.
- ``regions``, ``accounts`` and ``audit`` are the bottom layer: they import no capability
  app (directory, family_plans, involvement, dialogues, knowledge, outcomes).
- A capability app never imports another capability app's views.
- Nothing imports ``outcomes``: it reads from the others.
- Application code never imports the test helpers (``rits.testing``) or ``bench``.

Tests may reach across the layers: they try the whole.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]
BOTTOM = {"regions", "accounts", "audit"}
CAPABILITY = {"directory", "family_plans", "involvement", "dialogues", "knowledge", "outcomes"}


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names]
    return found


def modules() -> list[tuple[str, Path]]:
    """(the module's room: lib, testing, an app or root, the path) of each source file."""
    rooms = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts:
            continue
        rooms.append((parts[0] if len(parts) > 1 else "root", path))
    return rooms


class LayerTests(SimpleTestCase):
    def violations(self, rule: str) -> list[str]:
        found = []
        for room, path in modules():
            is_test = "tests" in path.parts or room == "testing"
            for name in imports(path):
                parts = name.split(".")
                if parts[0] == "bench" and not is_test:
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
                if parts[0] != "rits" or len(parts) < 2:
                    continue
                target = parts[1]
                if rule == "lib" and room == "lib" and target not in {"lib", "settings"}:
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
                if rule == "bottom" and room in BOTTOM and target in CAPABILITY and not is_test:
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
                if (
                    rule == "views"
                    and not is_test
                    and room in CAPABILITY
                    and target in CAPABILITY - {room}
                    and len(parts) > 2
                    and parts[2] == "views"
                ):
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
                if rule == "outcomes" and target == "outcomes" and room not in {"outcomes", "root"}:
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
                if rule == "testing" and target == "testing" and not is_test:
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
        return sorted(set(found))

    def test_lib_imports_no_app(self) -> None:
        self.assertEqual(self.violations("lib"), [])

    def test_the_bottom_layer_imports_no_capability_app(self) -> None:
        self.assertEqual(self.violations("bottom"), [])

    def test_no_capability_app_imports_another_ones_views(self) -> None:
        self.assertEqual(self.violations("views"), [])

    def test_nothing_imports_outcomes(self) -> None:
        self.assertEqual(self.violations("outcomes"), [])

    def test_application_code_imports_no_test_helpers_or_benchmarks(self) -> None:
        self.assertEqual(self.violations("testing"), [])
