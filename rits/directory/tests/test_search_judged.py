"""A judged query set: what parents and professionals type, with the services a good
answer puts first, against the demo region's social map. Scored as mean reciprocal
rank (the first right service at place 1 scores 1, at place 2 a half, ... nothing in
the first ten scores 0), on whichever database is configured."""

from __future__ import annotations

import io

from rits.accounts.models import Organisation
from rits.demo.management.commands.load_demo import ORGANISATIONS
from rits.demo.region import DemoRegion
from rits.directory import demo, search
from rits.directory.models import Service
from rits.regions.models import Municipality
from rits.testing import RitsTestCase

AUTISM = "Begeleiding bij autisme"
MOOD = "Jeugd-GGZ: angst en somberheid"
DEBT = "Schuldhulp voor gezinnen"
PARENTING = {"Opvoedspreekuur", "Cursus Positief Opvoeden", "Ambulante gezinsbegeleiding"}
GAMING = "Gamen en gokken: hulp voor jongeren"
VIOLENCE = {"Veilig Thuis: advies en melding", "Veilig Thuis: hulp na geweld in het gezin"}
SCHOOL_REFUSAL = {"Thuiszittersaanpak", "Leerplicht Heerlen"}
HOUSING = {"Kamertraining en begeleid wonen", "Begeleid wonen 18+"}
LOW_INCOME = {"Minimaregelingen Landgraaf", "Jeugdfonds Voerendaal"}

# (query, the services that are a right first answer)
JUDGED: list[tuple[str, set[str]]] = [
    ("autisme", {AUTISM}),
    ("autistisch", {AUTISM}),
    ("autisme Landgraaf", {AUTISM}),
    ("autisme 14 jaar Landgraaf", {AUTISM}),
    ("autsime", {AUTISM}),
    ("mijn zoon van 14 is somber", {MOOD}),
    ("depressie", {MOOD}),
    ("depressief", {MOOD}),
    ("depresie", {MOOD}),
    ("angststoornis", {MOOD}),
    ("sombere puber", {MOOD}),
    ("schulden", {DEBT}),
    ("schuldhulpverlening", {DEBT}),
    ("geldzorgen", {DEBT} | LOW_INCOME),
    ("vader met schulden", {DEBT}),
    ("opvoedondersteuning", PARENTING),
    ("opvoedproblemen", PARENTING),
    ("driftbuien", {"Opvoedspreekuur"}),
    ("crisis thuis", {"Crisishulp thuis"}),
    ("het gaat thuis niet meer", {"Crisishulp thuis"}),
    ("gameverslaving", {GAMING}),
    ("gokken", {GAMING}),
    ("alcohol en drugs", {"Alcohol en drugs: preventie op school"}),
    ("huiselijk geweld", VIOLENCE),
    ("kindermishandeling melden", {"Veilig Thuis: advies en melding"}),
    ("thuiszitter", SCHOOL_REFUSAL),
    ("mijn dochter gaat niet naar school", SCHOOL_REFUSAL),
    ("ouders gaan scheiden", {"Kinderen in scheiding"}),
    ("begeleid wonen", HOUSING),
    ("zelfstandig wonen na 18", HOUSING),
    ("psychose", {"Vroege psychose jongeren"}),
    ("emdr", {"Traumabehandeling jeugd (EMDR)"}),
    ("eetstoornis", {"Eetstoornissen jeugd"}),
    ("anorexia", {"Eetstoornissen jeugd"}),
    ("adhd", {"ADHD-poli"}),
    ("pleeggezin", {"Pleegzorg Parkstad"}),
    ("licht verstandelijke beperking", {"Ouderbegeleiding bij een licht verstandelijke beperking"}),
    ("zwemles", {"Zwemles voor iedereen"}),
    ("sportclub betalen", LOW_INCOME),
    ("consultatiebureau", {"Consultatiebureau"}),
    ("taalontwikkeling peuter", {"Logopedie-screening peuters"}),
    ("een eigen mentor", {"JIM-coach: een eigen mentor kiezen"}),
    ("stage of baan zoeken", {"Werk en opleiding voor jongeren"}),
    ("hulp bij opvoeden Heerlen", {"Gebiedsteam Heerlen: vragen over opgroeien"} | PARENTING),
    # Compounds nobody wrote, found by their parts.
    ("thuiscrisis", {"Crisishulp thuis"}),
    ("gokverslaving", {GAMING}),
    ("scheidingskinderen", {"Kinderen in scheiding"}),
    ("geweldsmelding", {"Veilig Thuis: advies en melding"}),
    ("gezinsstructuur", {"Ambulante gezinsbegeleiding"}),
    ("schoolautisme", {AUTISM}),
    # Long questions, as parents type them.
    ("waar kan ik terecht als het thuis echt niet meer gaat", {"Crisishulp thuis"}),
    ("wie helpt ons kind met autisme op school", {AUTISM}),
    ("mijn zoon gamet en gokt te veel wat kan ik doen", {GAMING}),
    ("onze dochter van 15 gaat al weken niet naar school", SCHOOL_REFUSAL),
    ("we hebben schulden en kunnen de sportclub niet betalen", LOW_INCOME | {DEBT}),
    ("mijn kinderen hebben het moeilijk met onze scheiding", {"Kinderen in scheiding"}),
]

# The score the search must keep. The first 44 queries scored 0.943 on both databases
# with Snowball's Dutch stemmer, synonyms and leading words of compounds (the
# hand-written stemmer scored 0.619 on SQLite and 0.642 on PostgreSQL); with the
# compounds split against the index and the long questions, all 56 score 0.908 on
# SQLite and 0.929 on PostgreSQL (the long questions and new compounds find nothing
# without decompounding and the any-word fallback).
MINIMUM_MRR = 0.9


def reciprocal_rank(found: list[str], right: set[str]) -> float:
    for place, name in enumerate(found[:10], start=1):
        if name in right:
            return 1 / place
    return 0.0


class JudgedQueryTests(RitsTestCase):
    heerlen: Municipality
    landgraaf: Municipality

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        places = {
            "heerlen": cls.heerlen,
            "landgraaf": cls.landgraaf,
            "voerendaal": Municipality.objects.get(code="GM0986"),
        }
        organisations = {
            key: Organisation.objects.get_or_create(
                name=name, kind=kind, region=cls.region, municipality=places[place]
            )[0]
            for key, name, kind, place in ORGANISATIONS
        }
        demo.build(
            DemoRegion(
                region=cls.region,
                municipalities=places,
                organisations=organisations,
                out=io.StringIO(),
            )
        )
        search.forget_vocabulary()

    def score(self) -> tuple[float, list[str]]:
        total = 0.0
        misses = []
        for query, right in JUDGED:
            found = [
                s.name for s in search.search(search.SearchParams(q=query, per_page=10)).services
            ]
            rank = reciprocal_rank(found, right)
            total += rank
            if rank < 1:
                misses.append(f"{query!r}: {rank:.2f} {found[:3]}")
        return total / len(JUDGED), misses

    def test_every_judged_answer_is_on_the_demo_map(self) -> None:
        names = set(Service.objects.values_list("name", flat=True))
        for query, right in JUDGED:
            self.assertLessEqual(right, names, query)

    def test_the_judged_queries_find_the_right_services_first(self) -> None:
        mrr, misses = self.score()
        print(f"\nMRR {mrr:.3f} over {len(JUDGED)} queries\n" + "\n".join(misses))
        self.assertGreaterEqual(mrr, MINIMUM_MRR, "\n".join(misses))
