"""Synthetic national data for the monitor's benchmark: signals, matches, family plans
with goals, spread over every municipality and the years asked for; written in bulk
(the apps' services would take days for a country's decade). Then the bare aggregates
are timed, and the daily refresh that stores the monitor's cells."""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import Membership, Organisation, User
from rits.family_plans.models import Family, Goal, Person, Plan
from rits.involvement.models import Signal
from rits.outcomes import indicators, services
from rits.regions.models import Municipality

BATCH = 5000


def _progress(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"  {label}: {done}/{total}\n")
    sys.stderr.flush()


def _moment(rng: random.Random, first: date, days: int) -> datetime:
    day = first + timedelta(days=rng.randrange(days))
    return datetime.combine(day, clock(12), tzinfo=timezone.get_current_timezone())


def fill(*, municipalities: int, years: int, signals: int, plans: int) -> dict[str, Any]:
    rng = random.Random(16)
    today = timezone.localdate()
    first = date(today.year - years + 1, 1, 1)
    days = (today - first).days + 1
    places = list(Municipality.objects.order_by("code")[:municipalities])
    region = places[0].region
    org = Organisation.objects.create(name="Bench", kind="area_team", region=region)
    reporter = User.objects.create_user("bench-reporter@bench.rits.nl", None, full_name="Bench")
    batch: list[Signal] = []
    for n in range(signals):
        batch.append(
            Signal(
                youth_pseudonym=f"{n:016x}".ljust(64, "0"),
                birth_date=date(2010, 1, 1),
                municipality=places[n % len(places)],
                reporter=reporter,
                organisation=org,
                contact_name="Bench",
                contact_email="bench@bench.rits.nl",
                registered_at=_moment(rng, first, days),
                ends_on=date(2033, 1, 1),
                status=Signal.Status.EXPIRED,
                ended_at=timezone.now(),
            )
        )
        if len(batch) == BATCH:
            Signal.objects.bulk_create(batch)
            batch = []
            if (n + 1) % (BATCH * 20) == 0:
                _progress("signals", n + 1, signals)
    Signal.objects.bulk_create(batch)
    _progress("signals", signals, signals)
    for start in range(0, plans, BATCH):
        size = min(BATCH, plans - start)
        families = Family.objects.bulk_create(
            Family(
                name="Gezin",
                municipality=places[(start + i) % len(places)],
                created_at=_moment(rng, first, days),
            )
            for i in range(size)
        )
        youths = Person.objects.bulk_create(
            Person(
                family=f,
                role=Person.Role.YOUTH,
                name="Jongere",
                date_of_birth=date(2004 + rng.randrange(14), 1 + rng.randrange(12), 1),
            )
            for f in families
        )
        made = Plan.objects.bulk_create(
            Plan(
                family=f,
                youth=y,
                created_at=f.created_at + timedelta(days=rng.randrange(90)),
                status=Plan.Status.CLOSED,
            )
            for f, y in zip(families, youths, strict=True)
        )
        Goal.objects.bulk_create(
            Goal(
                plan=p,
                domain="health",
                title="Doel",
                status=rng.choice(["reached", "partly", "not_reached", "open"]),
                updated_at=p.created_at + timedelta(days=60),
            )
            for p in made
            for _ in range(2)
        )
        _progress("plans", start + size, plans)
    reader = User.objects.create_user("bench-reader@bench.rits.nl", None, full_name="Bench")
    gemeente = Organisation.objects.create(
        name="Bench gemeente", kind="municipality", region=region, municipality=places[0]
    )
    Membership.objects.create(user=reader, organisation=gemeente, role="researcher")
    device = TOTPDevice.objects.create(user=reader, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(reader.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {
        "municipality": places[0].code,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "year": today.year,
    }


def time_aggregates() -> dict[str, float]:
    """The bare aggregates (every source's GROUP BY over the country), and the refresh."""
    today = timezone.localdate()
    first = date(today.year - 10, 1, 1)
    started = time.perf_counter()
    for indicator in indicators.INDICATORS:
        if not indicator.available:
            continue
        assert indicator.tally is not None
        if indicator.timing == "snapshot":
            indicator.tally(today)
        else:
            indicator.tally(first, today)
    bare = time.perf_counter() - started
    started = time.perf_counter()
    run = services.refresh_figures(today=today)
    return {"bare_s": bare, "refresh_s": time.perf_counter() - started, "cells": run.cells}
