"""CBS StatLine tables, read from a file a user downloaded from StatLine (never fetched
at run time).

Two shapes, each as JSON or CSV:

- *wide* (OData v3, ``TypedDataSet``): a row per municipality and period, a column per
  measure (``RegioS``, ``Perioden``, ``JongerenMetJeugdzorgInNatura_1``, ...);
- *long* (OData v4, ``Observations``): a row per measure, municipality and period
  (``Measure``, ``Value``, ``ValueAttribute``, ``RegioS``, ``Perioden``).

``RegioS`` holds CBS area codes (``GM0917``, padded with spaces in v3; ``NL01`` is the
country) and ``Perioden`` CBS period codes (``2022JJ00`` a year, ``2022KW03`` a quarter,
``2022MM07`` a month). A "." or an empty cell is a figure CBS keeps secret or does not
have: it is stored as suppressed, never as zero. An optional ``Status`` column says
whether a figure is preliminary ("Voorlopig") or definitive ("Definitief").

``TABLES`` lists the tables Rits knows and their measures (the key of the wide shape
and the code of the long one). The measure identifiers follow the StatLine shape of
85098NED ("Indicatoren jeugdzorg in natura; gemeenten", which replaced 82972NED);
compare them with the table's metadata (``DataProperties`` / ``MeasureCodes``) when a
new edition appears.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rits.outcomes.periods import COUNTRY_CODE, PeriodKind


@dataclass(frozen=True)
class Measure:
    key: str  # the wide shape's column
    code: str  # the long shape's Measure
    name: Any
    unit: str


TABLES: dict[str, tuple[Any, tuple[Measure, ...]]] = {
    "85098NED": (
        gettext_lazy("Youth care in kind; municipalities (CBS 85098NED)"),
        (
            Measure(
                "JongerenMetJeugdzorgInNatura_1",
                "M001234",
                gettext_lazy("Youths with youth care in kind"),
                "number",
            ),
            Measure(
                "JongerenMetJeugdzorgInNatura_2",
                "M001235",
                gettext_lazy("Youths with youth care in kind, per 1,000 youths"),
                "per_1000",
            ),
            Measure(
                "JongerenMetJeugdhulpMetVerblijf_3",
                "M001236",
                gettext_lazy("Youths with youth help with a stay away from home"),
                "number",
            ),
        ),
    ),
}


class StatLineError(ValueError):
    """The file as a whole cannot be read (not JSON, not CSV, no known shape)."""


@dataclass(frozen=True)
class Row:
    number: int  # as the user counts: the first data row is 1
    measure: str
    area: str
    period: str
    value: str | float | int | None
    status: str = ""


def _key(value: Any) -> str:
    return str(value or "").strip()


def _records(raw: bytes, name: str) -> list[dict[str, Any]]:
    text = raw.decode("utf-8-sig", errors="strict")
    if name.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StatLineError(
                _("The file is not valid JSON: %(error)s") % {"error": exc}
            ) from None
        if isinstance(data, dict):
            data = data.get("value", data.get("Observations"))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise StatLineError(_("The JSON file holds no StatLine rows (a 'value' list)."))
        return data
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else None
    if dialect is None:
        raise StatLineError(_("The file is empty."))
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def read(raw: bytes, name: str, table: str) -> Iterator[Row]:
    """The file's rows in one shape (long), whatever shape the file had."""
    try:
        records = _records(raw, name)
    except UnicodeDecodeError:
        raise StatLineError(_("The file is not UTF-8 text.")) from None
    except csv.Error:
        raise StatLineError(_("The file is neither StatLine JSON nor CSV.")) from None
    if not records:
        raise StatLineError(_("The file has no rows."))
    columns = set(records[0])
    if not {"RegioS", "Perioden"} <= columns:
        raise StatLineError(_("The file has no RegioS and Perioden columns: not a StatLine table."))
    _title, measures = TABLES[table]
    if "Measure" in columns:
        for n, record in enumerate(records, 1):
            yield Row(
                n,
                _key(record.get("Measure")),
                _key(record.get("RegioS")),
                _key(record.get("Perioden")),
                record.get("Value"),
                _key(record.get("Status")),
            )
        return
    known = {m.key for m in measures}
    present = [c for c in records[0] if c in known]
    unknown = [
        c for c in records[0] if c not in known and c not in ("ID", "RegioS", "Perioden", "Status")
    ]
    if not present or unknown:
        raise StatLineError(
            _("These columns are not measures of table %(table)s: %(columns)s")
            % {"table": table, "columns": ", ".join(unknown) or "—"}
        )
    for n, record in enumerate(records, 1):
        for column in present:
            yield Row(
                n,
                column,
                _key(record.get("RegioS")),
                _key(record.get("Perioden")),
                record.get(column),
                _key(record.get("Status")),
            )


_PERIOD = re.compile(r"^(\d{4})(JJ00|KW0([1-4])|MM(0[1-9]|1[0-2]))$")


def period(code: str) -> tuple[str, date] | None:
    found = _PERIOD.match(code)
    if not found:
        return None
    year = int(found.group(1))
    if found.group(3):
        return PeriodKind.QUARTER, date(year, (int(found.group(3)) - 1) * 3 + 1, 1)
    if found.group(4):
        return PeriodKind.MONTH, date(year, int(found.group(4)), 1)
    return PeriodKind.YEAR, date(year, 1, 1)


def area(code: str) -> str:
    """A CBS area code as Rits writes it: ``NL01`` is the country."""
    return COUNTRY_CODE if code == "NL01" else code


def number(value: Any) -> tuple[float | None, bool]:
    """(the value, suppressed): "." and empty are suppressed; anything else must be a number."""
    if value is None:
        return None, True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), False
    text = str(value).strip()
    if text in ("", "."):
        return None, True
    return float(text.replace(",", ".")), False
