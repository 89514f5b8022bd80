"""The family of the family-plan tests, its plan closed and proposed for a dialogue table,
with its names written into the plan's free text; a chair from outside the care team."""

from __future__ import annotations

from datetime import timedelta

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
