"""The client's address behind reverse proxies reaches the audit trail and the lockout
(rits.lib.proxies, applied by rits.wsgi)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from rits.audit.models import Entry
from rits.lib.proxies import behind_proxies
from rits.testing import PASSWORD, RitsTestCase

CLIENT = "203.0.113.7"
FORGED = "198.51.100.9"
PROXY = "10.0.0.2"


class ProxyTests(RitsTestCase):
    def call(self, count: int, environ: dict[str, Any]) -> int:
        return self.respond(count, environ)[0]

    def respond(self, count: int, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]]]:
        """One request through the real WSGI handler, as gunicorn makes it. Like Django's
        test client, keep the test's database connection open across it."""
        started: list[tuple[str, list[tuple[str, str]]]] = []
        app = behind_proxies(WSGIHandler(), count)
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = app(environ, lambda status, headers, exc=None: started.append((status, headers)))
            b"".join(body)
            body.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        status, headers = started[0]
        return int(status.split()[0]), headers

    def rejected_token(self, count: int, forwarded: str | None) -> Entry:
        request = RequestFactory().get(
            "/api/v1/accounts/me",
            REMOTE_ADDR=PROXY,
            HTTP_AUTHORIZATION="Bearer rits_unknownunknownunknownunknown",
        )
        if forwarded:
            request.environ["HTTP_X_FORWARDED_FOR"] = forwarded
        self.assertEqual(self.call(count, request.environ), 401)
        return Entry.objects.filter(event="accounts.token_rejected").latest("id")

    def test_without_trusted_proxies_the_sockets_address_counts(self) -> None:
        entry = self.rejected_token(0, f"{FORGED}, {CLIENT}")
        self.assertEqual(entry.ip_address, PROXY)

    def test_behind_one_proxy_the_address_it_added_counts_and_a_forged_one_does_not(
        self,
    ) -> None:
        self.assertEqual(self.rejected_token(1, CLIENT).ip_address, CLIENT)
        self.assertEqual(self.rejected_token(1, f"{FORGED}, {CLIENT}").ip_address, CLIENT)

    def test_behind_two_proxies_the_first_proxys_entry_counts(self) -> None:
        entry = self.rejected_token(2, f"{FORGED}, {CLIENT}, 10.0.0.1")
        self.assertEqual(entry.ip_address, CLIENT)

    def test_a_request_past_the_proxy_keeps_the_sockets_address(self) -> None:
        self.assertEqual(self.rejected_token(1, None).ip_address, PROXY)

    def test_the_lockout_counts_failed_logins_per_client_not_per_proxy(self) -> None:
        form = RequestFactory().get("/account/login/", REMOTE_ADDR=PROXY)
        _status, headers = self.respond(1, form.environ)
        cookie = SimpleCookie(next(v for k, v in headers if k == "Set-Cookie" and "csrf" in v))
        csrf = cookie[settings.CSRF_COOKIE_NAME].value
        request = RequestFactory().post(
            "/account/login/",
            {
                "username": self.professional.email,
                "password": PASSWORD + "wrong",
                "csrfmiddlewaretoken": csrf,
            },
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=CLIENT,
            HTTP_COOKIE=f"{settings.CSRF_COOKIE_NAME}={csrf}",
        )
        self.assertEqual(self.call(1, request.environ), 200)
        attempt = AccessAttempt.objects.get(username=self.professional.email)
        self.assertEqual(attempt.ip_address, CLIENT)
