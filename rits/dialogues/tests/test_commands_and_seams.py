"""The reminder command is idempotent; the codebook as the knowledge hub reads it."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from rits.accounts.models import Notification
from rits.dialogues import services
from rits.dialogues.codesource import DialogueCodeSource
from rits.dialogues.models import Code, Kind
from rits.dialogues.tests.base import DialogueTestCase, held_tables


class CommandTests(DialogueTestCase):
    def test_reminders_twice_a_day_send_once(self) -> None:
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="x",
            phase="help",
            view="shared",
            codes=[self.code(Kind.IMPROVEMENT)],
        )
        services.create_action(
            finding,
            actor=self.chair,
            what="Afspraak",
            owner_organisation=self.org_a,
            owner=self.professional,
            due_date=timezone.localdate(),
        )
        for expected in ("1 reminders sent.", "0 reminders sent."):
            out = io.StringIO()
            call_command("send_dialogue_reminders", stdout=out)
            self.assertIn(expected, out.getvalue())
        self.assertEqual(Notification.objects.filter(kind="dialogues.action_reminder").count(), 1)

    def test_seeding_again_adds_nothing(self) -> None:
        before = Code.objects.count()
        out = io.StringIO()
        call_command("seed_codebook", stdout=out)
        self.assertIn("0 codes added.", out.getvalue())
        self.assertEqual(Code.objects.count(), before)


class CodeSourceTests(DialogueTestCase):
    def test_codes_search_and_recurring_bottlenecks(self) -> None:
        source = DialogueCodeSource()
        code = self.code(Kind.BOTTLENECK)
        refs = source.codes([code.guid])
        self.assertEqual(refs[code.guid].name, code.name)
        self.assertEqual(refs[code.guid].url, f"/dialoogtafels/codes/{code.pk}/")
        self.assertIn(code.guid, {r.guid for r in source.search(self.region.pk, code.name[:6])})
        since = timezone.localdate() - timedelta(days=30)
        held_tables(self, 4, [code])
        self.assertEqual(source.recurring_bottlenecks(self.region.pk, since), [])
        held_tables(self, 1, [code])
        [(ref, tables)] = source.recurring_bottlenecks(self.region.pk, since)
        self.assertEqual((ref.guid, tables), (code.guid, 5))
