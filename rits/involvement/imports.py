"""Reading a bulk file (CSV or JSON lines) from an organisation's own case system.

Columns / keys: bsn, birth_date (YYYY-MM-DD), municipality (CBS code, GM0917),
parent_bsns (up to two, separated by ";" in CSV, a list in JSON), ends_on,
youth_informed, parents_informed (true/false, ja/nee, 1/0), informing_postponed
(safety, investigation, not_reached), contact_name, contact_phone, contact_email,
own_reference. Rows become SignalInput or, when unreadable, RowError; a message
never repeats a value from the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from django.utils.translation import gettext as _

from rits.involvement.services import RowError, SignalInput
from rits.regions.models import Municipality

FIELDS = [
    "bsn",
    "birth_date",
    "municipality",
    "parent_bsns",
    "ends_on",
    "youth_informed",
    "parents_informed",
    "informing_postponed",
    "contact_name",
    "contact_phone",
    "contact_email",
    "own_reference",
]
_TRUE = {"1", "true", "yes", "ja", "j", "y"}
_FALSE = {"", "0", "false", "no", "nee", "n"}


class FileFormatError(ValueError):
    """The file as a whole cannot be read."""


def read_rows(stream: IO[bytes], name: str) -> Iterator[SignalInput | RowError]:
    """Yield one SignalInput or RowError per data row, streaming (a file may be large)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return _utf8_only(_convert(_json_lines(text)))
    if lower.endswith(".csv"):
        return _utf8_only(_convert(_csv(text)))
    raise FileFormatError(_("Upload a .csv or .jsonl file."))


def _utf8_only(rows: Iterator[SignalInput | RowError]) -> Iterator[SignalInput | RowError]:
    """A byte that is not UTF-8 can sit anywhere in a streamed file: wherever the decoder
    meets it, the whole file is refused (the import is all or nothing)."""
    try:
        yield from rows
    except UnicodeDecodeError:
        raise FileFormatError(_("The file is not UTF-8 text (save it as UTF-8).")) from None


def _csv(text: IO[str]) -> Iterator[dict[str, Any] | RowError]:
    sample = text.read(4096)
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text, dialect=dialect)
    missing = {"bsn", "birth_date", "municipality"} - set(reader.fieldnames or [])
    if missing:
        raise FileFormatError(
            _("The file misses the columns: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    for row in reader:
        row["parent_bsns"] = [p for p in (row.get("parent_bsns") or "").split(";") if p.strip()]
        yield row


def _json_lines(text: IO[str]) -> Iterator[dict[str, Any] | RowError]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield RowError(number, "row", _("This line is not valid JSON."))
            continue
        if not isinstance(value, dict):
            yield RowError(number, "row", _("Each line must be a JSON object."))
            continue
        yield value


def _convert(rows: Iterable[dict[str, Any] | RowError]) -> Iterator[SignalInput | RowError]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for number, row in enumerate(rows, start=1):
        if isinstance(row, RowError):
            yield row
            continue
        if any("\x00" in str(value) for value in row.values()):
            # PostgreSQL cannot store it; a file with one is no text export of a case system.
            raise FileFormatError(
                _("The file contains a NUL character; save it as plain UTF-8 text.")
            )
        try:
            yield to_input(row, municipalities)
        except _RowProblem as problem:
            yield RowError(number, problem.field, problem.message)


class _RowProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _date(row: dict[str, Any], name: str, required: bool) -> date | None:
    value = str(row.get(name) or "").strip()
    if not value:
        if required:
            raise _RowProblem(name, _("This field is required."))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _RowProblem(name, _("Write the date as YYYY-MM-DD.")) from None


def _bool(row: dict[str, Any], name: str) -> bool:
    value = row.get(name)
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _RowProblem(name, _("Write yes or no."))


def to_input(row: dict[str, Any], municipalities: dict[str, Municipality]) -> SignalInput:
    parents = row.get("parent_bsns") or []
    if isinstance(parents, str):
        parents = [p for p in parents.split(";") if p.strip()]
    if not isinstance(parents, list):
        raise _RowProblem("parent_bsns", _("Give the parents' BSNs as a list."))
    code = str(row.get("municipality") or "").strip().upper()
    municipality = municipalities.get(code)
    if municipality is None:
        raise _RowProblem(
            "municipality", _("Unknown municipality code (use the CBS code, GM0917).")
        )
    return SignalInput(
        bsn=str(row.get("bsn") or ""),
        birth_date=_date(row, "birth_date", True),
        municipality=municipality,
        parent_bsns=[str(p) for p in parents],
        ends_on=_date(row, "ends_on", False),
        youth_informed=_bool(row, "youth_informed"),
        parents_informed=_bool(row, "parents_informed"),
        informing_postponed=str(row.get("informing_postponed") or "").strip(),
        contact_name=str(row.get("contact_name") or "").strip(),
        contact_phone=str(row.get("contact_phone") or "").strip(),
        contact_email=str(row.get("contact_email") or "").strip(),
        own_reference=str(row.get("own_reference") or "").strip(),
    )
