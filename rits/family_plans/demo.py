"""Demo families in different stages, for the demo region Parkstad.

- Gezin Bakker: new, plan just started (youth of 9, so the parents decide)
- Gezin Jansen: active, youth of 14 with a JIM; the parent and youth logins
- Gezin Smeets: youth of 17 in the transition to adulthood, with a JIM
- Gezin Hendriks: closed plan; the professionals left, the JIM stayed

Idempotent: a family that already exists is left alone. Birth dates are relative to
the day the demo is first built, so the ages above hold on that day.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from rits.accounts.models import User
from rits.demo.region import DEMO_PASSWORD, DemoRegion
from rits.family_plans import services
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Family,
    Goal,
    Person,
    Plan,
    Position,
)
from rits.family_plans.permissions import access_for
from rits.lib.ages import add_years
from rits.lib.pseudonyms import synthetic_bsn

EMAIL_DOMAIN = "demo.rits.nl"


def _born(years: int, months: int = 0) -> date:
    return add_years(timezone.localdate(), -years) - timedelta(days=30 * months + 10)


def _account(email: str, name: str, kind: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, kind=kind)
    return user


def _with_access(plan: Plan, user: User) -> Plan:
    plan.access = access_for(user, plan)  # type: ignore[attr-defined]
    return plan


def _start(
    demo: DemoRegion,
    rng: random.Random,
    *,
    starter: str,
    family: str,
    youth: str,
    years: int,
    months: int,
    parents: list[str],
) -> tuple[Plan, User]:
    actor = demo.people[starter]
    plan = services.start_plan(
        actor=actor,
        family_name=family,
        youth_name=youth,
        youth_birth=_born(years, months),
        youth_bsn=synthetic_bsn(rng),
        parent_names=parents,
        municipality=demo.municipalities["heerlen"],
        consent_in_person=True,
    )
    return _with_access(plan, actor), actor


def _join(plan: Plan, actor: User, professional: User, title: str) -> None:
    """A professional joins with the consent the family gave at the table (recorded)."""
    member = services.propose_member(plan, actor=actor, user=professional, title=title)
    for person in plan.family.persons.filter(role__in=[Person.Role.PARENT, Person.Role.YOUTH]):
        from rits.family_plans import rules

        if rules.may_consent(plan, person):
            services.give_consent(member, actor=actor, on_behalf_of=person)


def _jim(plan: Plan, name: str, years: int = 34) -> CareTeamMember:
    """A JIM chosen by the youth, with the consents the age rules ask for."""
    jim = Person.objects.create(
        family=plan.family, role=Person.Role.JIM, name=name, date_of_birth=_born(years)
    )
    from rits.family_plans.models import Relationship

    Relationship.objects.create(
        family=plan.family,
        from_person=jim,
        to_person=plan.youth,
        kind=Relationship.Kind.MENTOR_OF,
        strength=3,
    )
    member = CareTeamMember.objects.create(
        plan=plan, kind=CareTeamMember.Kind.INFORMAL, person=jim, title="JIM"
    )
    for person in plan.family.persons.filter(role__in=[Person.Role.PARENT, Person.Role.YOUTH]):
        Consent.objects.create(member=member, purpose=Consent.Purpose.PLAN, given_by=person)
    member.status = CareTeamMember.Status.ACTIVE
    member.save(update_fields=["status"])
    return member


def _goals(plan: Plan, actor: User, goals: list[tuple[str, str]]) -> list[Goal]:
    return [services.add_goal(plan, actor=actor, domain=d, title=t) for d, t in goals]


def build(demo: DemoRegion) -> None:
    """Build the four families. The services notify people as they would in real use;
    the in-app notifications stay, the e-mails are dropped (the demo prints only its
    progress, and the addresses are fictional)."""
    rng = random.Random(4)  # noqa: S311  (synthetic BSNs; own seed keeps other apps' data stable)
    steps = [_bakker, _jansen, _smeets, _hendriks]
    with services.in_app_only():
        for i, step in enumerate(steps, 1):
            step(demo, rng)
            demo.progress("family plans", i, len(steps))


def _bakker(demo: DemoRegion, rng: random.Random) -> None:
    if Family.objects.filter(name="Gezin Bakker").exists():
        synthetic_bsn(rng)
        return
    plan, actor = _start(
        demo,
        rng,
        starter="professional",
        family="Gezin Bakker",
        youth="Noah Bakker",
        years=9,
        months=2,
        parents=["Sanne Bakker", "Tom Bakker"],
    )
    _goals(plan, actor, [("parenting", "Rustiger naar bed zonder ruzie")])


def _jansen(demo: DemoRegion, rng: random.Random) -> None:
    parent_user = _account(f"ouder@{EMAIL_DOMAIN}", "Linda Jansen", User.Kind.FAMILY)
    youth_user = _account(f"jongere@{EMAIL_DOMAIN}", "Daan Jansen", User.Kind.FAMILY)
    demo.people["parent"] = parent_user
    demo.people["youth"] = youth_user
    if Family.objects.filter(name="Gezin Jansen").exists():
        synthetic_bsn(rng)
        return
    plan, actor = _start(
        demo,
        rng,
        starter="professional",
        family="Gezin Jansen",
        youth="Daan Jansen",
        years=14,
        months=4,
        parents=["Linda Jansen"],
    )
    Person.objects.filter(family=plan.family, role=Person.Role.YOUTH).update(user=youth_user)
    Person.objects.filter(family=plan.family, role=Person.Role.PARENT).update(user=parent_user)
    services.add_person(
        plan, actor=actor, role=Person.Role.SIBLING, name="Eva Jansen", date_of_birth=_born(10)
    )
    services.add_person(plan, actor=actor, role=Person.Role.GRANDPARENT, name="Opa Jansen")
    services.add_person(plan, actor=actor, role=Person.Role.COACH, name="Trainer voetbalclub")
    _jim(plan, "Mehmet Yilmaz")
    _join(plan, actor, demo.people["youth_care_worker"], "Jeugdhulpverlener")
    _join(plan, actor, demo.people["school_worker"], "Zorgcoördinator school")
    goals = _goals(
        plan,
        actor,
        [
            ("school_work", "Ik wil elke dag naar school gaan"),
            ("parenting", "Minder ruzie thuis over de telefoon"),
            ("network", "Een vaste sport naast school"),
            ("health", "Op tijd slapen, ook in het weekend"),
        ],
    )
    for goal, (fam, pro) in zip(goals, [(6, 5), (4, 5), (7, 7), (5, 4)], strict=True):
        services.score_goal(
            goal, actor=parent_user, plan=_with_access(plan, parent_user), score=fam
        )
        services.score_goal(goal, actor=actor, plan=_with_access(plan, actor), score=pro)
    plan = _with_access(plan, actor)
    today = timezone.localdate()
    for what, who, days, goal in [
        ("Afspraak met mentor over rooster", "Linda", 7, goals[0]),
        ("Telefoon 's avonds in de keuken", "Daan", 3, goals[1]),
        ("Proeftraining bij de voetbalclub", "Mehmet (JIM)", 14, goals[2]),
        ("Gesprek met huisarts over slapen", "Linda", 21, goals[3]),
    ]:
        services.add_action(
            plan, actor=actor, what=what, who=who, due_date=today + timedelta(days=days), goal=goal
        )
    decision = services.propose_decision(
        plan,
        actor=actor,
        title="Daan gaat twee weekenden per maand naar opa",
        grounds="Rust voor iedereen",
        ask=[parent_user, youth_user],
    )
    services.answer_decision(
        decision,
        actor=parent_user,
        plan=_with_access(plan, parent_user),
        answer=Position.Answer.AGREE,
    )
    services.plan_evaluation(
        plan,
        actor=actor,
        starts_at=timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
        + timedelta(days=28),
        location="Gebiedsteam Heerlen",
    )
    services.set_coordinator(plan, actor=actor, user=parent_user)


def _smeets(demo: DemoRegion, rng: random.Random) -> None:
    if Family.objects.filter(name="Gezin Smeets").exists():
        synthetic_bsn(rng)
        return
    plan, actor = _start(
        demo,
        rng,
        starter="coordinator",
        family="Gezin Smeets",
        youth="Lisa Smeets",
        years=17,
        months=3,
        parents=["Karin Smeets"],
    )
    _jim(plan, "Ingrid Vos", years=52)
    _join(plan, actor, demo.people["youth_care_worker"], "Jeugdhulpverlener")
    _goals(
        plan,
        actor,
        [
            ("housing", "Op mijn 18e een kamer in Heerlen"),
            ("money", "Zelf mijn geld regelen"),
            ("school_work", "Mijn mbo-diploma halen"),
        ],
    )
    for topic, status, note in [
        ("insurance", "arranged", "Zorgverzekering aangevraagd, ingaand op 18e verjaardag"),
        ("who_stays", "arranged", "Ingrid blijft haar JIM na 18"),
        ("extended_care", "todo", "Verlengde jeugdhulp tot 21 bespreken"),
    ]:
        services.update_transition(
            plan, actor=actor, topic=topic, status=status, note=note, version=0
        )


def _hendriks(demo: DemoRegion, rng: random.Random) -> None:
    if Family.objects.filter(name="Gezin Hendriks").exists():
        synthetic_bsn(rng)
        return
    plan, actor = _start(
        demo,
        rng,
        starter="professional",
        family="Gezin Hendriks",
        youth="Milan Hendriks",
        years=15,
        months=8,
        parents=["Priya Hendriks"],
    )
    _jim(plan, "Joost de Boer", years=41)
    goals = _goals(
        plan,
        actor,
        [
            ("school_work", "Weer naar school na de zomer"),
            ("network", "Vrienden buiten de wijk"),
        ],
    )
    services.close_plan(
        plan,
        actor=actor,
        reason="Doelen bereikt; Joost blijft JIM.",
        outcomes={
            goals[0].pk: (Goal.Status.REACHED, "Gaat weer elke dag"),
            goals[1].pk: (Goal.Status.PARTLY, "Zit nu op judo"),
        },
    )
