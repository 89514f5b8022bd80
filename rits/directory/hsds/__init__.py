"""Validation against the official HSDS 3.0 JSON Schemas (copied here with their licence)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (path.name, Resource.from_contents(contents, default_specification=DRAFT202012))
        )
    return Registry().with_resources(resources)


@lru_cache(maxsize=32)
def validator(kind: str) -> Draft202012Validator:
    """A validator for one HSDS object type ("service", "organization", ...), with the
    format checks (uuid, date-time, email) switched on."""
    if not (SCHEMA_DIR / f"{kind}.json").exists():
        raise ValueError(f"No HSDS schema for {kind!r}.")
    return Draft202012Validator(
        {"$ref": f"{kind}.json"},
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(kind: str, document: Any) -> list[str]:
    """Human-readable validation errors ("phones/0/number: 'number' is a required property")."""
    found = []
    for error in sorted(validator(kind).iter_errors(document), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        found.append(f"{where}: {error.message}")
    return found
