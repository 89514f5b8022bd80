"""The demo families: four stages, logins for a parent and a youth, idempotent."""

from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.demo.region import DEMO_PASSWORD
from rits.family_plans.models import CareTeamMember, Family, Plan


class DemoTests(TestCase):
    def test_it_builds_four_families_in_different_stages_once(self) -> None:
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=out)
        self.assertNotIn("@demo.rits.nl\nSubject", out.getvalue())
        # In-app notifications only: none of the family-plan notifications was mailed.
        from rits.accounts.models import Notification

        titles = set(
            Notification.objects.filter(kind__startswith="family_plans.").values_list(
                "title", flat=True
            )
        )
        self.assertTrue(titles)
        self.assertFalse([m for m in mail.outbox if m.subject.removeprefix("Rits: ") in titles])
        self.assertTrue(User.objects.get(email="ouder@demo.rits.nl").notifications.exists())
        self.assertEqual(
            set(Family.objects.values_list("name", flat=True)),
            {"Gezin Bakker", "Gezin Jansen", "Gezin Smeets", "Gezin Hendriks"},
        )
        closed = Plan.objects.get(family__name="Gezin Hendriks")
        self.assertEqual(closed.status, Plan.Status.CLOSED)
        stayed = closed.members.get(status=CareTeamMember.Status.ACTIVE)
        self.assertTrue(stayed.is_jim)
        self.assertTrue(Plan.objects.get(family__name="Gezin Smeets").transition_items.exists())
        entries = Entry.objects.count()
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(Family.objects.count(), 4)
        self.assertEqual(Entry.objects.count(), entries)

    def test_the_parent_and_youth_logins_open_their_plan(self) -> None:
        call_command("load_demo", stdout=StringIO())
        plan = Plan.objects.get(family__name="Gezin Jansen")
        for email in ("ouder@demo.rits.nl", "jongere@demo.rits.nl"):
            user = User.objects.get(email=email)
            self.assertTrue(user.check_password(DEMO_PASSWORD))
            self.assertFalse(user.requires_two_factor)
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/gezin/{plan.pk}/").status_code, 200)
            self.assertEqual(self.client.get("/gezin/").status_code, 200)
