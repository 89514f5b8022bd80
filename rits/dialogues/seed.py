"""The codebook a region starts with: the themes the Frisian dialogue tables found
(Academische Werkplaats Transformatie Jeugd Friesland, 28 tables: "communication between
professionals is complicated; handing direction to youths and parents is hard, we take
over easily; joint decision-making on one overall approach is hard to shape"), each with a
success factor, a bottleneck and an improvement in plain Dutch.

The guids are derived from the region and the code's name, so a region seeded twice, or
on two servers, has the same codes (and a ``.qdc`` exchange recognises them).
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("5f0e8d4e-2b1c-4a43-9d6c-7a2f3c1e9b10")

# (theme, description, [(code, kind, definition, example)])
THEMES: list[tuple[str, str, list[tuple[str, str, str, str]]]] = [
    (
        "Cliëntparticipatie",
        "Hoe jongere en ouders meedoen en zelf de regie houden.",
        [
            (
                "Regie bij jongere en ouders",
                "success_factor",
                "De jongere en de ouders bepalen zelf mee wat er gebeurt en houden de regie.",
                "Moeder schreef de doelen zelf op en koos wie er in het team kwam.",
            ),
            (
                "Hulpverlener neemt regie over",
                "bottleneck",
                "Professionals nemen beslissingen over, ook waar het gezin het zelf kon.",
                "De afspraak werd gemaakt zonder dat de jongere erbij was.",
            ),
            (
                "Jongere vanaf het begin betrekken",
                "improvement",
                "Een afspraak om de jongere bij elk gesprek over zijn of haar plan te vragen.",
                "Elk overleg begint met de vraag wat de jongere zelf wil.",
            ),
        ],
    ),
    (
        "Gezamenlijke besluitvorming",
        "Hoe gezin en professionals samen tot één aanpak komen.",
        [
            (
                "Samen besloten aanpak",
                "success_factor",
                "Gezin en professionals kozen samen één aanpak en wisten waarom.",
                "Iedereen stemde in met het plan en de redenen stonden erbij.",
            ),
            (
                "Geen overkoepelende aanpak",
                "bottleneck",
                "Ieder werkte aan een eigen plan; niemand besloot over het geheel.",
                "Drie organisaties hadden elk hun eigen doelen voor hetzelfde gezin.",
            ),
            (
                "Eén plan met één regisseur",
                "improvement",
                "Een afspraak dat er één plan komt en wie de regie houdt.",
                "Bij de start wordt de regisseur samen met het gezin gekozen.",
            ),
        ],
    ),
    (
        "Ingezette interventies",
        "Welke hulp er was, of die paste en op tijd kwam.",
        [
            (
                "Passende hulp op tijd",
                "success_factor",
                "De hulp paste bij de vraag van het gezin en kwam op tijd.",
                "Binnen twee weken was er een gezinscoach die thuis kwam.",
            ),
            (
                "Wachten op hulp",
                "bottleneck",
                "Het gezin moest lang wachten of kreeg hulp die niet paste.",
                "Na de aanmelding duurde het vier maanden voor er iemand kwam.",
            ),
            (
                "Overbruggen van de wachttijd",
                "improvement",
                "Een afspraak om het gezin tijdens het wachten te steunen.",
                "Het gebiedsteam belt elke twee weken tot de hulp begint.",
            ),
        ],
    ),
    (
        "Communicatie met en tussen professionals",
        "Hoe informatie loopt tussen gezin en professionals en tussen professionals.",
        [
            (
                "Korte lijnen",
                "success_factor",
                "Professionals wisten van elkaar wat ze deden en waren goed bereikbaar.",
                "De jeugdarts en de mentor belden elkaar direct na het gesprek.",
            ),
            (
                "Niemand wist wat de ander deed",
                "bottleneck",
                "Informatie ging verloren; iedereen deed zijn best, maar los van elkaar.",
                "Het gezin moest zijn verhaal vier keer opnieuw vertellen.",
            ),
            (
                "Vaste manier van overdragen",
                "improvement",
                "Een afspraak over hoe en wanneer professionals elkaar informeren.",
                "Bij elke overdracht is er een warm gesprek met het gezin erbij.",
            ),
        ],
    ),
    (
        "Samenwerking",
        "Hoe organisaties, school, gemeente en het netwerk samenwerken.",
        [
            (
                "Netwerk van het gezin betrokken",
                "success_factor",
                "Mensen om het gezin heen (zoals een JIM) deden mee en bleven.",
                "De JIM van de jongere bleef ook na het einde van de hulp.",
            ),
            (
                "Knip tussen organisaties",
                "bottleneck",
                "De hulp stopte of brak af bij de overgang tussen organisaties of bij 18.",
                "Op de achttiende verjaardag stopte de jeugdhulp zonder vervolg.",
            ),
            (
                "Van knip naar rits",
                "improvement",
                "Een afspraak om de overgang samen voor te bereiden, ruim op tijd.",
                "Vanaf 16,5 jaar staat de overgang naar 18 op de agenda.",
            ),
        ],
    ),
    (
        "Effecten van beleid en organisatiekeuzes",
        "Wat regels, contracten en keuzes van organisaties doen met de hulp.",
        [
            (
                "Ruimte om af te wijken",
                "success_factor",
                "Regels lieten ruimte om te doen wat dit gezin nodig had.",
                "De gemeente gaf snel akkoord op een oplossing buiten het contract.",
            ),
            (
                "Regels gaan voor het gezin",
                "bottleneck",
                "Contracten, indicaties of bureaucratie stonden de hulp in de weg.",
                "Voor elke verlenging moest een nieuwe beschikking worden aangevraagd.",
            ),
            (
                "Beleid aanpassen na de tafel",
                "improvement",
                "Een afspraak om een regel of werkwijze te veranderen.",
                "De gemeente verlengt beschikkingen voortaan voor een jaar.",
            ),
        ],
    ),
]


def code_guid(region_code: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{region_code}:code:{name}")


def theme_guid(region_code: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{region_code}:theme:{name}")
