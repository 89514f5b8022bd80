"""Practices out and in, as JSON and XLSX. An import is all-or-nothing: every row is
checked, and one bad row refuses the whole file with an error per row. A row whose
``uuid`` names a practice that exists replaces it; any other row adds a practice."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.services import record
from rits.knowledge.models import Element, Evidence, Practice
from rits.knowledge.services.practices import TEXT_FIELDS, PracticeData, check_editor, save_practice
from rits.lib import spreadsheet

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
LIST_FIELDS = ("themes", "core_elements", "adaptable", "conditions", "services", "codes")
OTHER_FIELDS = (
    "uuid",
    "evidence",
    "evidence_valid_until",
    "minimum_age",
    "maximum_age",
    "is_public",
    "owner_id",
)
COLUMNS = (
    "uuid",
    *TEXT_FIELDS,
    "evidence",
    "evidence_valid_until",
    "minimum_age",
    "maximum_age",
    "is_public",
    "owner_id",
    *LIST_FIELDS,
)

_TEXT = {"type": "string", "maxLength": 8000}
_LIST = {"type": "array", "maxItems": 100, "items": {"type": "string", "maxLength": 500}}
ROW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "summary", "problem"],
    "properties": {
        **{name: _TEXT for name in TEXT_FIELDS},
        "uuid": {"type": ["string", "null"], "format": "uuid"},
        "evidence": {"enum": Evidence.values},
        "evidence_valid_until": {"type": ["string", "null"], "format": "date"},
        "minimum_age": {"type": ["integer", "null"], "minimum": 0, "maximum": 120},
        "maximum_age": {"type": ["integer", "null"], "minimum": 0, "maximum": 120},
        "is_public": {"type": "boolean"},
        "owner_id": {"type": ["integer", "null"], "minimum": 1},
        **{name: _LIST for name in LIST_FIELDS},
    },
}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["practices"],
    "properties": {
        "practices": {"type": "array", "maxItems": MAX_ROWS, "items": {"type": "object"}}
    },
}


class FileFormatError(ValueError):
    """The file as a whole cannot be read: too large, not JSON or XLSX, no rows."""


@dataclass
class ImportReport:
    created: int = 0
    changed: int = 0
    errors: dict[int, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def practice_row(practice: Practice) -> dict[str, Any]:
    elements = list(practice.elements.all())
    return {
        "uuid": str(practice.uuid),
        **{name: getattr(practice, name) for name in TEXT_FIELDS},
        "evidence": practice.evidence,
        "evidence_valid_until": practice.evidence_valid_until.isoformat()
        if practice.evidence_valid_until
        else None,
        "minimum_age": practice.minimum_age,
        "maximum_age": practice.maximum_age,
        "is_public": practice.is_public,
        "owner_id": practice.owner_id,
        "themes": [t.code for t in practice.themes.all()],
        "core_elements": [e.text for e in elements if e.kind == Element.Kind.CORE],
        "adaptable": [e.text for e in elements if e.kind == Element.Kind.ADAPTABLE],
        "conditions": [c.text for c in practice.conditions.all()],
        "services": [str(s.uuid) for s in practice.services.all()],
        "codes": [str(c.code_guid) for c in practice.codes.all()],
    }


def _practices(ids: Iterable[int] | None = None) -> Iterable[Practice]:
    qs = Practice.objects.prefetch_related("themes", "elements", "conditions", "services", "codes")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("name", "pk")


def export_rows(*, actor: User, fmt: str) -> list[dict[str, Any]]:
    rows = [practice_row(p) for p in _practices()]
    record(actor, "knowledge.practices_exported", data={"format": fmt, "practices": len(rows)})
    return rows


def export_json(*, actor: User) -> bytes:
    rows = export_rows(actor=actor, fmt="json")
    return json.dumps({"practices": rows}, ensure_ascii=False, indent=2).encode()


def export_xlsx(*, actor: User) -> bytes:
    rows = export_rows(actor=actor, fmt="xlsx")

    def cells(row: dict[str, Any]) -> list[Any]:
        return ["\n".join(row[c]) if c in LIST_FIELDS else row[c] for c in COLUMNS]

    return spreadsheet.workbook([("Praktijken", list(COLUMNS), (cells(r) for r in rows))])


def read_file(name: str, content: bytes) -> list[dict[str, Any]]:
    """The rows of an uploaded JSON or XLSX file, by its content (not its name alone)."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileFormatError(_("The file is larger than 5 MB."))
    if content.startswith(b"PK\x03\x04") and name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if name.lower().endswith(".json"):
        try:
            data = json.loads(content.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise FileFormatError(_("This is not a readable JSON file.")) from None
        try:
            jsonschema.validate(data, FILE_SCHEMA)
        except jsonschema.ValidationError:
            raise FileFormatError(
                _('A JSON file holds {"practices": [...]} with at most 2000 practices.')
            ) from None
        rows: list[dict[str, Any]] = data["practices"]
        return rows
    raise FileFormatError(_("Upload a .json or .xlsx file."))


def _unquote(value: Any) -> Any:
    """Undo the export's formula guard ('=x → =x is text in the file, never a formula)."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] in spreadsheet.FORMULA_START:
        return value[1:]
    return value


def _read_xlsx(content: bytes) -> list[dict[str, Any]]:
    try:
        return _xlsx_rows(content)
    except spreadsheet.UnreadableWorkbook:
        raise FileFormatError(_("This is not a readable XLSX file.")) from None


def _xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    lines = spreadsheet.read_rows(content)
    header = [str(h or "").strip() for h in next(lines, ())]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown or "name" not in header:
        raise FileFormatError(
            _("Unknown or missing columns: %(columns)s.")
            % {"columns": ", ".join(unknown) or "name"}
        )
    rows = []
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:
            raise FileFormatError(_("A file holds at most 2000 practices."))
        if all(v is None or v == "" for v in line):
            continue
        row: dict[str, Any] = {}
        for name, value in zip(header, line, strict=False):
            if not name or value is None or value == "":
                continue
            if isinstance(value, str) and value.startswith("="):
                row[name] = value  # refused by the row check: a formula is no text
                row.setdefault("_formulas", []).append(name)
                continue
            value = _unquote(value)
            if name in LIST_FIELDS:
                row[name] = [_unquote(v.strip()) for v in str(value).split("\n") if v.strip()]
            elif name in ("minimum_age", "maximum_age", "owner_id") and isinstance(value, float):
                row[name] = int(value)
            elif name == "evidence_valid_until" and isinstance(value, datetime | date):
                row[name] = (
                    value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
                )
            elif name == "is_public":
                row[name] = value is True or str(value).strip().lower() in (
                    "ja",
                    "true",
                    "1",
                    "yes",
                )
            else:
                row[name] = (
                    value if isinstance(value, int) and not isinstance(value, bool) else str(value)
                )
        rows.append(row)
    return rows


def _data(row: dict[str, Any]) -> PracticeData:
    """The row as PracticeData; a jsonschema or value problem as a ValidationError."""
    formulas = row.pop("_formulas", None)
    if formulas:
        raise ValidationError(
            _("A formula is not allowed in: %(columns)s.") % {"columns": ", ".join(formulas)}
        )
    errors = sorted(
        jsonschema.Draft202012Validator(
            ROW_SCHEMA, format_checker=jsonschema.FormatChecker()
        ).iter_errors(row),
        key=str,
    )
    if errors:
        raise ValidationError(
            [f"{'/'.join(str(p) for p in e.path) or 'rij'}: {e.message}"[:300] for e in errors[:5]]
        )
    try:
        return PracticeData(
            **{name: row.get(name) or "" for name in TEXT_FIELDS},
            evidence=row.get("evidence") or Evidence.LOCAL,
            evidence_valid_until=date.fromisoformat(row["evidence_valid_until"])
            if row.get("evidence_valid_until")
            else None,
            minimum_age=row.get("minimum_age"),
            maximum_age=row.get("maximum_age"),
            is_public=bool(row.get("is_public", False)),
            owner_id=row.get("owner_id"),
            themes=row.get("themes", []),
            core_elements=row.get("core_elements", []),
            adaptable=row.get("adaptable", []),
            conditions=row.get("conditions", []),
            services=[uuid.UUID(s) for s in row.get("services", [])],
            codes=[uuid.UUID(s) for s in row.get("codes", [])],
            uuid=uuid.UUID(row["uuid"]) if row.get("uuid") else None,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)[:300]) from None


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{name}: {m}" for name, messages in exc.message_dict.items() for m in messages]
    return list(exc.messages)


def import_rows(rows: list[dict[str, Any]], *, actor: User, source: str = "") -> ImportReport:
    """Save every row or none. Row numbers in the report count from 1 (JSON) or from
    the first data row (XLSX row 2 is row 1)."""
    check_editor(actor)
    report = ImportReport()
    if not rows:
        report.errors[0] = [_("The file holds no practices.")]
    with transaction.atomic():
        seen: set[uuid.UUID] = set()
        for number, row in enumerate(rows, start=1):
            try:
                data = _data(dict(row))
                if data.uuid is not None:
                    if data.uuid in seen:
                        raise ValidationError(_("This uuid occurs twice in the file."))
                    seen.add(data.uuid)
                existing = Practice.objects.filter(uuid=data.uuid).first() if data.uuid else None
                with transaction.atomic():
                    save_practice(data, actor=actor, practice=existing)
                if existing is None:
                    report.created += 1
                else:
                    report.changed += 1
            except ValidationError as exc:
                report.errors[number] = _messages(exc)
        if report.errors:
            transaction.set_rollback(True)
    if report.errors:
        with transaction.atomic():
            record(
                actor,
                "knowledge.practices_import_rejected",
                outcome="failure",
                data={"source": source[:100], "rows": len(rows), "bad_rows": len(report.errors)},
            )
    else:
        with transaction.atomic():
            record(
                actor,
                "knowledge.practices_imported",
                data={"source": source[:100], "created": report.created, "changed": report.changed},
            )
    return report
