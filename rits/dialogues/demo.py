"""Demo dialogue tables: six held tables on trajectories entered by hand (so the synthesis
has figures from five tables or more), with coded findings and improvement actions, and
one table in preparation. Idempotent: demo tables carry the title prefix "Demo:"."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.demo.region import DemoRegion
from rits.dialogues import services
from rits.dialogues.models import Code, DialogueTable, Kind

PREFIX = "Demo:"
TABLES = [
    (
        "schoolverzuim",
        15,
        "heerlen",
        [
            (
                "Moeder moest haar verhaal vier keer vertellen.",
                "access",
                "parent",
                ["Niemand wist wat de ander deed", "Wachten op hulp"],
            ),
            (
                "De mentor en het gebiedsteam belden elkaar direct.",
                "help",
                "professional",
                ["Korte lijnen"],
            ),
            (
                "Spreek een warme overdracht af met het gezin erbij.",
                "ending",
                "shared",
                ["Vaste manier van overdragen"],
            ),
        ],
    ),
    (
        "overgang naar 18",
        17,
        "landgraaf",
        [
            (
                "Op de achttiende verjaardag stopte de jeugdhulp.",
                "ending",
                "youth",
                ["Knip tussen organisaties"],
            ),
            (
                "De JIM bleef, ook na het einde van de hulp.",
                "ending",
                "youth",
                ["Netwerk van het gezin betrokken"],
            ),
            (
                "Zet de overgang vanaf 16,5 jaar op de agenda.",
                "plan",
                "shared",
                ["Van knip naar rits"],
            ),
        ],
    ),
    (
        "zorgen om veiligheid thuis",
        12,
        "voerendaal",
        [
            (
                "Drie organisaties hadden elk hun eigen plan.",
                "plan",
                "parent",
                ["Geen overkoepelende aanpak", "Niemand wist wat de ander deed"],
            ),
            ("Vader schreef de doelen zelf op.", "plan", "parent", ["Regie bij jongere en ouders"]),
        ],
    ),
    (
        "wachtlijst GGZ",
        14,
        "heerlen",
        [
            ("Vier maanden wachten op een intake.", "access", "parent", ["Wachten op hulp"]),
            (
                "Het gebiedsteam belde elke twee weken tijdens het wachten.",
                "access",
                "parent",
                ["Passende hulp op tijd"],
            ),
        ],
    ),
    (
        "schulden en opvoeden",
        9,
        "landgraaf",
        [
            (
                "Voor elke verlenging een nieuwe beschikking.",
                "help",
                "professional",
                ["Regels gaan voor het gezin", "Wachten op hulp"],
            ),
            (
                "De gemeente gaf snel akkoord buiten het contract.",
                "help",
                "professional",
                ["Ruimte om af te wijken"],
            ),
        ],
    ),
    (
        "jongere in de wijk",
        16,
        "heerlen",
        [
            (
                "De afspraak werd gemaakt zonder de jongere.",
                "plan",
                "youth",
                ["Hulpverlener neemt regie over", "Niemand wist wat de ander deed"],
            ),
            (
                "Elk overleg begint met wat de jongere zelf wil.",
                "plan",
                "youth",
                ["Jongere vanaf het begin betrekken"],
            ),
        ],
    ),
]


def build(demo: DemoRegion) -> None:
    if DialogueTable.objects.filter(region=demo.region, title__startswith=PREFIX).exists():
        return
    facilitator = demo.people["facilitator"]
    chair = demo.people["school_worker"]
    owner = demo.people["youth_care_worker"]
    owner_org = demo.organisations["youth_care"]
    codes = {c.name: c for c in Code.objects.filter(region=demo.region)}
    today = timezone.localdate()
    for n, (theme, age, place, findings) in enumerate(TABLES):
        trajectory = services.enter_trajectory(
            demo.region,
            actor=facilitator,
            title=f"{theme.capitalize()}, {age} jaar",
            summary=f"Hulp rond {theme}, met de hand ingevoerd voor de demo.",
            youth_age=age,
            municipality=demo.municipalities[place],
        )
        givers = ["youth"] if age >= 16 else ["parent"] if age < 12 else ["youth", "parent"]
        for giver in givers:
            services.give_consent(trajectory, actor=facilitator, person=None, giver=giver)
        table = services.open_table(
            demo.region,
            actor=facilitator,
            kind=DialogueTable.Kind.CASE,
            title=f"{PREFIX} {theme}",
            trajectories=[trajectory],
            starts_at=timezone.now() - timedelta(days=30 * (n + 1)),
            location="Stadhuis",
        )
        services.invite(table, actor=facilitator, user=chair, role="chair")
        account = services.prepare_account(table, actor=facilitator)
        services.release_account(account, actor=facilitator)
        services.mark_held(table, actor=facilitator, held_on=today - timedelta(days=30 * (n + 1)))
        for text, phase, view, names in findings:
            finding = services.record_finding(
                table,
                actor=chair,
                text=text,
                phase=phase,
                view=view,
                codes=[codes[name] for name in names],
            )
            if codes[names[0]].kind == Kind.IMPROVEMENT:
                services.create_action(
                    finding,
                    actor=chair,
                    what=text,
                    owner_organisation=owner_org,
                    owner=owner,
                    due_date=today + timedelta(days=14 * (n + 1)),
                )
        demo.progress("dialogue tables", n + 1, len(TABLES))
