"""Every CSV that Rits hands out goes through ``writer`` (or ``cell``), so that no value a
user typed opens as a live formula in a spreadsheet program (CSV or formula injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula (or turns into one) in Excel, LibreOffice and Google Sheets. Following OWASP's
advice on CSV injection, such a cell gets a single quote in front: ``=HYPERLINK(...)``
becomes ``'=HYPERLINK(...)``, ``+31 6 1234 5678`` becomes ``'+31 6 1234 5678``. A
spreadsheet shows that as text; a reader sees the quote and the value behind it unchanged,
so a phone number stays readable and nothing is lost or guessed away.

Dutch Excel splits a CSV on semicolons, not commas, and line breaks inside a cell start a
new row when the file is read with the other separator. A formula after a ``;``, a tab or
a line break inside a value would then start a cell of its own, so it gets the same quote
there: ``Jan;=cmd`` becomes ``Jan;'=cmd``.

Reading an uploaded XLSX goes through ``read_rows`` (the first sheet's values, formulas as
their text, so the caller can refuse them).

XLSX goes through ``workbook``: openpyxl stores any text that starts with ``=`` as a
formula, so text cells get the same quote; numbers and dates stay typed, so a
spreadsheet can still add them up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

# Spreadsheet programs run cells that start with these as formulas.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A formula start right after a separator or line break that a reader with another
# separator (or none) would cut the value at.
_EMBEDDED = re.compile(r"(?<=[;\t\r\n])(?=[=+\-@])")


def cell(value: Any) -> str:
    """The value as text that a spreadsheet shows as text, never runs."""
    text = "" if value is None else str(value)
    text = _EMBEDDED.sub("'", text)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


class SafeWriter:
    """``csv.writer`` whose every cell went through ``cell``."""

    def __init__(self, target: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(target, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: _Writable, **fmtparams: Any) -> SafeWriter:
    """A CSV writer for anything Rits exports; takes the arguments of ``csv.writer``."""
    return SafeWriter(target, **fmtparams)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Characters XML 1.0 cannot carry; openpyxl refuses a cell that holds one.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: numbers and dates typed (a moment in Amsterdam time,
    as XLSX has no time zones), everything else text that is shown, never run."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(_AMSTERDAM).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return value
    return _ILLEGAL_XML.sub("", cell(value))


Sheet = tuple[str, Sequence[Any], Iterable[Iterable[Any]]]


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX file with a sheet per ``(title, header, rows)``; openpyxl's write-only
    mode writes the rows as they come instead of holding the sheet in memory."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=_ILLEGAL_XML.sub("", title)[:31] or "Blad")
        sheet.append([xlsx_cell(h) for h in header])
        for row in rows:
            sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class UnreadableWorkbook(ValueError):
    """The bytes are no XLSX file openpyxl can open."""


def read_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    """The rows of the first sheet of an XLSX file as values, header first. Openpyxl's
    read-only mode streams the rows; a formula comes back as its text ("=1+1"), never
    computed, so the caller sees it and can refuse it."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableWorkbook(str(exc)) from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as exc:
        # A sheet whose XML is broken (SyntaxError: the XML parser's ParseError).
        raise UnreadableWorkbook(str(exc)) from None
    finally:
        book.close()
