"""Every API schema has a name of its own: django-ninja names a component in the OpenAPI
document by its class name alone, so two apps' ``ReportIn`` would be documented (and
fuzzed) as one, with the other's fields."""

from __future__ import annotations

import importlib
import inspect
from collections import defaultdict

from django.apps import apps
from django.test import SimpleTestCase
from ninja import Schema


class SchemaNameTests(SimpleTestCase):
    def test_no_two_schemas_share_a_name(self) -> None:
        found: dict[str, set[str]] = defaultdict(set)
        for config in apps.get_app_configs():
            if not config.name.startswith("rits."):
                continue
            for room in ("schemas", "api"):
                try:
                    module = importlib.import_module(f"{config.name}.{room}")
                except ModuleNotFoundError:
                    continue
                for name, cls in inspect.getmembers(module, inspect.isclass):
                    if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                        found[name].add(cls.__module__)
        self.assertGreater(len(found), 50)
        self.assertEqual({n: m for n, m in found.items() if len(m) > 1}, {})
