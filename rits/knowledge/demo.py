"""The demo knowledge hub: the seed practices running in Parkstad and in two other
regions (with experience reports and fit checks, so "does it fit here?" has regions to
compare with), and one learning network with updates, a held meeting with final
minutes and a planned one. Idempotent: nothing is added twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.demo.region import DemoRegion
from rits.knowledge import seeds, services
from rits.knowledge.models import FitAnswer, FitCheck, Meeting, Member, Network, NetworkTheme
from rits.regions.models import Municipality, YouthCareRegion

NETWORK_NAME = "Leernetwerk Samen in Parkstad"


def build(demo: DemoRegion) -> None:
    jim, academy, table = seeds.load()
    if Network.objects.filter(name=NETWORK_NAME, region=demo.region).exists():
        return
    professional = demo.people["professional"]
    friesland = YouthCareRegion.objects.get(code="JZ02")
    utrecht = YouthCareRegion.objects.get(code="JZ22")
    today = timezone.localdate()
    services.add_report(
        jim,
        actor=professional,
        region=demo.region,
        municipality=demo.municipalities["heerlen"],
        organisation=demo.organisations["area_team_heerlen"],
        written_on=today - timedelta(days=40),
        adapted="We vragen al bij het eerste gesprek naar een JIM, niet pas later.",
        effort="Twee dagdelen training voor het hele team.",
        result=(
            "Vijf jongeren hebben nu een JIM. Twee van hen hadden anders zwaardere hulp gekregen."
        ),
    )
    services.add_report(
        jim,
        actor=professional,
        region=friesland,
        municipality=Municipality.objects.get(code="GM0080"),
        written_on=today - timedelta(days=200),
        adapted="De JIM krijgt een vast aanspreekpunt in het wijkteam.",
        effort="Een coördinator voor twee dagen per week.",
        result="Jongeren blijven na hun 18e vaker in contact met hun JIM.",
    )
    services.add_report(
        academy,
        actor=professional,
        region=utrecht,
        municipality=Municipality.objects.get(code="GM0344"),
        written_on=today - timedelta(days=90),
        adapted="Er is kinderopvang tijdens de bijeenkomst.",
        effort="Een buurthuis, een ervaren ouder en een hulpverlener.",
        result="Ouders vragen eerder om hulp en helpen elkaar ook buiten de groep.",
    )
    services.add_report(
        table,
        actor=professional,
        region=friesland,
        municipality=Municipality.objects.get(code="GM0074"),
        written_on=today - timedelta(days=120),
        result="28 gesprekken; wat vaak vastloopt: hulpverleners praten te weinig met elkaar.",
    )
    # Friesland answered JIM's fit check before it started: everything but the last.
    conditions = list(jim.conditions.all())
    check = FitCheck.objects.create(
        practice=jim, region=friesland, municipality=Municipality.objects.get(code="GM0080")
    )
    FitAnswer.objects.bulk_create(
        FitAnswer(check_run=check, condition=c, met=i < len(conditions) - 1)
        for i, c in enumerate(conditions)
    )
    _network(demo, jim)


def _network(demo: DemoRegion, jim: object) -> None:
    facilitator = demo.people["facilitator"]
    orgs = demo.organisations
    network = services.create_network(
        actor=facilitator,
        name=NETWORK_NAME,
        theme=NetworkTheme.INTEGRATED_WORK,
        region=demo.region,
        organisation_ids=[orgs[k].pk for k in ("area_team_heerlen", "youth_care", "ggz", "school")],
        description=(
            "Partners in Parkstad vertellen elkaar wat ze doen, wat goed gaat en wat ze veranderen."
        ),
    )
    for key, org in (
        ("professional", "area_team_heerlen"),
        ("youth_care_worker", "youth_care"),
        ("ggz_worker", "ggz"),
        ("school_worker", "school"),
    ):
        services.add_member(
            network,
            actor=facilitator,
            user=demo.people[key],
            role=Member.Role.PROFESSIONAL,
            organisation=orgs[org],
        )
    if "parent" in demo.people:
        services.add_member(
            network, actor=facilitator, user=demo.people["parent"], role=Member.Role.PARENT
        )
    for key, text, well in (
        (
            "professional",
            "We vragen in elk eerste gesprek naar een JIM.",
            "Jongeren kiezen vaker dan we dachten iemand uit de sport.",
        ),
        (
            "youth_care_worker",
            "Wachttijden houden we elke week bij op de sociale kaart.",
            "Gebiedsteams bellen ons minder vaak voor niets.",
        ),
        ("ggz_worker", "Een vast spreekuur op twee scholen.", ""),
    ):
        services.post_update(network, actor=demo.people[key], working_on=text, went_well=well)
    held = Meeting.objects.create(
        network=network,
        title="Bijeenkomst over samenwerken rond school",
        starts_at=timezone.now() - timedelta(days=14),
        location="Gebiedsteam Heerlen-Noord",
    )
    members = list(network.members.all())
    services.close_meeting(
        held,
        actor=facilitator,
        report="We hebben gesproken over hoe school en gebiedsteam elkaar sneller vinden.",
        attended=[m.pk for m in members[:4]],
        actions=[
            services.ActionData(
                "Telefoonlijst van contactpersonen op de sociale kaart zetten",
                members[1].pk,
                timezone.localdate() + timedelta(days=30),
            )
        ],
        practice_ids=[jim.pk],  # type: ignore[attr-defined]
    )
    minutes = services.save_minutes(
        held,
        actor=facilitator,
        text="Aanwezig: vier partners.\nAfspraak: één contactpersoon per school.",
    )
    services.amend_minutes(
        minutes, actor=demo.people["professional"], text="Ook de JGZ uitnodigen."
    )
    services.finalise_minutes(minutes, actor=facilitator)
    services.plan_meeting(
        network,
        actor=facilitator,
        title="Bijeenkomst: de overgang naar 18",
        starts_at=timezone.now() + timedelta(days=10),
        location="Stadhuis Heerlen",
        agenda=["Wat gaat er goed bij de overgang naar 18?", "JIM na je 18e", "Afspraken"],
    )
