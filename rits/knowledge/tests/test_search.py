"""Dutch full-text search over practices, experience reports, updates and the glossary,
with filters and the access rule of each kind."""

from __future__ import annotations

from rits.directory.models import Theme
from rits.knowledge import search, services
from rits.knowledge.models import Evidence, Network, Practice
from rits.knowledge.search import KnowledgeQuery
from rits.knowledge.tests.base import KnowledgeTestCase, practice_data
from rits.regions.models import YouthCareRegion
from rits.testing import login


class SearchTests(KnowledgeTestCase):
    local: Practice

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.local = services.save_practice(
            practice_data(
                name="Opvoedcafé",
                summary="Ouders praten in de wijk over opvoeding en ruzie thuis.",
                problem="Ouders voelen zich alleen met opvoedvragen.",
                evidence=Evidence.LOCAL,
                evidence_source="",
                evidence_valid_until=None,
                minimum_age=0,
                maximum_age=12,
                themes=["opvoeden"],
                is_public=False,
            ),
            actor=cls.facilitator,
        )
        services.add_report(
            cls.local,
            actor=cls.coordinator,
            region=YouthCareRegion.objects.get(code="JZ02"),
            result="Vaders kwamen ook, toen het op zaterdag was.",
        )
        services.post_update(
            cls.network, actor=cls.professional, working_on="Opvoedspreekuur in het buurthuis."
        )
        services.save_term(
            actor=cls.facilitator, term="Regie", meaning="Wie het overzicht houdt bij de opvoeding."
        )

    def titles(self, user: object, **params: object) -> list[str]:
        result = search.search(KnowledgeQuery(**params), user)  # type: ignore[arg-type]
        return [d.title for d in result.documents]

    def test_dutch_words_match_their_other_forms(self) -> None:
        found = self.titles(self.professional, q="opvoeden")
        self.assertIn("Opvoedcafé", found)  # "opvoeding" in the summary
        self.assertIn("Regie", found)  # the glossary's "opvoeding"
        self.assertTrue(any(t.startswith(self.org_a.name) for t in found))  # the update
        self.assertEqual(self.titles(self.professional, q="vaders zaterdag")[0][:10], "Opvoedcafé")

    def test_filters_by_theme_age_evidence_and_region(self) -> None:
        opvoeden = Theme.objects.get(code="opvoeden")
        self.assertEqual(
            self.titles(self.professional, theme=opvoeden, kind="practice"), ["Opvoedcafé"]
        )
        self.assertEqual(
            self.titles(self.professional, age=13, kind="practice"), ["Huiswerkmaatje"]
        )
        self.assertEqual(
            self.titles(self.professional, evidence=Evidence.WELL_DESCRIBED), ["Huiswerkmaatje"]
        )
        friesland = YouthCareRegion.objects.get(code="JZ02")
        self.assertEqual(len(self.titles(self.professional, q="vaders", region=friesland)), 1)
        self.assertEqual(self.titles(self.professional, q="vaders", region=self.region), [])

    def test_updates_of_a_private_network_are_found_by_its_members_only(self) -> None:
        self.assertTrue(self.titles(self.professional, q="opvoedspreekuur"))
        self.assertEqual(self.titles(self.outsider, q="opvoedspreekuur"), [])
        Network.objects.filter(pk=self.network.pk).update(is_public=True)
        self.assertTrue(self.titles(self.outsider, q="opvoedspreekuur"))

    def test_without_login_only_public_practices_are_found(self) -> None:
        self.assertEqual(self.titles(None, q="huiswerk"), ["Huiswerkmaatje"])
        self.assertEqual(self.titles(None, q="opvoeding"), [])

    def test_the_page_searches_and_refuses_a_huge_query(self) -> None:
        login(self.client, self.professional)
        page = self.client.get("/kennis/", {"q": "opvoeding", "kind": "practice"}).content.decode()
        self.assertIn("Opvoedcafé", page)
        self.assertIn("1 resultaat", page)
        r = self.client.get("/kennis/", {"q": "x" * 500})
        self.assertEqual(r.status_code, 200)
        self.assertIn("errorlist", r.content.decode())

    def test_a_changed_practice_is_found_by_its_new_words_only(self) -> None:
        services.save_practice(
            practice_data(name="Huiswerkmaatje", summary="Nu met rekenen en taal."),
            actor=self.facilitator,
            practice=self.practice,
        )
        self.assertEqual(self.titles(self.professional, q="rekenen"), ["Huiswerkmaatje"])
        self.assertEqual(self.titles(self.professional, q="plannen"), [])


class RankBlockTests(KnowledgeTestCase):
    def test_a_frequent_word_is_ranked_among_the_newest_matches_and_counted_exactly(self) -> None:
        from unittest import mock

        for i in range(5):
            services.save_term(actor=self.facilitator, term=f"Woord {i}", meaning="Samen leren.")
        with mock.patch.object(search, "RANK_CANDIDATES", 3):
            result = search.search(KnowledgeQuery(q="samen leren", per_page=2), self.professional)
        self.assertEqual(result.total, 5)
        self.assertEqual(len(result.documents), 2)
        newest = sorted(
            (d.pk for d in search.SearchDocument.objects.filter(kind="term")), reverse=True
        )[:3]
        self.assertTrue({d.pk for d in result.documents} <= set(newest))
