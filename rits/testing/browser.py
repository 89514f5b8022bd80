"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright.

Playwright never downloads a browser here; ``make test`` installs Debian's
``chromium`` when it is missing.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connections
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from rits.accounts.models import User
from rits.testing import CommittedData, login

CHROMIUM = "/usr/bin/chromium"
# Headless on a closed network: no background services that would try to phone home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserTestCase(CommittedData, StaticLiveServerTestCase):
    """A live server plus a fresh Chromium per test.

    - ``serialized_rollback``: the live server's flush would otherwise take the
      reference data loaded by migrations (municipalities, themes) with it.
    - The browser starts per test, after the database is set up: while Playwright's
      event loop runs, Django hands out another connection object, which would lose
      the serialized data the flush restores.
    """

    serialized_rollback = True

    playwright: Playwright
    browser: Browser

    @classmethod
    def setUpClass(cls) -> None:
        # Playwright's sync API runs an event loop in this thread; the ORM calls the
        # tests make around it are synchronous and safe.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()

    def start_browser(self) -> Browser:
        self.playwright = sync_playwright().start()
        self.addCleanup(self.playwright.stop)
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.addCleanup(self.browser.close)
        # Cleanups run last-in first-out: close connections opened inside the loop first.
        self.addCleanup(connections.close_all)
        return self.browser

    def new_context(self, user: User | None = None, **options: Any) -> BrowserContext:
        """A Dutch browser context, logged in as ``user`` (second factor passed) if given."""
        if not hasattr(self, "browser"):
            self.start_browser()
        context = self.browser.new_context(locale="nl-NL", **options)
        self.addCleanup(context.close)
        if user is not None:
            client = Client()
            login(client, user)
            session = client.cookies["sessionid"].value
            context.add_cookies(
                [{"name": "sessionid", "value": session, "url": self.live_server_url}]
            )
        return context
