"""The privacy officer's search in a real browser: HTMX updates, and a BSN never stays."""

from __future__ import annotations

import random

from playwright.sync_api import expect

from rits.accounts.models import Membership, Organisation
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase


class TrailSearchInBrowserTest(BrowserTestCase):
    def setUp(self) -> None:
        organisation = Organisation.objects.create(
            name="Gemeente Heerlen (e2e)",
            kind=Organisation.Kind.MUNICIPALITY,
            region=YouthCareRegion.objects.get(code="JZ41"),
            municipality=Municipality.objects.get(code="GM0917"),
        )
        self.officer = make_user("privacy-e2e@test.rits.nl", "Frits Privacy")
        Membership.objects.create(
            user=self.officer, organisation=organisation, role=Membership.Role.PRIVACY_OFFICER
        )
        self.bsn = synthetic_bsn(random.Random(4242))
        self.pseudonym = pseudonymise_bsn(self.bsn)
        record(
            None, "audit.chain_verified", subject=self.pseudonym, object_label="Gezinsplan Jansen"
        )
        record(None, "audit.chain_verified", object_label="Gezinsplan De Vries")

    def test_a_bsn_search_updates_the_results_and_leaves_only_the_pseudonym(self) -> None:
        page = self.new_context(self.officer).new_page()

        page.goto(f"{self.live_server_url}/audit/")
        self.assertIn("Gezinsplan De Vries", page.inner_text("#audit-results"))
        page.evaluate("window.notReloaded = true")

        page.fill("#id_subject", self.bsn)
        page.press("#id_subject", "Enter")
        # Waits for the HTMX swap (without evaluating strings, which the CSP forbids).
        expect(page.locator("#audit-results")).not_to_contain_text("De Vries")

        results = page.inner_text("#audit-results")
        self.assertIn("Gezinsplan Jansen", results)
        self.assertTrue(page.evaluate("window.notReloaded === true"))  # swapped, not reloaded
        self.assertEqual(page.input_value("#id_subject"), self.pseudonym)
        self.assertIn(f"subject={self.pseudonym}", page.url)
        self.assertNotIn(self.bsn, page.url)
        self.assertNotIn(self.bsn, page.content())
