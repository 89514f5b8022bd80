"""Outsiders cannot tell "does not exist" from "exists but is not yours": this walks
every page and API route of every app that takes an object's id, asks it as an
outsider once with the id of someone else's object and once with an id that does not
exist, with every method, and expects the same status, the same body (but for the id)
and the same audit entries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from rits.accounts.models import ApiToken, Notification
from rits.audit.models import Entry
from rits.dialogues.tests.base import dialogue_ids
from rits.directory.models import CrisisLine, Report
from rits.family_plans.models import (
    Action,
    Decision,
    EmergencyAccess,
    Evaluation,
    Goal,
    Relationship,
    TransitionTopic,
)
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.involvement.models import Match
from rits.involvement.tests.base import IndexTestCase
from rits.knowledge.models import Meeting, Network, NetworkTheme
from rits.testing import login, without_response_tokens

MISSING = 987654
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
# Not object ids: secrets that are their own proof (a reset or invitation link), and
# public reference data and the public social map, whose existence is no secret.
NOT_OBJECT_IDS = {"token", "uidb64", "code"}
# Path parts that name a kind, not an object: filled in, never tried as a missing id.
NOT_ORACLES = {"topic", "fmt"}
PUBLIC = (
    "sociale-kaart/",
    "wat-levert-het-op/",
    "api/v1/services",
    "api/v1/organizations",
    "api/v1/service_at",
    "api/v1/taxonomies",
    "api/v1/taxonomy_terms",
    "api/v1/crisis/lines",  # the crisis numbers are public: "Who do I call now?"
    # The knowledge hub's practices and glossary: every signed-in user reads them all.
    "kennis/praktijken/",
    "kennis/begrippen/",
    "api/v1/knowledge/practices",
)


def routes(patterns: Any = None, prefix: str = "") -> Iterator[str]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


class NoExistenceOracleTests(FamilyPlanTestCase, IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        youth = self.bsn()
        first = self.register(self.professional, youth).signal
        self.register(self.coordinator, youth)
        match = Match.objects.get(members__signal=first)
        # A private learning network the outsider is not in, and one of its meetings.
        network = Network.objects.create(
            name="Besloten netwerk", theme=NetworkTheme.LEARNING, region=self.region
        )
        meeting = Meeting.objects.create(
            network=network, title="Besloten", starts_at=timezone.now() + timedelta(days=3)
        )
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Beter slapen")
        relationship = Relationship.objects.create(
            family=self.family,
            from_person=self.jim_person,
            to_person=self.youth_person,
            kind="supports",
        )
        self.ids = {
            "plan_id": self.plan.pk,
            "goal_id": goal.pk,
            "action_id": Action.objects.create(plan=self.plan, what="Bellen", who="Ria").pk,
            "decision_id": Decision.objects.create(plan=self.plan, title="Bedtijd").pk,
            "evaluation_id": Evaluation.objects.create(
                plan=self.plan, starts_at=timezone.now() + timedelta(days=3)
            ).pk,
            "member_id": self.professional_member.pk,
            "consent_id": self.professional_member.consents.first().pk,  # type: ignore[union-attr]
            "person_id": self.parent_person.pk,
            "relationship_id": relationship.pk,
            "grant_id": EmergencyAccess.objects.create(
                plan=self.plan,
                user=self.coordinator,
                reason="x" * 20,
                expires_at=timezone.now() + timedelta(hours=1),
            ).pk,
            "signal_id": first.pk,
            "network_id": network.pk,
            "meeting_id": meeting.pk,
            "match_id": match.pk,
            "token_id": ApiToken.objects.create(
                user=self.professional, name="t", token_hash="h" * 64, hint="rits_x"
            ).pk,
            "topic": TransitionTopic.values[0],
            # The monitor's areas go by their CBS code: a foreign one and a code that
            # names no area must answer alike.
            "area_code": "GM0882",
            # Through the app registry: nothing imports the monitor.
            "story_id": apps.get_model("outcomes", "Story")
            .objects.create(
                plan=self.plan, municipality=self.heerlen, title="Wat werkte", text="Steun"
            )
            .pk,
            "fmt": "csv",
            "notification_id": Notification.objects.create(
                user=self.professional, kind="test", title="Bericht"
            ).pk,
            "report_id": Report.objects.create(
                kind=Report.Kind.WRONG_NUMBER,
                crisis_line=CrisisLine.objects.create(
                    kind=CrisisLine.Kind.OUT_OF_HOURS,
                    region=self.region,
                    name="Crisisdienst",
                    phone="043 123 4567",
                ),
                number="043 123 4567",
            ).pk,
            **dialogue_ids(self),
        }
        login(self.client, self.outsider)

    def url(self, route: str, missing: bool) -> str:
        def fill(m: re.Match[str]) -> str:
            name = m.group(2)
            return str(MISSING if missing and name == self.oracle_param else self.ids[name])

        return "/" + PARAM.sub(fill, route)

    def answer(self, method: str, url: str, hide: str) -> tuple[int, str, list[Any]]:
        before = Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if url.startswith("/api/") and method != "get":
            response = getattr(self.client, method)(url, "{}", content_type="application/json")
        else:
            response = getattr(self.client, method)(url)
        body = without_response_tokens(response.content.decode(errors="replace"))
        # A page names its own address (the language switch's "next"): that is the
        # asker's own input, not an answer. In a problem document the id stands alone.
        for echoed in (url, quote(url, safe=""), quote(url)):
            body = body.replace(echoed, "URL")
        if url.startswith("/api/"):
            body = re.sub(rf"\b{re.escape(hide)}\b", "ID", body)
        kind = "." + self.oracle_param.removesuffix("_id")
        entries = [
            (
                e.event,
                e.outcome,
                e.object_type,
                e.subject,
                "ID" if e.object_id == hide and e.object_type.endswith(kind) else e.object_id,
            )
            for e in Entry.objects.filter(pk__gt=before).order_by("pk")
        ]
        return response.status_code, body, entries

    def test_no_route_tells_an_outsider_which_ids_exist(self) -> None:
        walked = 0
        for route in routes():
            names = [m.group(2) for m in PARAM.finditer(route)]
            if not names or route.startswith(("admin", "beheer")) or route.startswith(PUBLIC):
                continue
            if set(names) & NOT_OBJECT_IDS:
                continue
            for param in names:
                if param in NOT_ORACLES:
                    continue
                self.oracle_param = param
                for method in ("get", "post", "put", "patch", "delete"):
                    if not route.startswith("api/") and method in ("put", "patch", "delete"):
                        continue
                    with self.subTest(route=route, param=param, method=method):
                        existing = self.answer(method, self.url(route, False), str(self.ids[param]))
                        missing = self.answer(method, self.url(route, True), str(MISSING))
                        self.assertEqual(existing[0], missing[0], "status")
                        self.assertEqual(existing[1], missing[1], "body")
                        self.assertEqual(existing[2], missing[2], "audit entries")
                        walked += 1
        self.assertGreater(walked, 150)
