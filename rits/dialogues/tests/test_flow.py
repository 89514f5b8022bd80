"""A table from start to finish through the services, and the refusals on the way."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.accounts.models import Notification
from rits.dialogues import services
from rits.dialogues.models import (
    Account,
    Code,
    DialogueTable,
    ImprovementAction,
    Kind,
    Participant,
)
from rits.dialogues.tests.base import DialogueTestCase, leaked


class FlowTests(DialogueTestCase):
    def test_a_table_from_proposal_to_closed_action(self) -> None:
        table = self.open_table()
        self.assertEqual(table.status, DialogueTable.Status.HELD)
        account = Account.objects.get(table=table)
        self.assertIn("jongere (14)", account.text)
        self.assertIn("hulpverlener jeugdhulp", account.text)
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="Petra moest het verhaal drie keer vertellen; Ria wist niet wat Pim deed.",
            phase="help",
            view="parent",
            codes=[self.code(Kind.BOTTLENECK), self.code(Kind.IMPROVEMENT)],
        )
        self.assertNotIn("Petra", finding.text)
        action = services.create_action(
            finding,
            actor=self.chair,
            what="Warme overdracht afspreken",
            owner_organisation=self.org_a,
            owner=self.professional,
            due_date=timezone.localdate() + timedelta(days=30),
        )
        self.assertTrue(
            Notification.objects.filter(user=self.professional, kind="dialogues.action").exists()
        )
        services.update_action(action, actor=self.professional, status="underway", note="Gestart")
        services.update_action(
            action, actor=self.professional, status="done", result="Staat in de werkwijze"
        )
        action.refresh_from_db()
        self.assertEqual(action.status, ImprovementAction.Status.DONE)
        self.assertEqual(
            list(action.history.values_list("status", flat=True)), ["open", "underway", "done"]
        )
        self.assert_audited("dialogues.action_updated", actor=self.professional, count=2)

    def test_the_account_names_nobody(self) -> None:
        table = self.open_table()
        text = Account.objects.get(table=table).text
        self.assertEqual(leaked(text), [])

    def test_no_account_before_consent_is_complete(self) -> None:
        trajectory = self.propose()
        services.give_consent(trajectory, actor=self.parent, person=self.parent_person)
        self.assertEqual(services.missing_consent(trajectory), ["youth"])  # 14: both decide
        table = services.open_table(
            self.region, actor=self.facilitator, kind="case", title="T", trajectories=[trajectory]
        )
        with self.assertRaises(services.DialogueError):
            services.prepare_account(table, actor=self.facilitator)
        self.assertFalse(Account.objects.filter(table=table).exists())

    def test_a_youth_of_16_decides_alone(self) -> None:
        from rits.family_plans.models import Person
        from rits.family_plans.tests.base import born_years_ago

        Person.objects.filter(pk=self.youth_person.pk).update(date_of_birth=born_years_ago(16))
        trajectory = self.propose()
        services.give_consent(trajectory, actor=self.youth, person=self.youth_person)
        self.assertTrue(services.consent_complete(trajectory))

    def test_under_12_the_parents_decide(self) -> None:
        from rits.family_plans.models import Person
        from rits.family_plans.tests.base import born_years_ago

        Person.objects.filter(pk=self.youth_person.pk).update(date_of_birth=born_years_ago(10))
        trajectory = self.propose()
        self.assertEqual(services.missing_consent(trajectory), ["parent"])

    def test_someone_outside_the_household_cannot_consent(self) -> None:
        trajectory = self.propose()
        with self.assertRaises(services.DialogueError):
            services.give_consent(trajectory, actor=self.jim, person=None, giver="")
        self.assertFalse(trajectory.consents.exists())
        self.assert_audited("dialogues.consent_refused", actor=self.jim, outcome="denied")

    def test_withdrawal_before_the_table_removes_the_trajectory(self) -> None:
        table = self.open_table(held=False)
        trajectory = table.trajectories.get()
        services.withdraw_consent(trajectory, actor=self.parent, person=self.parent_person)
        self.assertFalse(table.trajectories.exists())
        self.assertFalse(Account.objects.filter(table=table).exists())

    def test_withdrawal_after_the_table_stops_further_use(self) -> None:
        from rits.dialogues import synthesis

        table = self.open_table()
        trajectory = table.trajectories.get()
        services.record_finding(
            table,
            actor=self.chair,
            text="Lang wachten",
            phase="access",
            view="shared",
            codes=[self.code()],
        )
        scope = synthesis.Scope(
            region_id=self.region.pk,
            start=timezone.localdate() - timedelta(days=1),
            end=timezone.localdate(),
        )
        self.assertEqual(synthesis.segments(scope, [self.code().pk]).count(), 1)
        services.withdraw_consent(trajectory, actor=self.parent, person=self.parent_person)
        self.assertTrue(table.trajectories.exists())  # the table happened
        self.assertEqual(synthesis.segments(scope, [self.code().pk]).count(), 0)
        self.assertEqual(synthesis.code_counts(scope), [])

    def test_a_chair_from_the_care_team_is_refused(self) -> None:
        table = self.open_table(held=False)
        before = Participant.objects.count()
        with self.assertRaises(services.DialogueError):
            services.invite(table, actor=self.facilitator, user=self.professional, role="chair")
        self.assertEqual(Participant.objects.count(), before)
        self.assert_audited("dialogues.chair_refused", outcome="denied")

    def test_a_code_of_another_region_is_refused(self) -> None:
        table = self.open_table()
        foreign = Code.objects.exclude(region=self.region).first()
        assert foreign is not None
        with self.assertRaises(services.DialogueError):
            services.record_finding(
                table, actor=self.chair, text="x", phase="help", view="shared", codes=[foreign]
            )
        self.assertFalse(table.findings.exists())

    def test_an_action_needs_an_owner_and_a_due_date_not_past(self) -> None:
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="x",
            phase="help",
            view="shared",
            codes=[self.code(Kind.IMPROVEMENT)],
        )
        for owner_org, owner, due in (
            (None, None, timezone.localdate() + timedelta(days=3)),
            (self.org_a, self.professional, timezone.localdate() - timedelta(days=1)),
            (self.org_b, self.professional, timezone.localdate() + timedelta(days=3)),
        ):
            with self.assertRaises(services.DialogueError):
                services.create_action(
                    finding,
                    actor=self.chair,
                    what="x",
                    owner_organisation=owner_org,
                    owner=owner,
                    due_date=due,
                )
        self.assertFalse(ImprovementAction.objects.exists())

    def test_reminders_go_once(self) -> None:
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
            due_date=timezone.localdate() + timedelta(days=2),
        )
        self.assertEqual(services.send_reminders(), 1)
        self.assertEqual(services.send_reminders(), 0)
        self.assertEqual(services.send_reminders(timezone.localdate() + timedelta(days=8)), 1)
        self.assertEqual(Notification.objects.filter(kind="dialogues.action_reminder").count(), 2)
