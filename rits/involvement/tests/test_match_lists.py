"""The match lists and a single match: the page and the API show the same matches to
the same person, and everything listed can be opened (one rule, ``MatchQuerySet``)."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.involvement.models import Match
from rits.involvement.services import withdraw_signal
from rits.involvement.tests.base import BASE, ApiTestCase
from rits.testing import login

REFERENCE = re.compile(r">(M-\d{6})<")


class MatchListTests(ApiTestCase):
    """Three matches:

    - ``pair``: professional and outsider, youth in Heerlen (open);
    - ``across``: professional (Heerlen) and the Landgraaf school worker (Landgraaf);
    - ``agreed``: outsider and the area-team coordinator, Heerlen, agreed and in touch.
    """

    def setUp(self) -> None:
        super().setUp()
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.pair = self.register(self.outsider, bsn).matches[0]
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.across = self.register(
            self.landgraaf_worker, bsn, municipality=self.landgraaf
        ).matches[0]
        bsn = self.bsn()
        theirs = self.register(self.outsider, bsn).signal
        self.agreed = self.register(self.coordinator, bsn).matches[0]
        Match.objects.filter(pk=self.agreed.pk).update(
            status=Match.Status.SETTLED, coordinator=theirs
        )
        self.matches = [self.pair, self.across, self.agreed]

    def html_list(self, user: User, name: str) -> tuple[int, list[str]]:
        login(self.client, user)
        response = self.client.get(reverse(f"involvement:{name}"))
        return response.status_code, REFERENCE.findall(response.content.decode())

    def api_list(self, user: User, path: str) -> tuple[int, list[str]]:
        response = self.client.get(f"{BASE}{path}", headers=self.token(user))
        if response.status_code != 200:
            return response.status_code, []
        return 200, [m["reference"] for m in response.json()]

    def openable(self, user: User) -> tuple[set[str], set[str]]:
        """The matches the user can open, on the page and in the API."""
        login(self.client, user)
        html = {
            m.reference
            for m in self.matches
            if self.client.get(reverse("involvement:match", args=[m.pk])).status_code == 200
        }
        api = {
            m.reference
            for m in self.matches
            if self.client.get(f"{BASE}/matches/{m.pk}", headers=self.token(user)).status_code
            == 200
        }
        return html, api

    def test_my_matches_are_the_same_on_the_page_and_in_the_api(self) -> None:
        expected = {
            self.professional: [self.pair, self.across],
            self.outsider: [self.pair, self.agreed],  # open before settled
            self.coordinator: [self.agreed],
            self.landgraaf_worker: [self.across],
            self.heerlen_coordinator: [],
            self.landgraaf_coordinator: [],
            self.parent: [],
        }
        for user, matches in expected.items():
            with self.subTest(user=user.email):
                status, html = self.html_list(user, "matches")
                self.assertEqual(status, 200)
                self.assertEqual(self.api_list(user, "/matches"), (200, html))
                self.assertEqual(sorted(html), sorted(m.reference for m in matches))

    def test_my_matches_list_open_ones_first_then_the_longest_waiting_last(self) -> None:
        _status, html = self.html_list(self.outsider, "matches")
        self.assertEqual(html, [self.pair.reference, self.agreed.reference])

    def test_unresolved_matches_are_the_same_on_the_page_and_in_the_api(self) -> None:
        expected = {
            self.heerlen_coordinator: [self.pair, self.across],  # not the settled one
            self.landgraaf_coordinator: [self.across],  # another municipality's match: hidden
        }
        for user, matches in expected.items():
            with self.subTest(user=user.email):
                status, html = self.html_list(user, "unresolved")
                self.assertEqual(status, 200)
                self.assertEqual(self.api_list(user, "/matches/unresolved"), (200, html))
                self.assertEqual(html, [m.reference for m in matches])  # longest waiting first

    def test_only_municipal_coordinators_get_the_unresolved_list(self) -> None:
        for user in (self.professional, self.outsider, self.parent):
            with self.subTest(user=user.email):
                self.assertEqual(self.html_list(user, "unresolved")[0], 403)
                self.assertEqual(self.api_list(user, "/matches/unresolved")[0], 403)

    def in_a_list(self, match: Match) -> bool:
        """Whether a list would show the match to someone who may open it."""
        return Match.objects.get(pk=match.pk).status == Match.Status.OPEN

    def test_everything_listed_opens_and_an_open_match_that_opens_is_listed(self) -> None:
        for user in (
            self.professional,
            self.outsider,
            self.landgraaf_worker,
            self.heerlen_coordinator,
            self.landgraaf_coordinator,
            self.parent,
        ):
            with self.subTest(user=user.email):
                listed = set(self.html_list(user, "matches")[1])
                status, unresolved = self.html_list(user, "unresolved")
                if status == 200:
                    listed |= set(unresolved)
                html, api = self.openable(user)
                self.assertEqual(html, api)
                self.assertLessEqual(listed, html)
                # Opened, not listed: only what no list shows (a coordinator's settled match).
                unlisted = [m for m in self.matches if m.reference in html - listed]
                self.assertEqual([m.reference for m in unlisted if self.in_a_list(m)], [])

    def test_the_outsider_sees_no_match_anywhere(self) -> None:
        self.assertEqual(self.html_list(self.parent, "matches"), (200, []))
        self.assertEqual(self.api_list(self.parent, "/matches"), (200, []))
        self.assertEqual(self.openable(self.parent), (set(), set()))

    def test_a_coordinator_loses_a_match_once_their_municipality_has_no_active_signal(
        self,
    ) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.register(self.outsider, bsn)
        school = self.register(self.landgraaf_worker, bsn, municipality=self.landgraaf)
        match = school.matches[0]
        self.matches.append(match)
        self.assertIn(match.reference, self.openable(self.landgraaf_coordinator)[1])
        withdraw_signal(school.signal, actor=self.landgraaf_worker)
        self.assertEqual(Match.objects.get(pk=match.pk).status, Match.Status.OPEN)
        html, api = self.openable(self.landgraaf_coordinator)
        self.assertNotIn(match.reference, html | api)
        self.assertNotIn(
            match.reference, self.html_list(self.landgraaf_coordinator, "unresolved")[1]
        )
        self.assertIn(match.reference, self.html_list(self.heerlen_coordinator, "unresolved")[1])

    def test_both_lists_audit_the_matches_they_show(self) -> None:
        self.html_list(self.professional, "matches")
        self.api_list(self.professional, "/matches")
        ids = [m.pk for m in (self.pair, self.across)]
        entries = Entry.objects.filter(event="involvement.matches_listed", actor=self.professional)
        self.assertEqual(entries.count(), 2)
        for entry in entries:
            self.assertEqual(sorted(entry.data["matches"]), sorted(ids))
        self.assertEqual({e.channel for e in entries}, {"web", "api"})

    def test_the_api_list_reads_the_contacts_in_a_fixed_number_of_queries(self) -> None:
        headers = self.token(self.outsider)
        self.client.get(f"{BASE}/matches", headers=headers)  # the token's first use
        with CaptureQueriesContext(connection) as two:
            self.assertEqual(len(self.client.get(f"{BASE}/matches", headers=headers).json()), 2)
        bsn = self.bsn()
        self.register(self.landgraaf_worker, bsn)
        self.register(self.outsider, bsn)
        with self.assertNumQueries(len(two)):
            self.assertEqual(len(self.client.get(f"{BASE}/matches", headers=headers).json()), 3)
