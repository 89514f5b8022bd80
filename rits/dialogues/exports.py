"""Files the dialogue tables hand out: the meeting as iCalendar, findings and counts as
CSV/XLSX (through ``rits.lib.spreadsheet``). Findings are exported as recorded: already
without the family's names; a table is named by its reference, never by its title."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from icalendar import Calendar, Event

from rits.dialogues.models import Coding, DialogueTable, Finding
from rits.dialogues.synthesis import Synthesis

FINDINGS_HEADER = [
    "tafel",
    "gemeente",
    "jaar",
    "fase",
    "wiens blik",
    "bevinding",
    "codes",
    "soorten",
]
COUNTS_HEADER = ["soort", "thema", "code", "tafels", "segmenten"]


def table_ics(table: DialogueTable) -> bytes:
    """The meeting as an invitation. No family, no title: calendars are shared and synced."""
    cal = Calendar()
    cal.add("prodid", "-//Rits//Dialoogtafel//NL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"dialogue-table-{table.guid}@rits")
    event.add("dtstamp", timezone.now())
    assert table.starts_at is not None
    event.add("dtstart", table.starts_at)
    event.add("dtend", table.starts_at + timedelta(minutes=table.minutes))
    event.add("summary", "Dialoogtafel (Rits)")
    event.add("sequence", table.sequence)
    if table.location:
        event.add("location", table.location)
    event.add("url", f"{settings.SITE_URL}/dialoogtafels/{table.pk}/")
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def finding_rows(findings: QuerySet[Finding]) -> Iterator[list[Any]]:
    with translation.override("nl"):
        rows = findings.select_related("table", "table__municipality").prefetch_related(
            "codings__counted_code"
        )
        for f in rows.iterator(chunk_size=500):
            codes = sorted(
                {c.counted_code for c in f.codings.all() if c.round == Coding.Round.FIRST},
                key=lambda c: c.name,
            )
            yield [
                f.table.reference,
                f.table.municipality.name if f.table.municipality else "",
                f.table.year,
                f.get_phase_display(),
                f.get_view_display(),
                f.text,
                "; ".join(c.name for c in codes),
                "; ".join(sorted({c.get_kind_display() for c in codes})),
            ]


def count_rows(result: Synthesis) -> Iterator[list[Any]]:
    with translation.override("nl"):
        for counts in result.counts.values():
            for row in counts:
                yield [
                    row.code.get_kind_display(),
                    row.code.theme.name,
                    row.code.name,
                    row.tables,
                    row.segments,
                ]
