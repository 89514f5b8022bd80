"""The family of the family-plan tests, its plan closed and proposed for a dialogue table,
with its names written into the plan's free text; a chair from outside the care team."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from rits.accounts.models import Membership, Organisation, User
from rits.dialogues import services
from rits.dialogues.models import Code, DialogueTable, Kind, Participant, Trajectory
from rits.family_plans.models import Action, Decision, Goal, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import AuditAssertions, make_user

# Everything that must never reach an account, a finding or an export.
# ("Jongere" and "Regisseur", the personas' surnames, are also plain Dutch words.)
LEAKS = [
    "Jesse",
    "Petra",
    "Ria",
    "Pim",
    "Jan Mentor",
    "123456782",
    "6411 AB",
    "Akerstraat 12",
    "jesse@example.nl",
    "12-03-2011",
]


def dialogue_ids(case: FamilyPlanTestCase) -> dict[str, int]:
    """One of each dialogue object the routes take an id of, none of them the outsider's:
    for the walkers over every route (``rits/tests``)."""
    from rits.dialogues.models import Coding, Finding, ImprovementAction, TableCase

    code = Code.objects.filter(region=case.region, kind=Kind.IMPROVEMENT).first()
    assert code is not None
    trajectory = Trajectory.objects.create(
        region=case.region, source=Trajectory.Source.PLAN, plan=case.plan, title="Traject"
    )
    table = DialogueTable.objects.create(
        region=case.region,
        title="Tafel",
        facilitator=case.facilitator,
        starts_at=timezone.now() + timedelta(days=3),
    )
    TableCase.objects.create(table=table, trajectory=trajectory)
    finding = Finding.objects.create(
        table=table, trajectory=trajectory, text="x", phase="help", view="shared"
    )
    Coding.objects.create(finding=finding, code=code, counted_code=code, coder=case.facilitator)
    action = ImprovementAction.objects.create(
        finding=finding,
        region=case.region,
        what="y",
        owner_organisation=case.gemeente,
        owner=case.facilitator,
        due_date=timezone.localdate() + timedelta(days=9),
    )
    return {
        "trajectory_id": trajectory.pk,
        "table_id": table.pk,
        "finding_id": finding.pk,
        "improvement_id": action.pk,
        "code_id": code.pk,
    }


def trigger_dialogue_events(case: FamilyPlanTestCase) -> None:
    """Every dialogue event about one family's trajectory, once, for the NEN 7513 walk."""
    from rits.dialogues.models import Finding
    from rits.family_plans.permissions import get_plan_for_user
    from rits.testing import login

    Plan.objects.filter(pk=case.plan.pk).update(status=Plan.Status.CLOSED, closed_at=timezone.now())
    # The parent: by now the family plan's own walk has changed who is in the care team.
    plan = get_plan_for_user(case.parent, case.plan.pk)
    trajectory = services.propose_plan(plan, actor=case.parent, title="Terugkijken")
    with case.assertRaises(services.DialogueError):
        services.give_consent(trajectory, actor=case.jim, person=None)
    services.give_consent(trajectory, actor=case.parent, person=case.parent_person)
    services.give_consent(trajectory, actor=case.youth, person=case.youth_person)
    login(case.client, case.parent)
    case.client.get(f"/dialoogtafels/toestemming/{trajectory.pk}/")
    table = services.open_table(
        case.region, actor=case.facilitator, kind="case", title="Tafel", trajectories=[trajectory]
    )
    with case.assertRaises(services.DialogueError):
        services.invite(table, actor=case.facilitator, user=case.professional, role="chair")
    chair = make_user("voorzitter-nen@test.rits.nl", "Vera Voorzitter")
    Membership.objects.create(
        user=chair, organisation=case.org_b, role=Membership.Role.PROFESSIONAL
    )
    seat = services.invite(table, actor=case.facilitator, user=chair, role="chair")
    services.invite(table, actor=case.facilitator, user=case.researcher, role="second_coder")
    services.answer_invitation(seat, actor=chair, answer="accepted")
    account = services.prepare_account(table, actor=case.facilitator)
    account = services.edit_account(account, actor=case.facilitator, text="Verslag", version=1)
    services.release_account(account, actor=case.facilitator)
    services.mark_held(table, actor=case.facilitator, held_on=timezone.localdate())
    login(case.client, chair)
    case.client.get(f"/dialoogtafels/{table.pk}/")
    code = Code.objects.filter(region=case.region, kind=Kind.IMPROVEMENT).first()
    assert code is not None
    finding: Finding = services.record_finding(
        table, actor=chair, text="Eén plan", phase="plan", view="shared", codes=[code]
    )
    services.second_coding(finding, actor=case.researcher, codes=[code])
    action = services.create_action(
        finding,
        actor=chair,
        what="Afspraak",
        owner_organisation=case.org_a,
        owner=case.professional,
        due_date=timezone.localdate() + timedelta(days=2),
    )
    services.send_reminders()
    services.update_action(action, actor=case.professional, status="underway")
    other = services.enter_trajectory(
        case.region, actor=case.facilitator, title="Elders", summary="Hulp", youth_age=15
    )
    services.withdraw_consent(trajectory, actor=case.parent, person=case.parent_person)
    del other


def leaked(text: str, names: list[str] = LEAKS) -> list[str]:
    """The names (as whole words, any case) that occur in ``text``."""
    import re

    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]


class DialogueTestCase(AuditAssertions, FamilyPlanTestCase):
    chair: User
    institute: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.institute = Organisation.objects.create(
            name="Kenniscentrum Zuid (test)",
            kind=Organisation.Kind.KNOWLEDGE_INSTITUTE,
            region=cls.region,
        )
        cls.chair = make_user("voorzitter@test.rits.nl", "Vera Voorzitter")
        Membership.objects.create(
            user=cls.chair, organisation=cls.institute, role=Membership.Role.PROFESSIONAL
        )
        plan = cls.plan
        Goal.objects.create(
            plan=plan,
            domain="school_work",
            title="Jesse gaat weer naar school",
            description="Petra brengt Jesse elke ochtend; Ria belt de mentor. Geboren 12-03-2011.",
            status="reached",
            outcome="Jesse Jongere zit weer in de klas.",
        )
        Action.objects.create(plan=plan, what="Gesprek met school", who="Pim en Petra")
        Decision.objects.create(
            plan=plan,
            title="Verhuizen naar de Akerstraat 12, 6411 AB Heerlen",
            text="BSN van Jesse: 123456782, mail jesse@example.nl",
            grounds="Jan Mentor woont daar dichtbij",
        )
        Plan.objects.filter(pk=plan.pk).update(
            status=Plan.Status.CLOSED,
            closed_at=timezone.now(),
            close_reason="Doelen bereikt, Jesse en Petra tevreden",
        )
        plan.refresh_from_db()

    def code(self, kind: str = Kind.BOTTLENECK, n: int = 0) -> Code:
        return list(Code.objects.filter(region=self.region, kind=kind).order_by("name"))[n]

    def propose(self) -> Trajectory:
        from rits.family_plans.permissions import get_plan_for_user

        plan = get_plan_for_user(self.coordinator, self.plan.pk)
        return services.propose_plan(plan, actor=self.coordinator, title="Terugkijken met Jesse")

    def consent(self, trajectory: Trajectory) -> None:
        services.give_consent(trajectory, actor=self.parent, person=self.parent_person)
        services.give_consent(trajectory, actor=self.youth, person=self.youth_person)

    def open_table(self, *, held: bool = True) -> DialogueTable:
        trajectory = self.propose()
        self.consent(trajectory)
        table = services.open_table(
            self.region,
            actor=self.facilitator,
            kind=DialogueTable.Kind.CASE,
            title="Dialoogtafel schoolgang",
            trajectories=[trajectory],
            starts_at=timezone.now() + timedelta(days=7),
            location="Stadhuis Heerlen",
        )
        services.invite(table, actor=self.facilitator, user=self.chair, role=Participant.Role.CHAIR)
        services.invite(
            table, actor=self.facilitator, user=self.parent, role=Participant.Role.PARENT
        )
        account = services.prepare_account(table, actor=self.facilitator)
        services.release_account(account, actor=self.facilitator)
        if held:
            services.mark_held(table, actor=self.facilitator, held_on=timezone.localdate())
        table.refresh_from_db()
        return table


def held_tables(
    case: FamilyPlanTestCase,
    n: int,
    codes: list[Code],
    *,
    held_on: date | None = None,
    municipality: object = None,
    text: str = "Segment",
) -> list[DialogueTable]:
    """``n`` held tables, each with one finding coded with all of ``codes`` (no trajectory:
    the synthesis counts what was coded, and needs five tables before it shows anything)."""
    from rits.dialogues.models import Coding, Finding

    made = []
    for i in range(n):
        table = DialogueTable.objects.create(
            region=case.region,
            municipality=municipality or case.heerlen,
            title=f"Tafel {i}",
            facilitator=case.facilitator,
            status=DialogueTable.Status.HELD,
            held_on=held_on or timezone.localdate(),
        )
        finding = Finding.objects.create(
            table=table, text=f"{text} {i}", phase="help", view="shared"
        )
        Coding.objects.bulk_create(
            Coding(finding=finding, code=c, counted_code=c, coder=case.facilitator) for c in codes
        )
        made.append(table)
    return made
