"""The privacy officer's search in a real browser: HTMX updates, and a BSN never stays."""

from __future__ import annotations

import os
import random

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, Playwright, expect, sync_playwright

from rits.accounts.models import Membership, Organisation
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.lib.testing import login, make_user
from rits.regions.models import Municipality, YouthCareRegion

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class TrailSearchInBrowserTest(StaticLiveServerTestCase):
    # The live server flushes the database afterwards; restore the CBS reference data.
    serialized_rollback = True

    playwright: Playwright
    browser: Browser

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()

    def _fixture_teardown(self) -> None:
        # With CASCADE: on PostgreSQL a table kept outside the ORM (the social map's
        # search table) references an ORM table and blocks a plain TRUNCATE.
        for alias in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,
                allow_cascade=True,
                inhibit_post_migrate=True,
            )

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

    def start_browser(self) -> None:
        self.playwright = sync_playwright().start()
        self.addCleanup(self.playwright.stop)
        self.browser = self.playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        self.addCleanup(self.browser.close)
        self.addCleanup(connections.close_all)

    def test_a_bsn_search_updates_the_results_and_leaves_only_the_pseudonym(self) -> None:
        client = Client()
        login(client, self.officer)
        session = client.cookies["sessionid"].value
        self.start_browser()
        context = self.browser.new_context(locale="nl-NL")
        context.add_cookies([{"name": "sessionid", "value": session, "url": self.live_server_url}])
        page = context.new_page()

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
