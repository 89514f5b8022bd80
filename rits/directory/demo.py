# ruff: noqa: RUF001, E501  (phone numbers with an en dash as in the source texts; one
# description per line reads best in the table below)
"""The Parkstad social map for the demo region: crisis lines from the source texts,
wijken, providers, dozens of services with schedules and waiting times, and the
professional profiles of the demo people. Running it twice changes nothing: every row
is keyed on a name-based UUID and written with update_or_create."""

from __future__ import annotations

import uuid
from datetime import time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from rits.demo.region import DemoRegion
from rits.directory import search, services
from rits.directory.models import (
    CrisisLine,
    Location,
    OpeningHours,
    Phone,
    ProfessionalProfile,
    Provider,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Theme,
    pack_languages,
)
from rits.regions.models import Area

_NS = uuid.UUID("a3c1f0e2-7b64-4d2e-9f1a-5c8b7e6d4a21")

CRISIS_LINES = {
    "heerlen": ("Gemeente Heerlen – crisis jeugd", "045 – 560 4004"),
    "voerendaal": ("Gemeente Voerendaal – crisis jeugd", "045 – 567 7530"),
    "landgraaf": ("Gemeente Landgraaf – crisis jeugd", "14-045"),
}
VOERENDAAL_OTHER_NUMBER = "045 – 560 25 61"
REGIONAL_LINE = ("Crisishulp Jeugd Zuid-Limburg", "043 – 604 5777")
OFFICE_HOURS = [(day, time(8, 30), time(17, 0)) for day in range(5)]

WIJKEN = {
    "heerlen": ["Heerlen-Centrum", "Heerlerheide", "Hoensbroek", "Heerlen-Noord", "Welten"],
    "voerendaal": ["Voerendaal-Kern", "Klimmen", "Ubachsberg"],
    "landgraaf": ["Schaesberg", "Nieuwenhagen", "Ubach over Worms"],
}

# Providers that are not (yet) organisations in Rits.
EXTRA_PROVIDERS = {
    "jongerenwerk": (
        "Jongerenwerk Parkstad (demo)",
        "Jongerenwerkers in de wijk: ontmoeten, sporten en praten.",
        "heerlen",
    ),
    "schuldhulp": (
        "Schuldhulp Parkstad (demo)",
        "Gratis hulp bij geldzorgen en schulden voor gezinnen.",
        "heerlen",
    ),
    "sport": (
        "Sport in de Buurt Parkstad (demo)",
        "Sport en bewegen voor kinderen in alle wijken.",
        "landgraaf",
    ),
    "opvoedwinkel": (
        "Opvoedwinkel Parkstad (demo)",
        "Vragen over opvoeden? Loop binnen of bel.",
        "heerlen",
    ),
    "kamertraining": (
        "Kamertraining Zuid (demo)",
        "Begeleid zelfstandig wonen voor jongeren van 17 tot 23.",
        "landgraaf",
    ),
    "verslavingszorg": (
        "Jeugd & Middelen Limburg (demo)",
        "Hulp bij alcohol, drugs, gamen en gokken.",
        "heerlen",
    ),
}

ALL = ("heerlen", "voerendaal", "landgraaf")
WEEKDAYS = [(d, time(9, 0), time(17, 0)) for d in range(5)]
AFTERNOONS = [(d, time(13, 0), time(17, 30)) for d in range(5)]
EVENINGS = [(d, time(15, 0), time(21, 0)) for d in (0, 2, 4)] + [(5, time(13, 0), time(17, 0))]
ALWAYS = [(d, time(0, 0), time(23, 59)) for d in range(7)]

# (provider key, name, description, themes, min age, max age, languages, where, wait
#  weeks, wait confirmed days ago, hours, phone)
SERVICES: list[tuple[Any, ...]] = [
    (
        "area_team_heerlen",
        "Gebiedsteam Heerlen: vragen over opgroeien",
        "Het gebiedsteam helpt gezinnen met vragen over opvoeden, school, geld en gezondheid. Eén gesprek, één plan.",
        ["opvoeden", "onderwijs", "geld"],
        0,
        23,
        ["nl", "en", "ar"],
        ["heerlen"],
        2,
        5,
        WEEKDAYS,
        "045 – 560 4000",
    ),
    (
        "area_team_voerendaal",
        "Gebiedsteam Voerendaal: vragen over opgroeien",
        "Het gebiedsteam Voerendaal denkt mee met ouders en jongeren en regelt hulp dichtbij.",
        ["opvoeden", "onderwijs"],
        0,
        23,
        ["nl", "de"],
        ["voerendaal"],
        1,
        10,
        WEEKDAYS,
        "045 – 575 3300",
    ),
    (
        "area_team_landgraaf",
        "Gebiedsteam Landgraaf: vragen over opgroeien",
        "Het gebiedsteam Landgraaf helpt bij opvoeden, ontwikkeling, wonen en geld.",
        ["opvoeden", "geld", "wonen-18"],
        0,
        23,
        ["nl", "pl"],
        ["landgraaf"],
        3,
        3,
        WEEKDAYS,
        "045 – 569 5200",
    ),
    (
        "youth_care",
        "Ambulante gezinsbegeleiding",
        "Een gezinsbegeleider komt thuis en werkt met ouders en kinderen aan rust en structuur in huis.",
        ["opvoeden"],
        0,
        18,
        ["nl", "en"],
        ALL,
        6,
        12,
        WEEKDAYS,
        "045 – 400 1000",
    ),
    (
        "youth_care",
        "Training sociale vaardigheden voor jongeren",
        "Groepstraining voor jongeren die moeite hebben met contact maken, nee zeggen of boosheid.",
        ["ontwikkeling", "opvoeden"],
        10,
        16,
        ["nl"],
        ALL,
        8,
        45,
        AFTERNOONS,
        "045 – 400 1001",
    ),
    (
        "youth_care",
        "Begeleiding bij autisme",
        "Individuele begeleiding voor kinderen en jongeren met autisme en hun ouders: voorspelbaarheid, prikkels en school.",
        ["ontwikkeling"],
        4,
        18,
        ["nl", "de"],
        ALL,
        10,
        20,
        WEEKDAYS,
        "045 – 400 1002",
    ),
    (
        "youth_care",
        "Crisishulp thuis",
        "Als het thuis niet meer gaat: een hulpverlener komt snel bij jullie thuis, ook 's avonds en in het weekend.",
        ["crisis", "opvoeden"],
        0,
        18,
        ["nl", "en"],
        ALL,
        0,
        1,
        ALWAYS,
        "045 – 400 1007",
    ),
    (
        "youth_care",
        "Pleegzorg Parkstad",
        "Een tijdelijk of langdurig thuis in een pleeggezin, met begeleiding van pleegouders.",
        ["opvoeden", "veiligheid"],
        0,
        18,
        ["nl"],
        ALL,
        12,
        60,
        WEEKDAYS,
        "045 – 400 1003",
    ),
    (
        "youth_care",
        "Kamertraining en begeleid wonen",
        "Leren zelfstandig wonen vanaf 17 jaar, met een begeleider die ook na je 18e blijft.",
        ["wonen-18"],
        17,
        23,
        ["nl", "en"],
        ALL,
        9,
        8,
        WEEKDAYS,
        "045 – 400 1004",
    ),
    (
        "youth_care",
        "Dagbehandeling jonge kinderen",
        "Dagbehandeling voor peuters en kleuters met een ontwikkelingsachterstand.",
        ["ontwikkeling", "lvb"],
        2,
        7,
        ["nl"],
        ["heerlen", "landgraaf"],
        14,
        15,
        WEEKDAYS,
        "045 – 400 1005",
    ),
    (
        "youth_care",
        "Ouderbegeleiding bij een licht verstandelijke beperking",
        "Praktische hulp voor ouders van kinderen met een LVB, thuis en op school.",
        ["lvb", "opvoeden"],
        4,
        18,
        ["nl"],
        ALL,
        7,
        33,
        WEEKDAYS,
        "045 – 400 1006",
    ),
    (
        "ggz",
        "Jeugd-GGZ: angst en somberheid",
        "Behandeling voor kinderen en jongeren met angst, somberheid of dwang. Met verwijzing van huisarts of gebiedsteam.",
        ["ggz"],
        6,
        18,
        ["nl", "en", "ar", "tr"],
        ALL,
        16,
        6,
        WEEKDAYS,
        "045 – 577 8000",
    ),
    (
        "ggz",
        "Traumabehandeling jeugd (EMDR)",
        "Behandeling na een schokkende gebeurtenis, met EMDR of traumagerichte therapie.",
        ["ggz", "veiligheid"],
        4,
        23,
        ["nl", "en", "ti"],
        ALL,
        20,
        40,
        WEEKDAYS,
        "045 – 577 8001",
    ),
    (
        "ggz",
        "ADHD-poli",
        "Onderzoek en behandeling bij ADHD, samen met ouders en school.",
        ["ggz", "ontwikkeling"],
        6,
        18,
        ["nl"],
        ALL,
        18,
        25,
        WEEKDAYS,
        "045 – 577 8002",
    ),
    (
        "ggz",
        "Vroege psychose jongeren",
        "Snelle hulp voor jongeren en jongvolwassenen met eerste tekenen van een psychose.",
        ["ggz"],
        15,
        25,
        ["nl", "en"],
        ALL,
        1,
        2,
        WEEKDAYS,
        "045 – 577 8003",
    ),
    (
        "ggz",
        "Eetstoornissen jeugd",
        "Behandeling van anorexia, boulimia en eetbuien voor jongeren.",
        ["ggz", "gezondheid"],
        10,
        23,
        ["nl"],
        ALL,
        22,
        70,
        WEEKDAYS,
        "045 – 577 8004",
    ),
    (
        "jgz",
        "Consultatiebureau",
        "Groei, ontwikkeling, vaccinaties en vragen over voeding en slapen, van 0 tot 4 jaar.",
        ["gezondheid", "opvoeden"],
        0,
        4,
        ["nl", "en", "ar", "tr", "pl", "uk"],
        ALL,
        0,
        1,
        WEEKDAYS,
        "088 – 880 5000",
    ),
    (
        "jgz",
        "Jeugdarts en jeugdverpleegkundige op school",
        "Gezondheidsonderzoek en spreekuur op de basisschool en middelbare school.",
        ["gezondheid", "onderwijs"],
        4,
        18,
        ["nl"],
        ALL,
        0,
        4,
        WEEKDAYS,
        "088 – 880 5001",
    ),
    (
        "jgz",
        "Stevig Ouderschap",
        "Extra huisbezoeken voor ouders van een baby die het zwaar hebben.",
        ["opvoeden", "gezondheid"],
        0,
        2,
        ["nl", "en"],
        ALL,
        2,
        14,
        WEEKDAYS,
        "088 – 880 5002",
    ),
    (
        "jgz",
        "Logopedie-screening peuters",
        "Kijken of de taalontwikkeling van je peuter goed gaat.",
        ["ontwikkeling", "gezondheid"],
        2,
        5,
        ["nl", "ngt"],
        ALL,
        4,
        31,
        WEEKDAYS,
        "088 – 880 5003",
    ),
    (
        "veilig_thuis",
        "Veilig Thuis: advies en melding",
        "Advies en melding bij huiselijk geweld en kindermishandeling. Dag en nacht bereikbaar.",
        ["veiligheid", "crisis"],
        None,
        None,
        ["nl", "en"],
        ALL,
        0,
        1,
        ALWAYS,
        "0800 – 2000",
    ),
    (
        "veilig_thuis",
        "Veilig Thuis: hulp na geweld in het gezin",
        "Onderzoek en hulp als er geweld is in het gezin, samen met het gebiedsteam.",
        ["veiligheid"],
        None,
        None,
        ["nl"],
        ALL,
        3,
        20,
        WEEKDAYS,
        "0800 – 2000",
    ),
    (
        "school",
        "Zorgteam op school",
        "Het zorgteam van de school denkt mee bij leer- en gedragsproblemen.",
        ["onderwijs", "ontwikkeling"],
        12,
        18,
        ["nl"],
        ["heerlen"],
        1,
        9,
        WEEKDAYS,
        "045 – 571 2000",
    ),
    (
        "school",
        "Thuiszittersaanpak",
        "Samen met leerplicht en ouders een plek vinden voor kinderen die niet naar school gaan.",
        ["onderwijs"],
        5,
        18,
        ["nl"],
        ALL,
        2,
        50,
        WEEKDAYS,
        "045 – 571 2001",
    ),
    (
        "gemeente_heerlen",
        "Leerplicht Heerlen",
        "De leerplichtambtenaar helpt als je kind niet of weinig naar school gaat.",
        ["onderwijs"],
        5,
        18,
        ["nl"],
        ["heerlen"],
        None,
        None,
        WEEKDAYS,
        "045 – 560 4100",
    ),
    (
        "gemeente_landgraaf",
        "Minimaregelingen Landgraaf",
        "Vergoedingen voor sport, school en cultuur voor gezinnen met een laag inkomen.",
        ["geld", "vrije-tijd"],
        0,
        18,
        ["nl"],
        ["landgraaf"],
        None,
        None,
        WEEKDAYS,
        "14-045",
    ),
    (
        "gemeente_voerendaal",
        "Jeugdfonds Voerendaal",
        "Bijdrage voor sportclub of muziekles als het geld er niet is.",
        ["geld", "vrije-tijd"],
        4,
        18,
        ["nl"],
        ["voerendaal"],
        None,
        None,
        WEEKDAYS,
        "045 – 575 3333",
    ),
    (
        "jongerenwerk",
        "Jongerenwerk in de wijk",
        "Jongerenwerkers in het buurthuis: een plek om te chillen, sporten en te praten.",
        ["vrije-tijd"],
        12,
        23,
        ["nl", "ar", "tr"],
        ["heerlen", "landgraaf"],
        0,
        3,
        EVENINGS,
        "045 – 711 1000",
    ),
    (
        "jongerenwerk",
        "Straatcoaches",
        "Jongerenwerkers op straat die jongeren aanspreken en helpen.",
        ["vrije-tijd", "veiligheid"],
        12,
        23,
        ["nl"],
        ["heerlen"],
        0,
        40,
        EVENINGS,
        "045 – 711 1001",
    ),
    (
        "jongerenwerk",
        "JIM-coach: een eigen mentor kiezen",
        "Hulp bij het kiezen van een JIM: een volwassene uit je eigen omgeving die je vertrouwt.",
        ["wonen-18", "opvoeden"],
        12,
        23,
        ["nl"],
        ALL,
        1,
        11,
        AFTERNOONS,
        "045 – 711 1002",
    ),
    (
        "schuldhulp",
        "Schuldhulp voor gezinnen",
        "Samen overzicht maken van je geld en schulden, en afspraken maken met schuldeisers.",
        ["geld"],
        18,
        None,
        ["nl", "en", "ar"],
        ALL,
        3,
        7,
        WEEKDAYS,
        "045 – 720 2000",
    ),
    (
        "schuldhulp",
        "Geldlessen voor jongeren",
        "Leren omgaan met geld voordat je 18 wordt: zorgverzekering, toeslagen en budget.",
        ["geld", "wonen-18"],
        15,
        21,
        ["nl"],
        ALL,
        0,
        35,
        AFTERNOONS,
        "045 – 720 2001",
    ),
    (
        "sport",
        "Sportcoach in de wijk",
        "Kennismaken met sporten in de buurt, ook als het thuis lastig is.",
        ["vrije-tijd", "gezondheid"],
        4,
        18,
        ["nl"],
        ["landgraaf", "voerendaal"],
        0,
        13,
        EVENINGS,
        "045 – 730 3000",
    ),
    (
        "sport",
        "Zwemles voor iedereen",
        "Zwemles voor kinderen die nog geen diploma hebben, met vergoeding bij laag inkomen.",
        ["vrije-tijd"],
        5,
        12,
        ["nl"],
        ALL,
        6,
        90,
        EVENINGS,
        "045 – 730 3001",
    ),
    (
        "opvoedwinkel",
        "Opvoedspreekuur",
        "Loop binnen met je vraag over slapen, eten, driftbuien of pesten.",
        ["opvoeden"],
        0,
        18,
        ["nl", "en", "uk"],
        ALL,
        0,
        2,
        AFTERNOONS,
        "045 – 740 4000",
    ),
    (
        "opvoedwinkel",
        "Cursus Positief Opvoeden",
        "Groepscursus voor ouders over grenzen stellen en belonen.",
        ["opvoeden"],
        2,
        12,
        ["nl"],
        ALL,
        5,
        28,
        EVENINGS,
        "045 – 740 4001",
    ),
    (
        "opvoedwinkel",
        "Kinderen in scheiding",
        "Groep voor kinderen van gescheiden ouders, en hulp voor ouders bij het ouderschapsplan.",
        ["scheiding", "opvoeden"],
        6,
        16,
        ["nl"],
        ALL,
        4,
        16,
        AFTERNOONS,
        "045 – 740 4002",
    ),
    (
        "kamertraining",
        "Begeleid wonen 18+",
        "Een eigen kamer met begeleiding, ook na je 18e: de rits in plaats van de knip.",
        ["wonen-18"],
        17,
        23,
        ["nl", "en", "ti"],
        ALL,
        11,
        22,
        WEEKDAYS,
        "045 – 750 5000",
    ),
    (
        "kamertraining",
        "Werk en opleiding voor jongeren",
        "Hulp bij het vinden van een opleiding, stage of baan na school.",
        ["werk", "wonen-18"],
        16,
        23,
        ["nl"],
        ALL,
        2,
        19,
        WEEKDAYS,
        "045 – 750 5001",
    ),
    (
        "verslavingszorg",
        "Gamen en gokken: hulp voor jongeren",
        "Praten over gamen of gokken dat uit de hand loopt, ook voor ouders.",
        ["verslaving"],
        12,
        23,
        ["nl"],
        ALL,
        3,
        8,
        AFTERNOONS,
        "045 – 760 6000",
    ),
    (
        "verslavingszorg",
        "Alcohol en drugs: preventie op school",
        "Voorlichting en korte hulp voor jongeren die experimenteren met middelen.",
        ["verslaving", "onderwijs"],
        12,
        18,
        ["nl"],
        ALL,
        1,
        55,
        WEEKDAYS,
        "045 – 760 6001",
    ),
]

PROFILES = {
    "professional": (
        ["opvoeden", "geld"],
        "Gezinnen met meerdere vragen tegelijk",
        ["nl", "en"],
        ["heerlen"],
    ),
    "coordinator": (
        ["opvoeden", "wonen-18"],
        "Regie bij gezinnen, overgang naar 18",
        ["nl"],
        ["landgraaf"],
    ),
    "youth_care_worker": (["ontwikkeling", "lvb"], "Autisme en LVB", ["nl", "de"], list(ALL)),
    "ggz_worker": (["ggz"], "Angst, trauma, EMDR", ["nl", "en"], list(ALL)),
    "school_worker": (["onderwijs"], "Thuiszitters en passend onderwijs", ["nl"], ["heerlen"]),
    "veilig_thuis_worker": (
        ["veiligheid"],
        "Huiselijk geweld en kindermishandeling",
        ["nl", "ar"],
        list(ALL),
    ),
    "jgz_worker": (["gezondheid", "opvoeden"], "Jonge kinderen 0-4", ["nl", "tr"], list(ALL)),
}


def key(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NS, "/".join(str(p) for p in parts))


def build(demo: DemoRegion) -> None:
    with transaction.atomic():
        _crisis_lines(demo)
        areas = _wijken(demo)
        providers = _providers(demo)
        _services(demo, providers, areas)
        _profiles(demo)


def _crisis_lines(demo: DemoRegion) -> None:
    lines = list(CRISIS_LINES.items())
    for done, (place, (name, phone)) in enumerate(lines, start=1):
        line, _ = CrisisLine.objects.update_or_create(
            uuid=key("crisis", place),
            defaults={
                "kind": CrisisLine.Kind.OFFICE_HOURS,
                "region": demo.region,
                "municipality": demo.municipalities[place],
                "name": name,
                "phone": phone,
            },
        )
        for day, opens, closes in OFFICE_HOURS:
            OpeningHours.objects.update_or_create(
                uuid=key("crisis-hours", place, day),
                defaults={
                    "crisis_line": line,
                    "weekday": day,
                    "opens_at": opens,
                    "closes_at": closes,
                },
            )
        demo.progress("crisis lines", done, len(lines) + 1)
    CrisisLine.objects.update_or_create(
        uuid=key("crisis", "regional", demo.region.code),
        defaults={
            "kind": CrisisLine.Kind.OUT_OF_HOURS,
            "region": demo.region,
            "municipality": None,
            "name": REGIONAL_LINE[0],
            "phone": REGIONAL_LINE[1],
        },
    )
    demo.progress("crisis lines", len(lines) + 1, len(lines) + 1)
    # The two published versions of the crisis page give Voerendaal two office numbers:
    # the review queue shows both until someone who knows resolves it.
    services.record_conflict(
        CrisisLine.objects.get(uuid=key("crisis", "voerendaal")),
        number=VOERENDAAL_OTHER_NUMBER,
        source="de andere versie van de crisispagina",
        actor=None,
    )


def _wijken(demo: DemoRegion) -> dict[str, list[Area]]:
    areas: dict[str, list[Area]] = {}
    for place, names in WIJKEN.items():
        areas[place] = [
            Area.objects.get_or_create(municipality=demo.municipalities[place], name=name)[0]
            for name in names
        ]
    return areas


def _providers(demo: DemoRegion) -> dict[str, Provider]:
    providers: dict[str, Provider] = {}
    for name_key, organisation in demo.organisations.items():
        provider, _ = Provider.objects.update_or_create(
            uuid=key("provider", name_key),
            defaults={
                "organisation": organisation,
                "name": organisation.name,
                "description": f"{organisation.get_kind_display()} in Parkstad.",
                "email": organisation.email,
                "website": organisation.website,
                "phone": organisation.phone,
                "municipality": organisation.municipality,
            },
        )
        providers[name_key] = provider
    for name_key, (name, description, place) in EXTRA_PROVIDERS.items():
        provider, _ = Provider.objects.update_or_create(
            uuid=key("provider", name_key),
            defaults={
                "name": name,
                "description": description,
                "municipality": demo.municipalities[place],
            },
        )
        providers[name_key] = provider
    for name_key, provider in providers.items():
        place = next(
            (p for p, m in demo.municipalities.items() if m.pk == provider.municipality_id),
            "heerlen",
        )
        street = demo.faker.street_address()
        Location.objects.get_or_create(
            uuid=key("location", name_key),
            defaults={
                "provider": provider,
                "name": provider.name,
                "address_1": street,
                "postal_code": demo.faker.postcode(),
                "city": demo.municipalities[place].name,
                "municipality": demo.municipalities[place],
            },
        )
    return providers


def _services(
    demo: DemoRegion, providers: dict[str, Provider], areas: dict[str, list[Area]]
) -> None:
    themes = {t.code: t for t in Theme.objects.all()}
    today = timezone.localdate()
    ids: list[int] = []
    total = len(SERVICES)
    for done, row in enumerate(SERVICES, start=1):
        (
            provider_key,
            name,
            description,
            codes,
            low,
            high,
            languages,
            where,
            wait,
            age_days,
            hours,
            phone,
        ) = row
        provider = providers.get(provider_key)
        if provider is None:
            continue
        sid = key("service", provider_key, name)
        service, _ = Service.objects.update_or_create(
            uuid=sid,
            defaults={
                "provider": provider,
                "name": name,
                "description": description,
                "minimum_age": low,
                "maximum_age": high,
                "languages": pack_languages(languages),
                "wait_weeks": wait,
                "wait_confirmed_on": today - timedelta(days=age_days)
                if age_days is not None
                else None,
                "open_on_public_holidays": hours is ALWAYS,
                "application_process": "Bel of mail ons; een verwijzing is niet altijd nodig.",
                "fees_description": "Gratis voor inwoners van Parkstad.",
            },
        )
        service.themes.set([themes[c] for c in codes])
        for place in where:
            ServiceArea.objects.get_or_create(
                service=service,
                municipality=demo.municipalities[place],
                area=None,
                defaults={"uuid": key("area", sid, place)},
            )
        if provider_key == "jongerenwerk":
            for wijk in areas["heerlen"][:2]:
                ServiceArea.objects.get_or_create(
                    service=service,
                    municipality=wijk.municipality,
                    area=wijk,
                    defaults={"uuid": key("area", sid, wijk.name)},
                )
        for day, opens, closes in hours:
            OpeningHours.objects.update_or_create(
                uuid=key("hours", sid, day, opens),
                defaults={
                    "service": service,
                    "weekday": day,
                    "opens_at": opens,
                    "closes_at": closes,
                },
            )
        Phone.objects.update_or_create(
            uuid=key("phone", sid), defaults={"service": service, "number": phone}
        )
        ServiceAtLocation.objects.get_or_create(
            uuid=key("sal", sid),
            defaults={"service": service, "location": provider.locations.first()},
        )
        ids.append(service.pk)
        demo.progress("social map services", done, total)
    search.reindex(ids)


def _profiles(demo: DemoRegion) -> None:
    themes = {t.code: t for t in Theme.objects.all()}
    total = len(PROFILES)
    for done, (person, (codes, note, languages, places)) in enumerate(PROFILES.items(), start=1):
        user = demo.people.get(person)
        if user is None:
            continue
        membership = user.memberships.filter(team__isnull=False).first()
        profile, _ = ProfessionalProfile.objects.update_or_create(
            user=user,
            defaults={
                "team": membership.team if membership else None,
                "expertise_note": note,
                "languages": pack_languages(languages),
                "phone": user.phone,
                "email": user.email,
                "reachable": "Ma–do 9:00–16:00, liefst bellen",
            },
        )
        profile.expertise.set([themes[c] for c in codes])
        profile.municipalities.set([demo.municipalities[p] for p in places])
        demo.progress("professional profiles", done, total)
