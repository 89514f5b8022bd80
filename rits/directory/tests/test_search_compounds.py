"""Dutch compounds are found by their parts, split against the index's own words; a
long question no service answers word for word finds the services with most of them."""

from __future__ import annotations

from rits.directory import search
from rits.directory.models import Service
from rits.directory.tests.base import DirectoryTestCase


def stems_of(*words: str) -> list[str]:
    return sorted(search.stem(search.normalise(w)) for w in words)


def term(query: str) -> str:
    (only,) = search.terms_of(query)
    return only


class DecompoundTests(DirectoryTestCase):
    def test_it_splits_the_compounds_people_type_into_indexed_words(self) -> None:
        cases = {
            "opvoedproblemen": ("opvoeden", "problemen"),
            "gameverslaving": ("game", "verslaving"),
            "angststoornis": ("angst", "stoornis"),
            "geldzorgen": ("geld", "zorgen"),
        }
        for compound, parts in cases.items():
            with self.subTest(compound):
                self.assertEqual(
                    search.decompound(term(compound), stems_of(*parts)),
                    tuple(search.stem(p) for p in parts),
                )

    def test_a_stop_word_part_is_left_out(self) -> None:
        # "hulp" is a stop word of the social map: "schuld" and "verlening" remain.
        self.assertEqual(
            search.decompound(term("schuldhulpverlening"), stems_of("schulden", "verlening")),
            (search.stem("schuld"), search.stem("verlening")),
        )

    def test_the_fewest_parts_win(self) -> None:
        words = stems_of("schulden", "hulpverlening", "verlening")
        self.assertEqual(
            search.decompound(term("schuldhulpverlening"), words),
            (search.stem("schuld"), search.stem("hulpverlening")),
        )

    def test_linking_letters_between_parts(self) -> None:
        self.assertEqual(
            search.decompound(term("gezinsbegeleiding"), stems_of("gezin", "begeleiding")),
            ("gezin", search.stem("begeleiding")),
        )

    def test_no_split_without_two_indexed_parts(self) -> None:
        self.assertIsNone(search.decompound(term("ondersteuning"), stems_of("steun")))
        self.assertIsNone(search.decompound(term("opvoedproblemen"), stems_of("opvoeden")))
        # Short words are left whole, whatever the index holds.
        self.assertIsNone(search.decompound("kindzorg", stems_of("kind", "zorg")[:1]))

    def test_a_compound_finds_a_service_that_writes_its_parts(self) -> None:
        self.parenting.description = "Voor problemen bij het opvoeden, slapen en driftbuien."
        self.parenting.save()
        search.reindex([self.parenting.pk])

        result = search.search(search.SearchParams(q="opvoedproblemen"))

        self.assertEqual([s.name for s in result.services], ["Opvoedspreekuur"])
        self.assertIsNone(result.corrected)  # found as written, not by a fallback

    def test_a_compound_still_finds_itself(self) -> None:
        self.anxiety.description = "Behandeling bij een angststoornis."
        self.anxiety.save()
        search.reindex([self.anxiety.pk])

        result = search.search(search.SearchParams(q="angststoornis"))

        self.assertEqual([s.name for s in result.services], ["Jeugd-GGZ: angst en somberheid"])
        self.assertIsNone(result.corrected)


class LongQuestionTests(DirectoryTestCase):
    def test_a_long_question_finds_the_service_with_most_of_its_words(self) -> None:
        result = search.search(
            search.SearchParams(q="wie begeleidt kinderen met autisme thuis en bij slapen")
        )

        self.assertTrue(result.some_words)
        self.assertEqual(result.services[0].name, "Begeleiding bij autisme")

    def test_two_words_must_both_match(self) -> None:
        result = search.search(search.SearchParams(q="autisme angst"))

        self.assertEqual(result.services, [])
        self.assertFalse(result.some_words)

    def test_every_service_shown_has_one_of_the_words(self) -> None:
        result = search.search(search.SearchParams(q="autisme slapen somberheid zwemmen"))

        self.assertTrue(result.some_words)
        self.assertEqual(
            {s.name for s in result.services},
            {"Begeleiding bij autisme", "Opvoedspreekuur", "Jeugd-GGZ: angst en somberheid"},
        )
        self.assertNotIn(Service.objects.get(pk=self.closed.pk), result.services)


class ExactRankingTests(DirectoryTestCase):
    """Every match is ranked: the first page is the best of all matches, and a kept
    page never outlives a change to the map."""

    swimming: list[Service]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.swimming = [
            cls.service(
                cls.provider_a,
                f"Zwemles {i}" if i % 2 else f"Spelen {i}",
                "Zwemles en spelen voor kinderen.",
                ["vrije-tijd"],
                (None, None),
                ["nl"],
                [cls.heerlen],
            )
            for i in range(5)
        ]
        search.reindex([s.pk for s in cls.swimming])

    def names(self, **kw: object) -> list[str]:
        result = search.search(search.SearchParams(q="zwemles", **kw))  # type: ignore[arg-type]
        return [s.name for s in result.services]

    def test_name_matches_of_all_matches_come_first_then_by_id(self) -> None:
        s = [service.name for service in self.swimming]
        self.assertEqual(self.names(per_page=10), [s[1], s[3], s[0], s[2], s[4]])
        self.assertEqual(self.names(per_page=2, page=2), [s[0], s[2]])

    def test_a_kept_page_is_not_served_after_a_change(self) -> None:
        self.names()  # ranked and kept
        self.swimming[1].status = Service.Status.DEFUNCT
        self.swimming[1].save()
        search.reindex([self.swimming[1].pk])

        self.assertNotIn("Zwemles 1", self.names())

    def test_a_kept_page_is_not_served_after_a_change_without_reindex(self) -> None:
        before = self.names(provider=self.provider_a)
        self.swimming[3].provider = self.provider_b  # the filter reads the row
        self.swimming[3].save()

        after = self.names(provider=self.provider_a)

        self.assertIn("Zwemles 3", before)
        self.assertNotIn("Zwemles 3", after)
