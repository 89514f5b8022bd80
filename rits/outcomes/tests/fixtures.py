"""A hand-counted world for the monitor's tests, built straight in the other apps'
tables (the monitor only reads them). Every figure the tests expect is counted by
hand from what is written here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.directory.models import Provider, Service, ServiceArea, Theme
from rits.family_plans.models import (
    CareTeamMember,
    Family,
    Goal,
    Person,
    Plan,
    TransitionItem,
    TransitionTopic,
)
from rits.involvement.models import Match, MatchMember, Signal
from rits.lib.ages import add_years
from rits.regions.models import Municipality

TODAY = date(2026, 6, 15)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def signal(
    municipality: Municipality,
    reporter: User,
    organisation: Organisation,
    day: date,
    youth: str,
    parent: str = "",
) -> Signal:
    return Signal.objects.create(
        youth_pseudonym=youth.ljust(64, "0"),
        parent1_pseudonym=parent.ljust(64, "0") if parent else "",
        birth_date=date(2015, 1, 1),
        municipality=municipality,
        reporter=reporter,
        organisation=organisation,
        contact_name="Test",
        contact_email="test@test.rits.nl",
        registered_at=at(day),
        ends_on=date(2027, 1, 1),
    )


def match(kind: str, members: list[Signal], day: date, **kw: Any) -> Match:
    found = Match.objects.create(kind=kind, key="k" * 64, created_at=at(day), **kw)
    for n, member in enumerate(members):
        MatchMember.objects.create(match=found, signal=member, joined_at=at(day) + timedelta(n))
    return found


def family_plan(
    municipality: Municipality,
    started: date,
    *,
    first_contact: date | None = None,
    youth_key: str = "",
    born: date | None = None,
    coordinator: User | None = None,
    family_coordinates: bool = False,
    jim: bool = False,
) -> Plan:
    family = Family.objects.create(
        name="Gezin (test)", municipality=municipality, created_at=at(first_contact or started)
    )
    youth = Person.objects.create(
        family=family,
        role=Person.Role.YOUTH,
        name="Jongere",
        date_of_birth=born or date(2012, 3, 3),
        bsn_pseudonym=youth_key.ljust(64, "0") if youth_key else "",
    )
    lead = coordinator
    if family_coordinates:
        lead = User.objects.create_user(
            f"ouder{Person.objects.count()}@test.rits.nl",
            "x" * 20,
            full_name="Ouder",
            kind="family",
        )
        Person.objects.create(family=family, role=Person.Role.PARENT, name="Ouder", user=lead)
    plan = Plan.objects.create(family=family, youth=youth, coordinator=lead, created_at=at(started))
    if jim:
        mentor = Person.objects.create(family=family, role=Person.Role.JIM, name="Mentor")
        CareTeamMember.objects.create(
            plan=plan,
            kind=CareTeamMember.Kind.INFORMAL,
            person=mentor,
            status=CareTeamMember.Status.ACTIVE,
            created_at=at(started),
        )
    return plan


def goal(plan: Plan, status: str, day: date) -> Goal:
    return Goal.objects.create(
        plan=plan, domain="health", title="Doel", status=status, updated_at=at(day)
    )


def settle_transition(plan: Plan, topics: int | None = None) -> None:
    for topic, _label in TransitionTopic.choices[:topics]:
        TransitionItem.objects.create(plan=plan, topic=topic, status=TransitionItem.Status.ARRANGED)


def service(
    provider: Provider,
    municipalities: list[Municipality],
    themes: list[Theme],
    wait: int | None,
    confirmed: date | None,
) -> Service:
    made = Service.objects.create(
        provider=provider,
        name=f"Dienst {Service.objects.count()}",
        description="Test",
        wait_weeks=wait,
        wait_confirmed_on=confirmed,
    )
    made.themes.set(themes)
    for municipality in municipalities:
        ServiceArea.objects.create(service=made, municipality=municipality)
    return made


def born_turning(age: int, on: date) -> date:
    return add_years(on, -age)
