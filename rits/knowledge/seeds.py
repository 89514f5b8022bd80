"""The practices, glossary terms and network themes every region starts with.

The three practices are the ones the source texts name as worth copying (JIM, the
wijkacademie, the dialoogtafel), written fresh in plain Dutch for Rits; they are local
practice as described here, not an assessment. The network themes are the four themes
of the academic workshop SAMEN (``NetworkTheme``). Loading is idempotent: practices are
keyed by a fixed uuid, terms by their slug.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from rits.audit.services import record
from rits.directory.models import Theme
from rits.knowledge import search
from rits.knowledge.models import Condition, Element, Evidence, GlossaryTerm, Practice

PRACTICES: list[dict[str, Any]] = [
    {
        "uuid": uuid.UUID("6f1f3c57-8c36-4c55-9d38-1c1a4e0b7a01"),
        "name": "JIM: Jouw Informele Mentor",
        "summary": (
            "De jongere kiest zelf een volwassene die hij of zij vertrouwt: een tante, een "
            "buurman, een trainer. Die JIM denkt mee, helpt en blijft, ook als de hulp stopt."
        ),
        "problem": (
            "Hulpverleners komen en gaan. Een jongere die hulp krijgt, moet vaak steeds "
            "opnieuw zijn verhaal doen. Bij 18 jaar stopt veel hulp ineens. Dan staat de "
            "jongere er alleen voor."
        ),
        "why_it_works": (
            "De jongere kiest de mentor zelf, dus er is al vertrouwen. De mentor hoort bij het "
            "eigen netwerk en blijft, ook na de hulp. Zo is er iemand die de jongere kent en "
            "die mee kan praten met school, ouders en hulpverleners."
        ),
        "target_group": "Jongeren die hulp krijgen of nodig hebben",
        "minimum_age": 12,
        "maximum_age": 23,
        "themes": ["opvoeden", "ontwikkeling", "werk"],
        "goals": (
            "De jongere heeft een vaste volwassene naast zich.\n"
            "Minder zware hulp en minder uithuisplaatsing.\n"
            "Een goede overgang naar 18 jaar."
        ),
        "approach": (
            "1. De hulpverlener vraagt de jongere: wie vertrouw je?\n"
            "2. De jongere kiest een JIM en vraagt die persoon zelf.\n"
            "3. De JIM, de jongere, de ouders en de hulpverlener maken samen een plan.\n"
            "4. De JIM praat mee bij gesprekken en blijft na de hulp."
        ),
        "needs_people": "Hulpverleners die getraind zijn in werken met een JIM.",
        "needs_training": "Een training van een paar dagdelen voor hulpverleners.",
        "needs_time": "Tijd om met de jongere te zoeken naar een JIM; dat kan weken duren.",
        "needs_money": "Geen vergoeding voor de JIM; wel kosten voor training.",
        "core": [
            "De jongere kiest de JIM zelf.",
            "De JIM is een volwassene uit het eigen netwerk, geen ouder.",
            "De JIM blijft betrokken, ook als de hulp stopt.",
        ],
        "adaptable": [
            "Hoe vaak de JIM, de jongere en de hulpverlener samen praten.",
            "Welke organisatie de hulpverleners traint.",
        ],
        "conditions": [
            "Hulpverleners zijn getraind in werken met een JIM.",
            "De gemeente vindt het goed dat hulp minder zwaar wordt als een JIM meedoet.",
            "Er is tijd om samen met de jongere een JIM te zoeken.",
            "School en hulpverlening nemen de JIM serieus als gesprekspartner.",
        ],
    },
    {
        "uuid": uuid.UUID("6f1f3c57-8c36-4c55-9d38-1c1a4e0b7a02"),
        "name": "Wijkacademie voor ouders",
        "summary": (
            "Ouders van kinderen met gedragsproblemen komen in hun wijk samen. Ze delen wat ze "
            "weten en wat werkt. Een ervaren ouder en een hulpverlener begeleiden de groep."
        ),
        "problem": (
            "Ouders van kinderen met gedragsproblemen voelen zich vaak alleen. Ze weten niet "
            "bij wie ze terechtkunnen. Hulp begint vaak pas als het probleem groot is."
        ),
        "why_it_works": (
            "Ouders leren veel van andere ouders. In de eigen wijk is de drempel laag. Ouders "
            "nemen zelf het initiatief, en de hulpverlener hoort vroeg wat er speelt."
        ),
        "target_group": "Ouders van kinderen met gedragsproblemen",
        "minimum_age": 4,
        "maximum_age": 18,
        "themes": ["opvoeden"],
        "goals": (
            "Ouders voelen zich minder alleen en sterker.\n"
            "Ouders weten eerder wat ze kunnen doen en bij wie ze terechtkunnen."
        ),
        "approach": (
            "Een groep van 6 tot 12 ouders komt een paar keer per jaar samen in een buurthuis "
            "of school. Elke bijeenkomst heeft een onderwerp dat de ouders zelf kiezen."
        ),
        "needs_people": (
            "Een ervaren ouder (ervaringsdeskundige) en een hulpverlener uit de wijk."
        ),
        "needs_time": "Per bijeenkomst twee uur, plus voorbereiding.",
        "needs_money": (
            "Huur van een ruimte, koffie en thee, een kleine vergoeding voor de ervaren ouder."
        ),
        "needs_materials": "Een ruimte in de wijk waar ouders graag komen.",
        "core": [
            "Ouders kiezen zelf de onderwerpen.",
            "Een ervaren ouder begeleidt mee.",
            "De bijeenkomsten zijn in de eigen wijk.",
        ],
        "adaptable": [
            "Hoe vaak de groep samenkomt.",
            "Of er ook kinderopvang is tijdens de bijeenkomst.",
        ],
        "conditions": [
            "Er is een ervaren ouder die de groep wil begeleiden.",
            "Er is een ruimte in de wijk.",
            "Het gebiedsteam wil een hulpverlener vrijmaken.",
            "Ouders in de wijk zijn te bereiken via school of buurthuis.",
        ],
    },
    {
        "uuid": uuid.UUID("6f1f3c57-8c36-4c55-9d38-1c1a4e0b7a03"),
        "name": "Dialoogtafel",
        "summary": (
            "Jongeren, ouders en hulpverleners kijken samen terug op hulp die is afgerond. "
            "Wat ging goed, wat liep vast, wat kan beter? Een onafhankelijke voorzitter "
            "leidt het gesprek."
        ),
        "problem": (
            "Iedereen doet zijn best, maar niemand weet wat de ander doet. Lessen uit de "
            "praktijk blijven hangen bij één team en komen niet terug in het werk."
        ),
        "why_it_works": (
            "Door samen terug te kijken hoort iedereen elkaars kant. Je spreekt dezelfde taal. "
            "Wat vaker misgaat, wordt zichtbaar en kan beter worden aangepakt."
        ),
        "target_group": "Jongeren, ouders en hulpverleners na afgeronde hulp",
        "themes": ["opvoeden", "ggz"],
        "goals": (
            "Leren van afgeronde hulp.\n"
            "Knelpunten zien die vaker terugkomen, en daar iets aan doen."
        ),
        "approach": (
            "1. Na afgeronde hulp vraagt de voorzitter de jongere, de ouders en de "
            "hulpverleners om mee te doen.\n"
            "2. Samen aan tafel bespreken ze het traject, zonder schuld te zoeken.\n"
            "3. Wat goed ging, wat vastliep en wat beter kan, wordt vastgelegd in een gedeelde "
            "taal (codes).\n"
            "4. Verbeterpunten krijgen een eigenaar en worden gevolgd."
        ),
        "needs_people": "Een onafhankelijke, getrainde voorzitter.",
        "needs_training": "Training voor voorzitters.",
        "needs_time": "Een gesprek van ongeveer twee uur, plus voorbereiding.",
        "core": [
            "De jongere en de ouders zitten mee aan tafel.",
            "De voorzitter is onafhankelijk.",
            "Er wordt teruggekeken zonder schuld te zoeken.",
        ],
        "adaptable": [
            "Welke codes de regio gebruikt om bevindingen vast te leggen.",
            "Hoe vaak er een dialoogtafel is.",
        ],
        "conditions": [
            "Er is een getrainde, onafhankelijke voorzitter.",
            "Organisaties geven hulpverleners tijd om mee te doen.",
            "De regio volgt verbeterpunten op.",
        ],
    },
]

TERMS = [
    (
        "JIM",
        "Jouw Informele Mentor: een volwassene die de jongere zelf kiest om mee te denken "
        "en te helpen. Geen ouder.",
        "informeel netwerk, steunfiguur",
        "Sanne koos haar oom als JIM. Hij gaat mee naar gesprekken op school.",
    ),
    (
        "Gebiedsteam",
        "Het team in je wijk of gemeente waar je terechtkunt met vragen over opvoeden, "
        "opgroeien en hulp.",
        "wijkteam, sociaal team, toegang",
        "Het gebiedsteam Heerlen-Noord helpt je de juiste hulp te vinden.",
    ),
    (
        "Regie",
        "Wie het overzicht houdt en beslist over de hulp. Waar het kan, is dat het gezin zelf.",
        "casusregie, procesregie",
        "Moeder heeft de regie: zij beslist wie er bij het gesprek komt.",
    ),
    (
        "Dialoogtafel",
        "Een gesprek waarin jongeren, ouders en hulpverleners samen terugkijken op hulp die "
        "klaar is, om ervan te leren.",
        "retrospectieve casusanalyse",
        "",
    ),
    (
        "Ervaringsdeskundige",
        "Iemand die zelf hulp heeft gehad of een kind met problemen heeft, en die ervaring "
        "inzet om anderen te helpen.",
        "",
        "Een ervaren ouder begeleidt de wijkacademie.",
    ),
    (
        "Knip",
        "Het moment waarop hulp ineens stopt of verandert, bijvoorbeeld als je 18 wordt.",
        "18-/18+ overgang",
        "Rits wil van de knip een rits maken: de hulp loopt door.",
    ),
]


@transaction.atomic
def load() -> list[Practice]:
    """Create the seed practices and terms that are missing; leave existing ones alone."""
    themes = {t.code: t for t in Theme.objects.all()}
    practices = []
    for spec in PRACTICES:
        practice = Practice.objects.filter(uuid=spec["uuid"]).first()
        if practice is None:
            fields = {
                k: v
                for k, v in spec.items()
                if k not in ("themes", "core", "adaptable", "conditions")
            }
            practice = Practice.objects.create(**fields, evidence=Evidence.LOCAL, is_public=True)
            practice.themes.set([themes[c] for c in spec["themes"] if c in themes])
            Element.objects.bulk_create(
                [
                    Element(practice=practice, kind=Element.Kind.CORE, text=t, position=i)
                    for i, t in enumerate(spec["core"])
                ]
                + [
                    Element(practice=practice, kind=Element.Kind.ADAPTABLE, text=t, position=i)
                    for i, t in enumerate(spec["adaptable"])
                ]
            )
            Condition.objects.bulk_create(
                Condition(practice=practice, text=t, position=i)
                for i, t in enumerate(spec["conditions"])
            )
            search.index_practice(practice)
            record(None, "knowledge.practice_created", practice, data={"seed": True})
        practices.append(practice)
    for term, meaning, replaces, example in TERMS:
        if not GlossaryTerm.objects.filter(region=None, slug=slugify(term)).exists():
            item = GlossaryTerm.objects.create(
                term=term, meaning=meaning, replaces=replaces, example=example
            )
            search.put([search.term_entry(item)])
            record(None, "knowledge.term_saved", item, data={"seed": True})
    return practices
