"""The weekly digest: the week's updates to each member, once a week, unless turned off."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command

from rits.knowledge import services
from rits.knowledge.models import DigestSent, ProgressUpdate
from rits.knowledge.services.digest import send_digests, week_of
from rits.knowledge.tests.base import KnowledgeTestCase
from rits.testing import login


class DigestTests(KnowledgeTestCase):
    def setUp(self) -> None:
        # A Wednesday; last week's updates go out.
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
        update = services.post_update(
            self.network, actor=self.professional, working_on="Spreekuur op twee scholen."
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(posted_at=self.now - timedelta(days=5))
        old = services.post_update(self.network, actor=self.professional, working_on="Heel oud.")
        ProgressUpdate.objects.filter(pk=old.pk).update(posted_at=self.now - timedelta(days=30))

    def test_members_get_last_weeks_updates_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            run = send_digests(now=self.now)
        self.assertEqual(run.week, week_of(self.now.date()))
        self.assertEqual(run.sent, 3)  # facilitator, professional, parent
        self.assertEqual(len(mail.outbox), 3)
        body = mail.outbox[0].body
        self.assertIn("Spreekuur op twee scholen.", body)
        self.assertNotIn("Heel oud.", body)
        self.assertIn("één keer per week", body)
        with self.captureOnCommitCallbacks(execute=True):
            again = send_digests(now=self.now + timedelta(hours=3))
        self.assertEqual(again.sent, 0)
        self.assertEqual(len(mail.outbox), 3)
        self.assert_audited("knowledge.digest_sent", actor=None, count=3)

    def test_a_member_who_turned_it_off_gets_none(self) -> None:
        login(self.client, self.parent)
        self.client.post(f"/kennis/netwerken/{self.network.pk}/samenvatting/", {"on": "0"})
        self.assertFalse(self.member(self.parent).digest)
        self.assert_audited("knowledge.digest_changed", actor=self.parent, on=False)
        with self.captureOnCommitCallbacks(execute=True):
            send_digests(now=self.now)
        self.assertNotIn(self.parent.email, [m.to[0] for m in mail.outbox])
        self.assertFalse(DigestSent.objects.filter(member=self.member(self.parent)).exists())

    def test_the_command_reports_what_it_sent(self) -> None:
        out = StringIO()
        call_command("send_network_digests", stdout=out)
        self.assertIn("digests sent", out.getvalue())
