"""Seeing across tables: counts, trend, co-occurrence with click-through, municipalities,
actions per owner; nothing from fewer than five tables; the figures the monitor reads."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from rits.dialogues import figures, services, synthesis
from rits.dialogues.models import Kind
from rits.dialogues.tests.base import DialogueTestCase, held_tables
from rits.testing import login


class SynthesisTests(DialogueTestCase):
    def scope(self, **kw: object) -> synthesis.Scope:
        today = timezone.localdate()
        return synthesis.Scope(
            region_id=self.region.pk, start=date(today.year - 3, 1, 1), end=today, **kw
        )  # type: ignore[arg-type]

    def test_counts_pairs_and_trend_from_five_tables(self) -> None:
        wait, talk, few = (
            self.code(Kind.BOTTLENECK, 0),
            self.code(Kind.BOTTLENECK, 1),
            self.code(Kind.SUCCESS_FACTOR),
        )
        last_year = date(timezone.localdate().year - 1, 3, 1)
        held_tables(self, 3, [wait, talk], held_on=last_year)
        held_tables(self, 3, [wait, talk])
        held_tables(self, 4, [few])
        result = synthesis.synthesis(self.scope())
        counts = {c.code.pk: (c.tables, c.segments) for c in result.counts[Kind.BOTTLENECK]}
        self.assertEqual(counts, {wait.pk: (6, 6), talk.pk: (6, 6)})
        self.assertEqual(result.counts[Kind.SUCCESS_FACTOR], [])  # 4 tables: not shown
        self.assertEqual(result.hidden, 1)
        self.assertEqual(
            [(a.pk, b.pk, t) for a, b, t, _ in result.pairs],
            [(min(wait.pk, talk.pk), max(wait.pk, talk.pk), 6)],
        )
        # Three tables per half-year: below five, so each half-year shows nothing.
        self.assertTrue(all(v is None for _, row in result.trend for v in row.values()))
        self.assertEqual(len(result.trend), 2)

    def test_the_page_shows_figures_and_the_researcher_reads_the_segments(self) -> None:
        wait, talk = self.code(Kind.BOTTLENECK, 0), self.code(Kind.BOTTLENECK, 1)
        held_tables(self, 5, [wait, talk], text="Lang wachten op hulp")
        login(self.client, self.municipality_officer)
        page = self.client.get("/dialoogtafels/overzicht/")
        self.assertContains(page, wait.name)
        self.assertContains(page, "<svg")
        self.assertNotContains(page, "/overzicht/segmenten/")
        login(self.client, self.researcher)
        page = self.client.get("/dialoogtafels/overzicht/")
        a, b = sorted([wait.pk, talk.pk])
        self.assertContains(page, f"code={a}&amp;code={b}")
        segments = self.client.get(
            f"/dialoogtafels/overzicht/segmenten/?code={wait.pk}&code={talk.pk}"
        )
        self.assertContains(segments, "Lang wachten op hulp", count=5)
        self.assert_audited("dialogues.segments_viewed", actor=self.researcher)
        csv = self.client.get("/dialoogtafels/overzicht/bevindingen.csv").content.decode()
        self.assertIn("Lang wachten op hulp 4", csv)
        counts = self.client.get("/dialoogtafels/overzicht/tellingen.csv").content.decode()
        self.assertIn(f"{wait.name};5;5", counts.replace(",", ";"))

    def test_municipalities_side_by_side_and_actions_per_owner(self) -> None:
        held_tables(self, 5, [self.code()], municipality=self.heerlen)
        held_tables(self, 2, [self.code()], municipality=self.landgraaf)
        rows = dict(synthesis.by_municipality(self.scope()))
        self.assertEqual(rows["Heerlen"][Kind.BOTTLENECK], 5)
        self.assertIsNone(rows["Landgraaf"][Kind.BOTTLENECK])
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="x",
            phase="help",
            view="shared",
            codes=[self.code(Kind.IMPROVEMENT)],
        )
        action = services.create_action(
            finding,
            actor=self.chair,
            what="y",
            owner_organisation=self.org_a,
            owner=self.professional,
            due_date=timezone.localdate() + timedelta(days=1),
        )
        per_owner = synthesis.actions_per_owner(
            self.region.pk, today=timezone.localdate() + timedelta(days=5)
        )
        self.assertEqual(per_owner[0]["open"], 1)
        self.assertEqual(per_owner[0]["overdue"], 1)
        services.update_action(action, actor=self.professional, status="done", result="klaar")
        self.assertEqual(synthesis.actions_per_owner(self.region.pk), [])

    def test_merged_codes_count_for_the_code_they_went_into(self) -> None:
        wait, talk = self.code(Kind.BOTTLENECK, 0), self.code(Kind.BOTTLENECK, 1)
        held_tables(self, 3, [wait])
        held_tables(self, 3, [talk])
        self.assertEqual(synthesis.synthesis(self.scope()).counts[Kind.BOTTLENECK], [])
        services.merge_code(wait, talk, actor=self.facilitator)
        counts = synthesis.synthesis(self.scope()).counts[Kind.BOTTLENECK]
        self.assertEqual([(c.code.pk, c.tables) for c in counts], [(talk.pk, 6)])
        wait.refresh_from_db()
        self.assertEqual(wait.codings.count(), 3)  # what the coders chose is kept
        self.assertEqual(
            list(wait.versions.values_list("change", flat=True)), ["created", "merged"]
        )

    def test_renaming_keeps_the_codings_and_the_history(self) -> None:
        code = self.code()
        old = code.name
        held_tables(self, 1, [code])
        services.change_code(code, actor=self.facilitator, version=1, name="Wachtlijst")
        code.refresh_from_db()
        self.assertEqual(code.name, "Wachtlijst")
        self.assertEqual(code.codings.count(), 1)
        self.assertEqual(
            list(code.versions.values_list("change", "note")),
            [("created", ""), ("renamed", f"was: {old}")],
        )
        services.retire_code(code, actor=self.facilitator)
        table = self.open_table()
        with self.assertRaises(services.DialogueError):
            services.record_finding(
                table, actor=self.chair, text="x", phase="help", view="shared", codes=[code]
            )

    def test_the_figures_for_the_monitor(self) -> None:
        held_tables(self, 5, [self.code()], municipality=self.heerlen)
        today = timezone.localdate()
        top = figures.top_codes(
            municipality_ids=[self.heerlen.pk], start=today - timedelta(days=1), end=today
        )
        self.assertEqual([(ref.guid, t, s) for ref, t, s in top], [(self.code().guid, 5, 5)])
        self.assertEqual(
            figures.top_codes(municipality_ids=[self.landgraaf.pk], start=today, end=today), []
        )
        self.assertEqual(
            figures.actions_on_time(municipality_ids=[self.heerlen.pk], start=today, end=today),
            (0, 0),
        )
