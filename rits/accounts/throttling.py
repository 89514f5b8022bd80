"""Request rate limits: django-ninja's throttle, with its rate read from a setting.

One count per signed-in account; a call without an account counts per client address
(``REMOTE_ADDR``, which ``rits.lib.proxies`` has already taken from trusted proxies;
``NINJA_NUM_PROXIES = 0`` keeps ninja from reading X-Forwarded-For itself, which anyone
can forge). The counts live in Django's default cache, which every worker and server
shares (the database cache, or Redis with ``REDIS_URL``): a limit holds for the whole
deployment, however many processes serve it. Ninja's throttle reads a count's history
and writes it back without a lock, so two requests that arrive at the same instant may
both be counted as one: under exact concurrency a client can get a request or two past
the limit. That is close enough for a rate limit; sign-in attempts are limited by
django-axes, which counts in the database, not by this.

The rate is read at each request, so that a deployment sets it in the environment
(``RITS_API_RATE`` and the others in ``rits.settings``) and a benchmark can lift it
for its own run; ``off`` switches a limit off. The JSON API answers a refused call
with 429, ``Retry-After`` and a problem document; an HTML view with ``refused()``.
The first refusal in a window is audited (``accounts.rate_limited``), not every one,
so that a client hammering away cannot flood the trail.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import SimpleRateThrottle

from rits.audit.models import Entry
from rits.audit.services import record

OFF = "off"
# The benchmarks send thousands of requests a minute from one account or address: they
# lift every limit above that, so that the limits' own cost is still measured.
BENCHMARK_RATES = {
    "RITS_API_RATE": "1000000/h",
    "RITS_REGISTRATION_RATE": "1000000/h",
    "RITS_RIGHTS_LOOKUP_RATE": "1000000/h",
}


@functools.cache
def parse_rate(rate: str) -> tuple[int, int]:
    """(requests, seconds) of a rate such as ``600/m``, ``30/h`` or ``5/10s``."""
    requests, seconds = Throttle("parse", "").parse_rate(rate)
    if not requests or not seconds:
        raise ValueError(f"Invalid rate {rate!r}")
    return requests, seconds


def check_rate(name: str, rate: str) -> str:
    """The rate from setting ``name``, refused at startup if it cannot be read."""
    if rate == OFF:
        return rate
    try:
        parse_rate(rate)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a rate such as 600/m, 30/h or {OFF!r}, not {rate!r}."
        ) from None
    return rate


class Throttle(SimpleRateThrottle):
    """At most the rate in setting ``setting`` per account (or client address).

    Like ninja's own throttles, an instance keeps the request it is deciding on, so it
    serves one request at a time: as a sync worker does."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting
        self.rate = None
        self.num_requests = self.duration = None
        if setting:
            check_rate(setting, getattr(settings, setting))

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.setting)
        if rate == OFF:
            return True
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = parse_rate(rate)
        if super().allow_request(request):
            return True
        # The first refusal of a window is audited.
        if cache.add(f"{self.key}-audited", True, self.duration):
            record(
                self._account(request),
                "accounts.rate_limited",
                outcome=Entry.Outcome.FAILURE,
                purpose=Entry.Purpose.SECURITY,
                data={"limit": self.scope, "rate": self.rate, "path": request.path[:200]},
            )
        return False

    @staticmethod
    def _account(request: HttpRequest) -> Any:
        account = getattr(request, "auth", None) or getattr(request, "user", None)
        return account if getattr(account, "is_authenticated", False) else None

    def get_cache_key(self, request: HttpRequest) -> str:
        account = self._account(request)
        ident = f"account-{account.pk}" if account else f"address-{self.get_ident(request)}"
        return f"rits-throttle-{self.scope}-{ident}"

    def refused(self, request: HttpRequest) -> HttpResponse:
        """The HTML answer to a refused request: 429, with when to try again."""
        wait = self.wait()
        response = render(
            request,
            "throttled.html",
            {"minutes": max(1, round((wait or self.duration or 60) / 60))},
            status=429,
        )
        if wait is not None:
            response["Retry-After"] = str(max(1, round(wait)))
        return response


# Every JSON API call (the API's default; an operation with limits of its own names it too).
api_calls = Throttle("api", "RITS_API_RATE")
