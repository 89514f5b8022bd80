"""Fill the benchmark database: one plan with 20 goals, 100 actions, 50 decisions and
a full audit trail, then profile one request in-process (queries, audit cost)."""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import ApiToken, Membership, Organisation, User
from rits.family_plans import services
from rits.family_plans.models import Domain, Person, Position
from rits.family_plans.permissions import access_for
from rits.lib.pseudonyms import synthetic_bsn
from rits.regions.models import YouthCareRegion

PASSWORD = "bench-only-password-0123456789"  # noqa: S105
GOALS, ACTIONS, DECISIONS, AUDIT_READS = 20, 100, 50, 5000


def fill() -> dict[str, Any]:
    """Build the data and return what the load generator needs (ids, cookie, token)."""
    rng = random.Random(7)
    region = YouthCareRegion.objects.get(code="JZ41")
    org = Organisation.objects.create(name="Bench gebiedsteam", kind="area_team", region=region)
    coordinator = User.objects.create_user(
        "bench-regisseur@bench.rits.nl", PASSWORD, full_name="Bench Regisseur"
    )
    Membership.objects.create(user=coordinator, organisation=org, role="professional")
    parent = User.objects.create_user(
        "bench-ouder@bench.rits.nl", PASSWORD, full_name="Bench Ouder", kind=User.Kind.FAMILY
    )
    plan = services.start_plan(
        actor=coordinator,
        family_name="Gezin Bench",
        youth_name="Bench Jongere",
        youth_birth=timezone.localdate() - timedelta(days=365 * 14 + 30),
        youth_bsn=synthetic_bsn(rng),
        parent_names=["Bench Ouder"],
        consent_in_person=True,
    )
    Person.objects.filter(family=plan.family, role=Person.Role.PARENT).update(user=parent)
    plan.access = access_for(coordinator, plan)  # type: ignore[attr-defined]
    for i in range(3):
        services.add_person(plan, actor=coordinator, role="grandparent", name=f"Netwerk {i}")
    domains = list(Domain.values)
    goals = [
        services.add_goal(
            plan,
            actor=coordinator,
            domain=domains[i % len(domains)],
            title=f"Doel {i + 1} in eigen woorden van het gezin",
        )
        for i in range(GOALS)
    ]
    for goal in goals:
        services.score_goal(goal, actor=coordinator, plan=plan, score=rng.randrange(11))
    for i in range(ACTIONS):
        services.add_action(
            plan,
            actor=coordinator,
            what=f"Actie {i + 1}",
            who="Bench Ouder",
            due_date=timezone.localdate() + timedelta(days=i),
            goal=goals[i % GOALS],
        )
    for i in range(DECISIONS):
        decision = services.propose_decision(
            plan,
            actor=coordinator,
            title=f"Besluit {i + 1}",
            grounds="Omdat het gezin dit wil",
            ask=[parent, coordinator],
        )
        services.answer_decision(
            decision, actor=coordinator, plan=plan, answer=Position.Answer.AGREE
        )
    for i in range(30):
        services.add_comment(plan, actor=coordinator, text=f"Opmerking {i + 1}")
    services.plan_evaluation(plan, actor=coordinator, starts_at=timezone.now() + timedelta(days=30))
    for _ in range(AUDIT_READS):
        services.record_read(plan, actor=coordinator)
    device = TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(coordinator.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = coordinator.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    raw = ApiToken.PREFIX + "bench" + "x" * 32
    ApiToken.objects.create(
        user=coordinator, name="bench", token_hash=ApiToken.hash(raw), hint=raw[:9]
    )
    return {
        "plan": plan.pk,
        "user": coordinator.email,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "token": raw,
    }


def profile(info: dict[str, Any], repeat: int = 30) -> dict[str, Any]:
    """Queries per request and where the time goes, measured in-process."""
    from rits.audit.services import record
    from rits.family_plans.permissions import get_plan_for_user

    user = User.objects.get(email=info["user"])
    client = Client()
    client.cookies.load(info["cookie"])
    page = f"/gezin/{info['plan']}/"
    api = f"/api/v1/family-plans/plans/{info['plan']}"
    result: dict[str, Any] = {}
    for name, url, headers in (
        ("page", page, {}),
        ("api", api, {"Authorization": f"Bearer {info['token']}"}),
    ):
        client.get(url, headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        result[f"{name}_queries"] = len(queries)
        result[f"{name}_writes"] = sum(
            1
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        )
        result[f"{name}_bytes"] = len(response.content)
    # One client, no concurrency: the plan page against the in-memory render.
    import os
    import statistics

    os.environ["RITS_BENCH_PLAN"] = str(info["plan"])
    os.environ["RITS_BENCH_USER"] = info["user"]
    anonymous = Client()
    for name, who, url in (
        ("page_ms", client, page),
        ("memory_ms", anonymous, "/bench/plan-in-memory/"),
    ):
        who.get(url)
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            who.get(url)
            samples.append((time.perf_counter() - began) * 1000)
        result[name] = statistics.median(samples)
    plan = get_plan_for_user(user, info["plan"])
    start = time.perf_counter()
    for _ in range(repeat):
        record(user, "family_plans.plan_viewed", plan, subject="bench")
    result["audit_ms"] = (time.perf_counter() - start) * 1000 / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        get_plan_for_user(user, info["plan"])
    result["access_ms"] = (time.perf_counter() - start) * 1000 / repeat
    from django.core.cache import caches

    from rits.family_plans.views.common import plan_context

    plan = get_plan_for_user(user, info["plan"])  # the content token as it is now
    start = time.perf_counter()
    for _ in range(repeat):
        plan_context(plan)
    result["context_ms"] = (time.perf_counter() - start) * 1000 / repeat
    start = time.perf_counter()
    for _ in range(repeat):
        caches["plan_content"].clear()
        plan_context(plan)
    result["context_cold_ms"] = (time.perf_counter() - start) * 1000 / repeat
    return result


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(fill()))
