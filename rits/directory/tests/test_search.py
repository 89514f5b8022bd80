"""Search behaviour. These run on whichever database is configured: SQLite (FTS5) by
default, PostgreSQL (tsvector) with DATABASE_URL; the expectations are the same."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

from rits.directory import search
from rits.directory.models import Service
from rits.directory.reachability import AMSTERDAM
from rits.directory.tests.base import DirectoryTestCase


def names(result: search.SearchResult) -> list[str]:
    return [s.name for s in result.services]


class SearchTextTests(DirectoryTestCase):
    def find(self, q: str, **kw: object) -> search.SearchResult:
        return search.search(search.SearchParams(q=q, **kw))  # type: ignore[arg-type]

    def test_it_finds_a_word_in_the_description(self) -> None:
        self.assertEqual(names(self.find("school")), ["Begeleiding bij autisme"])

    def test_it_matches_other_forms_of_a_word(self) -> None:
        # "opvoeding" (noun) finds "opvoeden" (verb) and "opvoeding".
        found = names(self.find("opvoeding"))
        self.assertIn("Opvoedspreekuur", found)
        self.assertIn("Jeugd-GGZ: angst en somberheid", found)

    def test_it_ignores_accents_and_case(self) -> None:
        self.assertEqual(names(self.find("PRIVE")), ["Opvoedspreekuur"])

    def test_it_matches_prefixes(self) -> None:
        self.assertEqual(names(self.find("somber")), ["Jeugd-GGZ: angst en somberheid"])

    def test_every_word_must_match(self) -> None:
        self.assertEqual(names(self.find("autisme angst")), [])

    def test_stop_words_do_not_narrow_the_search(self) -> None:
        result = self.find("hulp bij autisme voor de school")
        self.assertEqual(names(result), ["Begeleiding bij autisme"])
        self.assertEqual(result.terms, ["autism", "schol"])

    def test_a_word_no_service_uses_is_left_out_when_nothing_matches(self) -> None:
        result = self.find("mijn zoon van 14 is sombere")
        self.assertEqual(names(result), ["Jeugd-GGZ: angst en somberheid"])
        self.assertEqual(result.corrected, "sombere")  # the user's own word, not its stem
        # A word some service uses still narrows the search.
        self.assertEqual(names(self.find("somber adhd")), [])

    def test_index_and_query_hold_the_same_dutch_stems(self) -> None:
        # Snowball's Dutch stemmer, as PostgreSQL's 'dutch' configuration has it.
        self.assertEqual(
            [search.stem(w) for w in ("opvoeding", "kinderen", "autisme", "schulden", "zoon")],
            ["opvoed", "kinder", "autism", "schuld", "zon"],
        )
        words = search.vocabulary()
        self.assertIn("opvoed", words)
        self.assertNotIn("opvoeding", words)
        self.assertIn("driftbui", words)

    def test_a_synonym_finds_what_the_service_calls_otherwise(self) -> None:
        self.assertEqual(names(self.find("autistisch")), ["Begeleiding bij autisme"])
        self.assertEqual(names(self.find("depressie")), ["Jeugd-GGZ: angst en somberheid"])

    def test_a_compound_nobody_wrote_is_searched_by_its_leading_word(self) -> None:
        result = self.find("angststoornis")
        self.assertEqual(names(result), ["Jeugd-GGZ: angst en somberheid"])
        self.assertEqual(result.corrected, "angst")
        self.assertEqual(
            names(self.find("opvoedproblemen")),
            ["Opvoedspreekuur", "Jeugd-GGZ: angst en somberheid"],
        )

    def test_it_corrects_a_typo_when_nothing_matches(self) -> None:
        result = self.find("autsime")
        self.assertEqual(names(result), ["Begeleiding bij autisme"])
        # PostgreSQL's vocabulary holds stems ("autism"), SQLite's the words.
        self.assertIn(result.corrected, {"autisme", "autism"})

    def test_a_changed_index_refreshes_the_vocabulary_just_after_boot(self) -> None:
        # The monotonic clock starts near zero when the machine boots: a forgotten
        # vocabulary must be read again even then.
        with mock.patch("time.monotonic", return_value=5.0):
            search.vocabulary()
            self.autism.name = "Begeleiding bij zwemangst"
            self.autism.save()
            search.reindex([self.autism.pk])
            self.assertEqual(search.correct(["zwemagnst"]), ["zwemangst"])

    def test_it_leaves_out_inactive_services(self) -> None:
        self.assertNotIn("Gestopte autismegroep", names(self.find("autisme")))

    def test_a_name_match_ranks_above_a_description_match(self) -> None:
        self.autism.description = "Begeleiding thuis en op school."
        self.autism.save()
        self.anxiety.description = "Ook bij angst door autisme."
        self.anxiety.save()
        search.reindex([self.autism.pk, self.anxiety.pk])
        self.assertEqual(
            names(self.find("autisme")),
            ["Begeleiding bij autisme", "Jeugd-GGZ: angst en somberheid"],
        )

    def test_a_theme_match_ranks_above_a_description_match(self) -> None:
        # "adhd": a search word of the autism service's theme, and the GGZ service's text.
        self.anxiety.description = "Ook bij ADHD."
        self.anxiety.save()
        search.reindex([self.anxiety.pk])
        self.assertEqual(
            names(self.find("adhd")),
            ["Begeleiding bij autisme", "Jeugd-GGZ: angst en somberheid"],
        )

    def test_theme_search_words_are_searchable(self) -> None:
        # "adhd" is a search word of the theme "Ontwikkeling", not in any text.
        self.assertEqual(names(self.find("adhd")), ["Begeleiding bij autisme"])

    def test_it_rejects_an_oversized_query(self) -> None:
        with self.assertRaises(search.QueryTooLong):
            self.find("autisme " * 40)

    def test_symbols_in_the_query_are_harmless(self) -> None:
        self.assertEqual(names(self.find('autisme" * ( -:')), ["Begeleiding bij autisme"])

    def test_it_reads_age_and_municipality_from_the_text(self) -> None:
        result = self.find("angst 14 jaar Voerendaal")
        self.assertEqual(result.understood, {"age": 14, "municipality": "GM0986"})
        self.assertEqual(names(result), ["Jeugd-GGZ: angst en somberheid"])
        self.assertEqual(names(self.find("autisme 14 jaar Voerendaal")), [])

    def test_a_change_is_searchable_at_once(self) -> None:
        self.parenting.name = "Opvoedpunt Schaesberg"
        self.parenting.save()
        search.reindex([self.parenting.pk])
        self.assertEqual(names(self.find("opvoedpunt")), ["Opvoedpunt Schaesberg"])


class SearchFilterTests(DirectoryTestCase):
    def find(self, q: str = "", **kw: object) -> list[str]:
        return names(search.search(search.SearchParams(q=q, **kw)))  # type: ignore[arg-type]

    def test_without_words_it_lists_everything_active_by_name(self) -> None:
        self.assertEqual(
            self.find(),
            ["Begeleiding bij autisme", "Jeugd-GGZ: angst en somberheid", "Opvoedspreekuur"],
        )

    def test_it_filters_on_municipality(self) -> None:
        self.assertEqual(
            self.find(municipality=self.voerendaal), ["Jeugd-GGZ: angst en somberheid"]
        )
        self.assertEqual(self.find("autisme", municipality=self.landgraaf), [])

    def test_a_wijk_includes_services_for_the_whole_municipality(self) -> None:
        self.assertEqual(
            self.find(area=self.schaesberg),
            ["Jeugd-GGZ: angst en somberheid", "Opvoedspreekuur"],
        )
        self.assertEqual(self.find("opvoeden", area=self.schaesberg)[0:1], ["Opvoedspreekuur"])

    def test_it_filters_on_age(self) -> None:
        self.assertEqual(self.find(age=2), ["Opvoedspreekuur"])
        self.assertEqual(self.find("angst", age=5), [])
        self.assertEqual(self.find("angst", age=6), ["Jeugd-GGZ: angst en somberheid"])
        self.assertEqual(self.find(age=40), [])

    def test_it_filters_on_theme_language_and_waiting_time(self) -> None:
        self.assertEqual(self.find(theme=self.themes["ggz"]), ["Jeugd-GGZ: angst en somberheid"])
        self.assertEqual(self.find(language="de"), ["Begeleiding bij autisme"])
        self.assertEqual(self.find("autisme", language="en"), [])
        self.assertEqual(self.find(max_wait_weeks=12), ["Begeleiding bij autisme"])

    def test_it_filters_on_open_now(self) -> None:
        tuesday_morning = datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM)
        tuesday_night = datetime(2026, 3, 10, 22, 0, tzinfo=AMSTERDAM)
        easter_monday = datetime(2026, 4, 6, 10, 0, tzinfo=AMSTERDAM)
        self.assertEqual(self.find(open_at=tuesday_morning), ["Begeleiding bij autisme"])
        self.assertEqual(self.find("autisme", open_at=tuesday_night), [])
        self.assertEqual(self.find("autisme", open_at=easter_monday), [])

    def test_it_pages_through_results(self) -> None:
        first = search.search(search.SearchParams(per_page=2, page=1))
        second = search.search(search.SearchParams(per_page=2, page=2))
        self.assertEqual((first.total, first.pages, first.has_next), (3, 2, True))
        self.assertEqual(names(second), ["Opvoedspreekuur"])
        beyond = search.search(search.SearchParams(q="autisme", per_page=1, page=5))
        self.assertEqual((beyond.services, beyond.total), ([], 1))

    def test_filters_combine_with_words(self) -> None:
        self.assertEqual(
            self.find("angst", municipality=self.heerlen, age=15, language="en"),
            ["Jeugd-GGZ: angst en somberheid"],
        )


class WaitingTimeFilterTests(DirectoryTestCase):
    def test_a_confirmed_waiting_time_filters_at_once(self) -> None:
        from rits.directory.services import confirm_wait_time

        params = {"q": "angst", "max_wait_weeks": 12}
        self.assertEqual(names(search.search(search.SearchParams(**params))), [])  # type: ignore[arg-type]
        confirm_wait_time(self.anxiety, actor=self.editor, weeks=12)
        self.assertEqual(
            names(search.search(search.SearchParams(**params))),  # type: ignore[arg-type]
            ["Jeugd-GGZ: angst en somberheid"],
        )

    def test_long_waits_are_compared_exactly(self) -> None:
        from rits.directory.services import confirm_wait_time

        confirm_wait_time(self.anxiety, actor=self.editor, weeks=80)
        self.assertEqual(
            names(search.search(search.SearchParams(q="angst", max_wait_weeks=79))), []
        )
        self.assertEqual(
            names(search.search(search.SearchParams(q="angst", max_wait_weeks=80))),
            ["Jeugd-GGZ: angst en somberheid"],
        )


class RankingBlockTests(DirectoryTestCase):
    """Beyond EXACT_MAX matches (here two), matches are ranked in blocks of
    RANK_CANDIDATES, newest services first (here blocks of two), with an exact total
    and consistent pages."""

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

    def setUp(self) -> None:
        super().setUp()
        for name in ("RANK_CANDIDATES", "EXACT_MAX"):
            patcher = mock.patch.object(search, name, 2)
            patcher.start()
            self.addCleanup(patcher.stop)

    def expected(self) -> list[str]:
        s = [service.name for service in self.swimming]
        # Newest block {4, 3}: the name match first; then {2, 1}; then {0}.
        return [s[3], s[4], s[1], s[2], s[0]]

    def test_it_ranks_within_blocks_of_the_newest_matches(self) -> None:
        result = search.search(search.SearchParams(q="zwemles", per_page=10))
        self.assertEqual((names(result), result.total), (self.expected(), 5))

    def test_pages_cross_blocks_without_gaps_and_keep_the_exact_total(self) -> None:
        for per_page in (1, 2, 3):
            seen: list[str] = []
            for page in (1, 2, 3, 4, 5):
                result = search.search(
                    search.SearchParams(q="zwemles", per_page=per_page, page=page)
                )
                self.assertEqual(result.total, 5)
                seen += names(result)
            self.assertEqual(seen, self.expected(), per_page)

    def test_filters_apply_before_the_blocks(self) -> None:
        self.swimming[3].themes.set([self.themes["ggz"]])
        search.reindex([self.swimming[3].pk])
        result = search.search(
            search.SearchParams(q="zwemles", theme=self.themes["vrije-tijd"], per_page=10)
        )
        s = [service.name for service in self.swimming]
        # Blocks of the filtered matches: {4, 2} (a tie, so by id), then {1, 0}.
        self.assertEqual((names(result), result.total), ([s[2], s[4], s[1], s[0]], 4))
