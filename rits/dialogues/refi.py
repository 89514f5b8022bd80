"""REFI-QDA (QDA-XML 1.0): the codebook as ``.qdc``, a region's coded material as
``.qdpx``, and reading a ``.qdc`` from another region.

- Reading: at most ``MAX_QDC_BYTES``; parsed by lxml with no DTD, no entities and no
  network; a document with a DOCTYPE is refused before anything else; then validated
  against the official schema (``schemas/Codebook.xsd``). All or nothing: every problem
  is reported per item and nothing is stored unless there are none.
- The kind of a code (success factor, bottleneck, improvement) travels as the three
  Sets of the codebook; definition and example in the code's Description.
- ``.qdpx``: a zip with ``project.qde``, written element by element with
  ``etree.xmlfile`` into the zip as the rows come, so memory does not grow with the
  number of segments. Each table is a Case (municipality, region and year as Variables)
  with its TextSource: the account followed by the findings; each finding is a
  PlainTextSelection whose positions are character offsets into exactly that text.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from lxml import etree
from lxml.builder import ElementMaker

from rits.dialogues.models import Account, Code, Coding, DialogueTable, Finding, Kind, Theme

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
MAX_QDC_BYTES = 2 * 1024 * 1024
FINDINGS_HEADING = "\n\nBevindingen\n"
KIND_SETS = {
    Kind.SUCCESS_FACTOR: ("Succesfactor", uuid.UUID("7b0e4c5a-9a61-4f4e-8f0a-1d2c3b4a5e01")),
    Kind.BOTTLENECK: ("Knelpunt", uuid.UUID("7b0e4c5a-9a61-4f4e-8f0a-1d2c3b4a5e02")),
    Kind.IMPROVEMENT: ("Verbetering", uuid.UUID("7b0e4c5a-9a61-4f4e-8f0a-1d2c3b4a5e03")),
}
VARIABLES = {
    "gemeente": uuid.UUID("3c9d2e1f-6a7b-4c8d-9e0f-1a2b3c4d5e01"),
    "regio": uuid.UUID("3c9d2e1f-6a7b-4c8d-9e0f-1a2b3c4d5e02"),
    "jaar": uuid.UUID("3c9d2e1f-6a7b-4c8d-9e0f-1a2b3c4d5e03"),
}
EXAMPLE_MARK = "\n\nVoorbeeld: "


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name), parser=safe_parser()))


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _description(code: Code) -> str:
    return code.definition + (EXAMPLE_MARK + code.example if code.example else "")


# -- codebook out -----------------------------------------------------------------------


def codebook_xml(region_id: int) -> bytes:
    """The region's codebook (codes in use) as a ``.qdc`` document."""
    E = ElementMaker(namespace=CODEBOOK_NS, nsmap={None: CODEBOOK_NS})
    codes_el = E.Codes()
    members: dict[str, list[Code]] = {k: [] for k in Kind.values}
    for theme in Theme.objects.filter(region_id=region_id).prefetch_related(
        Prefetch("codes", queryset=Code.objects.filter(status=Code.Status.ACTIVE))
    ):
        theme_el = E.Code(guid=str(theme.guid), name=theme.name, isCodable="false")
        if theme.description:
            theme_el.append(E.Description(theme.description))
        for code in theme.codes.all():
            code_el = E.Code(guid=str(code.guid), name=code.name, isCodable="true")
            code_el.append(E.Description(_description(code)))
            theme_el.append(code_el)
            members[code.kind].append(code)
        codes_el.append(theme_el)
    sets_el = E.Sets()
    for kind, (name, guid) in KIND_SETS.items():
        set_el = E.Set(guid=str(guid), name=name)
        for code in members[kind]:
            set_el.append(E.MemberCode(guid=str(code.guid)))
        sets_el.append(set_el)
    root = E.CodeBook(codes_el, sets_el, origin="Rits")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    return data


# -- codebook in ------------------------------------------------------------------------


@dataclass
class ImportedCode:
    guid: uuid.UUID
    name: str
    definition: str
    example: str
    kind: str


@dataclass
class ImportedTheme:
    guid: uuid.UUID
    name: str
    description: str
    codes: list[ImportedCode] = field(default_factory=list)


@dataclass
class Parsed:
    themes: list[ImportedTheme]
    errors: list[str]


class HostileDocument(ValueError):
    pass


def parse_codebook(data: bytes) -> Parsed:
    """Read a ``.qdc``: the themes and codes in it, or the problems, one per item."""
    if len(data) > MAX_QDC_BYTES:
        return Parsed(
            [], [f"Het bestand is te groot (meer dan {MAX_QDC_BYTES // 1024 // 1024} MB)."]
        )
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return Parsed(
            [], ["Het bestand bevat een DOCTYPE of entiteiten. Die zijn niet toegestaan."]
        )
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        return Parsed([], [f"Het bestand is geen geldige XML: {exc.msg}."])
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        return Parsed(
            [], ["Dit is geen REFI-QDA-codeboek (verwacht: CodeBook in urn:QDA-XML:codebook:1.0)."]
        )
    xsd = schema("Codebook.xsd")
    if not xsd.validate(root):
        return Parsed([], [f"Regel {e.line}: {e.message}" for e in list(xsd.error_log)[:50]])
    ns = {"c": CODEBOOK_NS}
    kinds: dict[str, str] = {}
    set_names: dict[str, str] = {name.casefold(): kind for kind, (name, _) in KIND_SETS.items()}
    set_names.update({k.casefold(): k for k in Kind.values})
    for set_el in root.iterfind("c:Sets/c:Set", ns):
        set_kind = set_names.get((set_el.get("name") or "").strip().casefold())
        if set_kind:
            for member in set_el.iterfind("c:MemberCode", ns):
                kinds[member.get("guid", "").strip("{}").lower()] = set_kind
    errors: list[str] = []
    seen: set[str] = set()
    themes: list[ImportedTheme] = []

    def check_guid(el: Any) -> uuid.UUID:
        raw = el.get("guid").strip("{}").lower()
        if raw in seen:
            errors.append(f"Regel {el.sourceline}: de GUID {raw} komt twee keer voor.")
        seen.add(raw)
        return uuid.UUID(raw)

    for top in root.iterfind("c:Codes/c:Code", ns):
        description = (top.findtext("c:Description", "", ns) or "").strip()
        theme = ImportedTheme(check_guid(top), top.get("name", "").strip()[:150], description)
        children = list(top.iterfind("c:Code", ns))
        if not children:
            errors.append(
                f"Regel {top.sourceline}: “{theme.name}” is een code zonder thema; "
                "zet elke code onder een thema."
            )
        for el in children:
            guid = check_guid(el)
            name = el.get("name", "").strip()
            text = (el.findtext("c:Description", "", ns) or "").strip()
            definition, _, example = text.partition(EXAMPLE_MARK.strip("\n"))
            definition, example = definition.strip(), example.strip()
            kind: str | None = kinds.get(str(guid))
            where = f"Regel {el.sourceline} (“{name[:60]}”)"
            if not name or len(name) > 150:
                errors.append(f"{where}: de naam moet 1 tot 150 tekens hebben.")
            if not definition:
                errors.append(f"{where}: de code heeft geen omschrijving.")
            if len(definition) > 2000 or len(example) > 2000:
                errors.append(f"{where}: de omschrijving of het voorbeeld is te lang.")
            if kind is None:
                errors.append(
                    f"{where}: de soort ontbreekt (een Set Succesfactor, Knelpunt of Verbetering)."
                )
            if list(el.iterfind("c:Code", ns)):
                errors.append(f"{where}: Rits kent twee niveaus (thema en code), niet meer.")
            theme.codes.append(ImportedCode(guid, name, definition, example, kind or ""))
        themes.append(theme)
    return Parsed(themes, errors)


# -- project out (streamed) ---------------------------------------------------------------


class _Pipe:
    """A write-only stream the zip writes into; the response takes what was written."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def exported_text(account_text: str, findings: list[Finding]) -> tuple[str, list[tuple[int, int]]]:
    """The text exported for a table and each finding's (start, end) in it."""
    parts = [account_text.rstrip("\n"), FINDINGS_HEADING]
    position = sum(len(p) for p in parts)
    spans = []
    for finding in findings:
        parts.append("\n")
        position += 1
        spans.append((position, position + len(finding.text)))
        parts.append(finding.text)
        position += len(finding.text)
    parts.append("\n")
    return "".join(parts), spans


def project_tables(region_id: int) -> QuerySet[DialogueTable]:
    return (
        DialogueTable.objects.filter(region_id=region_id, held_on__isnull=False)
        .select_related("municipality", "region")
        .order_by("held_on", "pk")
    )


def _findings(table_ids: list[int]) -> dict[int, list[Finding]]:
    findings: dict[int, list[Finding]] = {t: [] for t in table_ids}
    rows = (
        Finding.objects.filter(table_id__in=table_ids)
        .exclude(trajectory__withdrawn_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "codings",
                queryset=Coding.objects.filter(round=Coding.Round.FIRST).select_related(
                    "counted_code"
                ),
            )
        )
        .order_by("table_id", "recorded_at", "pk")
    )
    for finding in rows:
        findings[finding.table_id].append(finding)
    return findings


def _batches(tables: QuerySet[DialogueTable], size: int = 200) -> Iterator[list[DialogueTable]]:
    batch: list[DialogueTable] = []
    for table in tables.iterator(chunk_size=size):
        batch.append(table)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def project_stream(region_id: int, *, name: str) -> Iterator[bytes]:
    """The ``.qdpx`` of a region's held tables, yielded in pieces as it is written."""
    with translation.override("nl"):
        yield from _project_stream(region_id, name=name)


def _project_stream(region_id: int, *, name: str) -> Iterator[bytes]:
    pipe = _Pipe()
    now = timezone.now().replace(microsecond=0).isoformat()
    tables = project_tables(region_id)
    with (
        zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive,  # type: ignore[call-overload]
        archive.open("project.qde", "w") as entry,
        etree.xmlfile(entry, encoding="utf-8") as xf,
    ):
        xf.write_declaration()
        with xf.element(
            f"{{{PROJECT_NS}}}Project",
            nsmap={None: PROJECT_NS},
            name=name,
            origin="Rits",
            creationDateTime=now,
        ):
            _write_codebook(xf, region_id)
            _write_variables(xf)
            yield pipe.take()
            with xf.element(f"{{{PROJECT_NS}}}Cases"):
                for batch in _batches(tables):
                    for table in batch:
                        _write_case(xf, table)
                    xf.flush()
                    yield pipe.take()
            with xf.element(f"{{{PROJECT_NS}}}Sources"):
                for batch in _batches(tables):
                    findings = _findings([t.pk for t in batch])
                    accounts = dict(
                        Account.objects.filter(table_id__in=[t.pk for t in batch]).values_list(
                            "table_id", "text"
                        )
                    )
                    for table in batch:
                        _write_source(xf, table, accounts.get(table.pk, ""), findings[table.pk])
                    xf.flush()
                    yield pipe.take()
            _write_sets(xf, region_id)
    yield pipe.take()


def _p(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _write_codebook(xf: Any, region_id: int) -> None:
    root = etree.Element(_p("CodeBook"))
    codes_el = etree.SubElement(root, _p("Codes"))
    for theme in Theme.objects.filter(region_id=region_id).prefetch_related("codes"):
        theme_el = etree.SubElement(
            codes_el, _p("Code"), guid=str(theme.guid), name=theme.name, isCodable="false"
        )
        for code in theme.codes.all():
            # Merged and retired codes stay in the project: codings made with them remain.
            code_el = etree.SubElement(
                theme_el, _p("Code"), guid=str(code.guid), name=code.name, isCodable="true"
            )
            etree.SubElement(code_el, _p("Description")).text = _description(code)
    xf.write(root)


def _write_variables(xf: Any) -> None:
    root = etree.Element(_p("Variables"))
    for name, guid in VARIABLES.items():
        etree.SubElement(
            root,
            _p("Variable"),
            guid=str(guid),
            name=name,
            typeOfVariable="Integer" if name == "jaar" else "Text",
        )
    xf.write(root)


def _source_guid(table: DialogueTable) -> uuid.UUID:
    return uuid.uuid5(table.guid, "source")


def _write_case(xf: Any, table: DialogueTable) -> None:
    case = etree.Element(_p("Case"), guid=str(table.guid), name=table.reference)
    values = {
        "gemeente": table.municipality.name if table.municipality else "",
        "regio": table.region.name,
        "jaar": str(table.year),
    }
    for name, value in values.items():
        vv = etree.SubElement(case, _p("VariableValue"))
        etree.SubElement(vv, _p("VariableRef"), targetGUID=str(VARIABLES[name]))
        tag = "IntegerValue" if name == "jaar" else "TextValue"
        etree.SubElement(vv, _p(tag)).text = value
    etree.SubElement(case, _p("SourceRef"), targetGUID=str(_source_guid(table)))
    xf.write(case)


def _write_source(xf: Any, table: DialogueTable, account: str, findings: list[Finding]) -> None:
    text, spans = exported_text(account, findings)
    source = etree.Element(_p("TextSource"), guid=str(_source_guid(table)), name=table.reference)
    etree.SubElement(source, _p("PlainTextContent")).text = text
    for finding, (start, end) in zip(findings, spans, strict=True):
        selection = etree.SubElement(
            source,
            _p("PlainTextSelection"),
            guid=str(finding.guid),
            name=f"{finding.get_phase_display()} — {finding.get_view_display()}",
            startPosition=str(start),
            endPosition=str(end),
        )
        for coding in finding.codings.all():
            coding_el = etree.SubElement(selection, _p("Coding"), guid=str(coding.guid))
            etree.SubElement(coding_el, _p("CodeRef"), targetGUID=str(coding.counted_code.guid))
    xf.write(source)


def _write_sets(xf: Any, region_id: int) -> None:
    root = etree.Element(_p("Sets"))
    for kind, (name, guid) in KIND_SETS.items():
        set_el = etree.SubElement(root, _p("Set"), guid=str(guid), name=name)
        for code_guid in Code.objects.filter(region_id=region_id, kind=kind).values_list(
            "guid", flat=True
        ):
            etree.SubElement(set_el, _p("MemberCode"), targetGUID=str(code_guid))
    xf.write(root)


def write_project(target: IO[bytes], region_id: int, *, name: str) -> int:
    """Write the ``.qdpx`` to a file; the number of bytes."""
    size = 0
    for chunk in project_stream(region_id, name=name):
        target.write(chunk)
        size += len(chunk)
    return size
