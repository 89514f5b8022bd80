"""REFI-QDA: the codebook and the coded material validate against the official schemas,
read back to the same codes, offsets and text; hostile or wrong files change nothing."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from rits.dialogues import refi, services
from rits.dialogues.models import Code, Kind, Theme
from rits.dialogues.tests.base import DialogueTestCase, leaked
from rits.regions.models import YouthCareRegion

NS = {"p": refi.PROJECT_NS}


class CodebookExchangeTests(DialogueTestCase):
    def test_the_codebook_validates_and_reads_back(self) -> None:
        data = refi.codebook_xml(self.region.pk)
        root = etree.fromstring(data)
        self.assertTrue(
            refi.schema("Codebook.xsd").validate(root), refi.schema("Codebook.xsd").error_log
        )
        parsed = refi.parse_codebook(data)
        self.assertEqual(parsed.errors, [])
        codes = {c.guid: c for t in parsed.themes for c in t.codes}
        for code in Code.objects.filter(region=self.region):
            self.assertEqual(codes[code.guid].name, code.name)
            self.assertEqual(codes[code.guid].kind, code.kind)
            self.assertEqual(codes[code.guid].definition, code.definition)
            self.assertEqual(codes[code.guid].example, code.example)

    def test_another_regions_codebook_is_imported_whole(self) -> None:
        other = YouthCareRegion.objects.exclude(pk=self.region.pk).first()
        assert other is not None
        Code.objects.filter(region=other).update(name=models_name_prefix())
        data = refi.codebook_xml(other.pk)
        target = YouthCareRegion.objects.exclude(pk__in=[self.region.pk, other.pk]).first()
        assert target is not None
        Code.objects.filter(region=target).delete()
        Theme.objects.filter(region=target).delete()
        added = services.import_codebook(target, actor=self.facilitator, data=data)
        self.assertEqual(added, Code.objects.filter(region=other).count())
        self.assert_audited("dialogues.codebook_imported", actor=self.facilitator)

    def refused(self, data: bytes) -> list[str]:
        before = Code.objects.count()
        with self.assertRaises(services.ImportRejected) as raised:
            services.import_codebook(self.region, actor=self.facilitator, data=data)
        self.assertEqual(Code.objects.count(), before)
        return raised.exception.errors

    def test_hostile_and_wrong_files_are_refused_with_reasons(self) -> None:
        good = refi.codebook_xml(self.region.pk).decode()
        cases = {
            "namespace": good.replace(refi.CODEBOOK_NS, "urn:something:else"),
            "entities": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            + good.split("?>", 1)[1].replace("Codes>", "Codes>&a;", 1),
            "huge": good + " " * (refi.MAX_QDC_BYTES + 1),
            "syntax": good[:-40],
            "schema": good.replace('isCodable="true"', "", 1),
        }
        for name, text in cases.items():
            with self.subTest(name):
                self.assertTrue(self.refused(text.encode()))
        self.assert_audited("dialogues.codebook_import_rejected", count=len(cases))

    def test_duplicate_guids_are_named_per_item(self) -> None:
        code = Code.objects.filter(region=self.region).first()
        assert code is not None
        good = refi.codebook_xml(self.region.pk).decode()
        Code.objects.filter(region=self.region).delete()
        Theme.objects.filter(region=self.region).delete()
        twice = good.replace(
            "</Codes>",
            f'<Code guid="00000000-0000-4000-8000-000000000001" name="T" isCodable="false">'
            f'<Code guid="{code.guid}" name="Nog een" isCodable="true">'
            f"<Description>x</Description></Code></Code></Codes>",
        )
        errors = self.refused(twice.encode())
        self.assertTrue(any(str(code.guid) in e for e in errors), errors)

    def test_a_code_already_in_the_codebook_is_an_error_for_that_code(self) -> None:
        errors = self.refused(refi.codebook_xml(self.region.pk))
        self.assertEqual(len(errors), Code.objects.filter(region=self.region).count())


def models_name_prefix() -> str:
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return Concat(Value("Elders: "), F("name"))  # type: ignore[return-value]


class ProjectExportTests(DialogueTestCase):
    def test_the_project_validates_and_its_offsets_point_at_the_findings(self) -> None:
        table = self.open_table()
        texts = [
            "Petra voelde zich niet gehoord door Ria.",
            "Korte lijnen tussen school en gebiedsteam — “goed”.",
        ]
        findings = [
            services.record_finding(
                table,
                actor=self.chair,
                text=t,
                phase="help",
                view="parent",
                codes=[self.code(Kind.BOTTLENECK), self.code(Kind.SUCCESS_FACTOR)],
            )
            for t in texts
        ]
        data = b"".join(refi.project_stream(self.region.pk, name="Parkstad"))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            project = archive.read("project.qde")
        root = etree.fromstring(project)
        xsd = refi.schema("Project.xsd")
        self.assertTrue(xsd.validate(root), xsd.error_log)
        source = root.find("p:Sources/p:TextSource", NS)
        assert source is not None
        text = source.findtext("p:PlainTextContent", namespaces=NS)
        assert text is not None
        selections = source.findall("p:PlainTextSelection", NS)
        self.assertEqual(len(selections), 2)
        for selection, finding in zip(selections, findings, strict=True):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            self.assertEqual(text[start:end], finding.text)
            refs = {c.get("targetGUID") for c in selection.iterfind("p:Coding/p:CodeRef", NS)}
            self.assertEqual(
                refs,
                {str(self.code(Kind.BOTTLENECK).guid), str(self.code(Kind.SUCCESS_FACTOR).guid)},
            )
        case = root.find("p:Cases/p:Case", NS)
        assert case is not None
        values = [
            v.findtext("p:TextValue", namespaces=NS) or v.findtext("p:IntegerValue", namespaces=NS)
            for v in case.iterfind("p:VariableValue", NS)
        ]
        self.assertEqual(values, ["Heerlen", self.region.name, str(table.year)])
        self.assertEqual(leaked(project.decode()), [])
