"""The chronological account Rits prepares from a closed plan, with every person replaced
by their role and every date by the month of the trajectory it fell in.

The account is written in Dutch (it is read at the table), whatever the language of the
facilitator who prepares it. The facilitator reviews and edits it before anyone else
sees it (``services.release_account``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone, translation

from rits.accounts.models import Organisation
from rits.dialogues.models import Trajectory
from rits.dialogues.pseudonyms import marks_for, scrub
from rits.family_plans.models import CareTeamMember, Person, Plan
from rits.lib.ages import age_on

PERSON_LABELS: dict[str, str] = {
    Person.Role.PARENT: "ouder",
    Person.Role.SIBLING: "broer of zus",
    Person.Role.GRANDPARENT: "grootouder",
    Person.Role.NEIGHBOUR: "buur",
    Person.Role.COACH: "coach",
    Person.Role.JIM: "JIM",
    Person.Role.OTHER: "iemand uit het netwerk",
}
ORGANISATION_LABELS: dict[str, str] = {
    Organisation.Kind.AREA_TEAM: "hulpverlener gebiedsteam",
    Organisation.Kind.YOUTH_CARE_PROVIDER: "hulpverlener jeugdhulp",
    Organisation.Kind.YOUTH_HEALTH_CARE: "jeugdverpleegkundige JGZ",
    Organisation.Kind.EDUCATION: "medewerker school",
    Organisation.Kind.MUNICIPALITY: "medewerker gemeente",
    Organisation.Kind.VEILIG_THUIS: "medewerker Veilig Thuis",
    Organisation.Kind.MENTAL_HEALTH: "hulpverlener GGZ",
    Organisation.Kind.POLICE: "politie",
    Organisation.Kind.KNOWLEDGE_INSTITUTE: "onderzoeker",
}


def youth_label(age: int | None) -> str:
    return f"jongere ({age})" if age is not None else "jongere"


def plan_youth_age(plan: Plan) -> int | None:
    birth = plan.youth.date_of_birth
    end = timezone.localdate(plan.closed_at) if plan.closed_at else timezone.localdate()
    return age_on(birth, end) if birth else None


def member_label(member: CareTeamMember) -> str:
    if member.kind == CareTeamMember.Kind.INFORMAL and member.person is not None:
        return PERSON_LABELS.get(member.person.role, "iemand uit het netwerk")
    if member.organisation is not None:
        return ORGANISATION_LABELS.get(member.organisation.kind, "hulpverlener")
    return "hulpverlener"


def plan_names(plan: Plan) -> list[tuple[str, str]]:
    """Every name in and around the plan, with the role that replaces it."""
    youth = youth_label(plan_youth_age(plan))
    names = []
    for person in plan.family.persons.all():
        if person.pk == plan.youth_id:
            label = youth
        elif person.role == Person.Role.YOUTH:
            label = "jongere"
        else:
            label = PERSON_LABELS.get(person.role, "iemand uit het netwerk")
        names.append((person.name, label))
    for member in plan.members.select_related("user", "organisation", "person"):
        if member.user is not None:
            names.append((member.user.full_name, member_label(member)))
    if plan.coordinator is not None:
        names.append((plan.coordinator.full_name, "regisseur"))
    return names


def name_marks_for_plan(plan: Plan) -> dict[str, str]:
    return marks_for(plan_names(plan))


def _month(start: datetime, moment: datetime | date | None) -> str:
    if moment is None:
        return "maand ?"
    day = timezone.localdate(moment) if isinstance(moment, datetime) else moment
    first = timezone.localdate(start)
    months = (day.year - first.year) * 12 + day.month - first.month + 1
    return f"maand {max(months, 1)}"


def _lines_for_plan(plan: Plan) -> Iterable[tuple[datetime, str]]:
    start = plan.created_at
    members = list(plan.members.select_related("organisation", "person"))
    involved = sorted({member_label(m) for m in members})
    yield (
        start,
        f"{_month(start, start)} — het gezinsplan begint. Betrokken: {', '.join(involved)}.",
    )
    for goal in plan.goals.all():
        text = (
            f"{_month(start, goal.created_at)} — doel ({goal.get_domain_display()}): {goal.title}."
        )
        if goal.description:
            text += f" {goal.description}"
        text += f" Stand aan het einde: {goal.get_status_display().lower()}."
        if goal.outcome:
            text += f" Uitkomst: {goal.outcome}"
        yield goal.created_at, text
    for action in plan.actions.all():
        text = f"{_month(start, action.created_at)} — afspraak: {action.what} (wie: {action.who})"
        if action.due_date:
            text += f", klaar in {_month(start, action.due_date)}"
        text += f". Stand: {action.get_status_display().lower()}."
        yield action.created_at, text
    for decision in plan.decisions.all():
        text = f"{_month(start, decision.created_at)} — besluit: {decision.title}."
        if decision.text:
            text += f" {decision.text}"
        if decision.grounds:
            text += f" Waarom: {decision.grounds}"
        text += f" ({decision.get_status_display().lower()})"
        yield decision.created_at, text
    for evaluation in plan.evaluations.all():
        yield evaluation.starts_at, f"{_month(start, evaluation.starts_at)} — evaluatie."
    if plan.closed_at:
        text = f"{_month(start, plan.closed_at)} — het gezinsplan wordt gesloten."
        if plan.close_reason:
            text += f" Reden: {plan.close_reason}"
        yield plan.closed_at, text


def account_for(trajectory: Trajectory) -> str:
    """The pseudonymised account of one trajectory."""
    with translation.override("nl"):
        head = [f"Traject: {trajectory.title}"]
        if trajectory.municipality_id:
            head.append(f"Gemeente: {trajectory.municipality.name}")  # type: ignore[union-attr]
        if trajectory.plan is not None:
            plan = trajectory.plan
            head.append(f"Wie: {youth_label(plan_youth_age(plan))}")
            lines = [text for _, text in sorted(_lines_for_plan(plan), key=lambda pair: pair[0])]
        else:
            head.append(f"Wie: {youth_label(trajectory.youth_age)}")
            lines = [trajectory.summary] if trajectory.summary else []
    # The head holds no names (the title was cleared when it was typed); the body is
    # cleared here.
    return "\n".join(head) + "\n\n" + scrub("\n".join(lines), trajectory.name_marks)


def table_account(trajectories: Iterable[Trajectory]) -> str:
    parts = [account_for(t) for t in trajectories]
    return ("\n\n" + "—" * 20 + "\n\n").join(parts).strip() + "\n"


def scrub_for_table(text: str, trajectories: Iterable[Trajectory]) -> str:
    """Free text written at a table (a finding, an edit of the account) without the names
    of any family whose trajectory is on it."""
    marks: dict[str, str] = {}
    for trajectory in trajectories:
        marks.update(trajectory.name_marks)
    return scrub(text, marks)
