"""The transition to adulthood: visible from 16½, reminders before 18, with frozen time."""

from __future__ import annotations

from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

from rits.family_plans import rules, services
from rits.family_plans.models import Reminder, TransitionItem
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login

AMS = ZoneInfo("Europe/Amsterdam")


def frozen(day: date):  # type: ignore[no-untyped-def]
    """Freeze Django's clock at noon in Amsterdam on ``day``."""
    moment = datetime.combine(day, time(12), tzinfo=AMS)
    return mock.patch("django.utils.timezone.now", return_value=moment)


class TransitionTests(FamilyPlanTestCase):
    def setUp(self) -> None:
        self.youth_person.date_of_birth = date(2010, 3, 15)
        self.youth_person.save()
        self.plan.youth.refresh_from_db()

    def test_it_appears_at_16_and_a_half(self) -> None:
        self.assertFalse(rules.transition_visible(self.plan, date(2026, 9, 12)))
        self.assertTrue(rules.transition_visible(self.plan, date(2026, 9, 13)))

    def test_the_plan_page_shows_it_from_16_and_a_half(self) -> None:
        with frozen(date(2026, 6, 1)):
            login(self.client, self.youth)
            r = self.client.get(f"/gezin/{self.plan.pk}/")
            self.assertNotContains(r, 'id="transition"')
        with frozen(date(2027, 1, 10)):
            login(self.client, self.youth)
            r = self.client.get(f"/gezin/{self.plan.pk}/")
            self.assertContains(r, 'id="transition"')
            self.assertContains(r, "15 maart 2028")

    def test_a_topic_is_saved_with_its_version(self) -> None:
        with frozen(date(2027, 1, 10)):
            login(self.client, self.youth)
            r = self.client.post(
                f"/gezin/{self.plan.pk}/overgang/",
                {
                    "topic": "insurance",
                    "status": "arranged",
                    "note": "Zorgverzekering geregeld",
                    "version": 0,
                },
            )
            self.assertEqual(r.status_code, 302)
            item = TransitionItem.objects.get(plan=self.plan, topic="insurance")
            self.assertEqual((item.status, item.version), ("arranged", 2))
            plan = self.with_access(self.youth)
            with self.assertRaises(services.StaleVersion):
                services.update_transition(
                    plan, actor=self.youth, topic="insurance", status="todo", note="", version=1
                )

    def test_it_refuses_transition_changes_before_16_and_a_half(self) -> None:
        with frozen(date(2026, 1, 1)):
            plan = self.with_access(self.youth)
            with self.assertRaises(services.PlanError):
                services.update_transition(
                    plan, actor=self.youth, topic="housing", status="arranged", note="", version=0
                )

    def test_reminders_are_sent_once_before_the_18th_birthday(self) -> None:
        with frozen(date(2026, 9, 1)):
            self.assertEqual(services.send_reminders(), 0)
        with frozen(date(2026, 9, 13)):
            self.assertEqual(services.send_reminders(), 1)  # transition starts
            self.assertEqual(services.send_reminders(), 0)  # not twice
        with frozen(date(2027, 9, 20)):
            self.assertEqual(services.send_reminders(), 1)  # 180 days before
        with frozen(date(2028, 2, 20)):
            self.assertEqual(services.send_reminders(), 2)  # 90 and 30 days before
        with frozen(date(2028, 3, 16)):
            self.assertEqual(services.send_reminders(), 0)  # after the birthday
        keys = set(Reminder.objects.values_list("key", flat=True))
        self.assertEqual(keys, {"transition-start", "18-in-180", "18-in-90", "18-in-30"})
        self.assertEqual(self.youth.notifications.filter(kind="family_plans.reminder").count(), 4)
        self.assertEqual(
            self.coordinator.notifications.filter(kind="family_plans.reminder").count(), 4
        )

    def test_an_evaluation_due_is_reminded(self) -> None:
        self.youth_person.date_of_birth = date(2020, 1, 1)
        self.youth_person.save()
        with frozen(date(2026, 5, 4)):
            plan = self.with_access(self.coordinator)
            services.plan_evaluation(
                plan,
                actor=self.coordinator,
                starts_at=datetime(2026, 5, 6, 10, tzinfo=AMS),
            )
            self.assertEqual(services.send_reminders(), 1)
        self.assertTrue(
            self.parent.notifications.filter(title__contains="06-05-2026 10:00").exists()
        )

    def test_the_reminder_command_runs(self) -> None:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        with frozen(date(2026, 9, 13)):
            call_command("family_plan_reminders", stdout=out)
        self.assertIn("1", out.getvalue())
        self.assertLess(timezone.now().year, 3000)
