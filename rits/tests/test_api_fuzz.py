"""Property-based fuzzing of the JSON API against its committed OpenAPI document.

Schemathesis generates requests for every operation, valid ones and invalid ones, sent
with the API tokens of the personas and with the real ids of a family plan, its goals,
actions, decisions, people, lines, index signals and matches, so that the deep paths
run too (not only their 404). Each answer must not be a server error and must fit the
documented schema. Every example runs in a savepoint that is rolled back, so each starts
from the same plan (none closes it for the others).

It runs in the test suite rather than as a separate CI step: it needs the personas and
the test database the suite builds anyway, and a 5xx should fail ``make test`` for a
developer as it does in CI. ``RITS_FUZZ_EXAMPLES`` (per operation and mode, 12) bounds the run;
measured on 2 cores: see the module constant.
"""

from __future__ import annotations

import io
import json
import os
import random
from datetime import timedelta
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis import checks as schema_checks

from rits.accounts.models import ApiToken, User
from rits.dialogues.tests.base import dialogue_ids
from rits.directory.models import Report
from rits.directory.tests.base import DirectoryTestCase
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.involvement.models import Match
from rits.involvement.tests.base import IndexTestCase
from rits.knowledge import services as knowledge
from rits.knowledge.models import NetworkTheme
from rits.knowledge.tests.base import practice_data
from rits.lib.pseudonyms import synthetic_bsn
from rits.tests.test_openapi_snapshot import SNAPSHOT

# Examples per operation and generation mode. 64 operations x 2 modes x 12 examples (and
# the real-id examples on top): 2,034 cases in 99 s on 2 shared cores.
FUZZ_EXAMPLES = int(os.environ.get("RITS_FUZZ_EXAMPLES", "12"))


class ApiFuzzTest(FamilyPlanTestCase, DirectoryTestCase, IndexTestCase):
    ids: dict[str, Any]
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {
            user.email: cls.token_for(user)
            for user in (
                cls.coordinator,
                cls.professional,
                cls.privacy_officer,
                cls.heerlen_coordinator,
                cls.editor,
                cls.outsider,
                cls.admin,
                cls.facilitator,
                cls.municipality_officer,
            )
        }
        client = Client()
        plan = f"/api/v1/family-plans/plans/{cls.plan.pk}"

        def post(path: str, body: dict[str, Any], user: User | None = None) -> dict[str, Any]:
            response = client.post(
                path,
                body,
                content_type="application/json",
                headers=cls.auth(user or cls.coordinator),
            )
            assert response.status_code < 300, (path, response.status_code, response.content)
            return response.json() if response.content else {}

        goal = post(f"{plan}/goals", {"title": "Naar school", "domain": "school_work"})
        action = post(f"{plan}/actions", {"what": "Bellen", "who": "Ria"})
        decision = post(f"{plan}/decisions", {"title": "Elke week praten"})
        person = post(f"{plan}/persons", {"role": "grandparent", "name": "Oma Jongere"})
        line = post(
            f"{plan}/relationships",
            {
                "from_person_id": cls.youth_person.pk,
                "to_person_id": person["id"],
                "kind": "supports",
            },
        )
        youth_bsn = synthetic_bsn(random.Random(111))  # synthetic: made here, never real
        signal = post(
            "/api/v1/involvement/signals",
            {
                "bsn": youth_bsn,
                "birth_date": (timezone.localdate() - timedelta(days=3650)).isoformat(),
                "municipality": "GM0917",
                "parents_informed": True,
            },
            cls.professional,
        )
        post(
            "/api/v1/involvement/signals",
            {
                "bsn": youth_bsn,
                "birth_date": (timezone.localdate() - timedelta(days=3650)).isoformat(),
                "municipality": "GM0917",
                "parents_informed": True,
            },
            cls.outsider,
        )
        match = Match.objects.order_by("pk").first()
        consent = cls.professional_member.consents.first()
        cls.ids = {
            "plan_id": cls.plan.pk,
            "goal_id": goal["id"],
            "action_id": action["id"],
            "decision_id": decision["id"],
            "person_id": person["id"],
            "relationship_id": line["id"],
            "member_id": cls.professional_member.pk,
            "consent_id": consent.pk if consent else 1,
            "signal_id": signal["signal"]["id"],
            "match_id": match.pk if match else 1,
            "token_id": ApiToken.objects.filter(user=cls.coordinator).get().pk,
            **cls.knowledge_ids(),
            "id": str(cls.autism.uuid),
            "code": "GM0917",
            "crisis_line_id": cls.office_heerlen.pk,
            "location_id": str(cls.location_a.uuid),
            "report_id": Report.objects.create(
                kind=Report.Kind.WRONG_NUMBER, service=cls.autism, number="045 1"
            ).pk,
            **dialogue_ids(cls),  # type: ignore[arg-type]
            "area_code": "GM0917",
        }
        # The monitor's figures, so that its operations answer with stored cells.
        call_command("outcomes_daily", stdout=io.StringIO())

    @classmethod
    def knowledge_ids(cls) -> dict[str, int]:
        """A practice, a network the facilitator runs, and a planned meeting of it."""
        practice = knowledge.save_practice(practice_data(), actor=cls.facilitator)
        network = knowledge.create_network(
            actor=cls.facilitator,
            name="Fuzz-netwerk",
            theme=NetworkTheme.LEARNING,
            region=cls.region,
            organisation_ids=[cls.org_a.pk],
        )
        meeting = knowledge.plan_meeting(
            network,
            actor=cls.facilitator,
            title="Fuzz",
            starts_at=timezone.now() + timedelta(days=5),
        )
        return {"practice_id": practice.pk, "network_id": network.pk, "meeting_id": meeting.pk}

    @classmethod
    def token_for(cls, user: User) -> str:
        raw = f"rits_fuzz_{user.pk}_abcdefghijklmnopqrstuvwxyz0123"
        ApiToken.objects.create(user=user, name="fuzz", token_hash=ApiToken.hash(raw), hint=raw[:9])
        return raw

    @classmethod
    def auth(cls, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {cls.tokens[user.email]}"}

    def user_for(self, path: str) -> User:
        """The persona for whom an operation is meant, so that it gets past the access check."""
        if path.startswith("/api/v1/audit"):
            return self.privacy_officer
        if "/rights/" in path or "/matches/unresolved" in path:
            return self.heerlen_coordinator
        if path.startswith("/api/v1/involvement"):
            return self.professional
        if path.startswith("/api/v1/outcomes"):
            return self.municipality_officer
        if path.startswith(("/api/v1/services/", "/api/v1/organizations/")):
            return self.editor
        if path.startswith(("/api/v1/crisis/lines", "/api/v1/review")):
            return self.admin  # keeps every line of the region and sees its queue
        if path.startswith(("/api/v1/dialogues", "/api/v1/knowledge")):
            return self.facilitator
        return self.coordinator

    @override_settings(RITS_API_RATE="off", RITS_REGISTRATION_RATE="off")
    def test_no_operation_answers_a_server_error_or_off_its_schema(self) -> None:
        schema = schemathesis.openapi.from_dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
        app = WSGIHandler()
        # As Django's test client does: the requests share the test's open transaction.
        for signal in (request_started, request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        checks = [schema_checks.not_a_server_error, schema_checks.response_schema_conformance]
        failures: dict[str, str] = {}
        cases = 0
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()  # type: ignore[union-attr]  # an invalid schema fails here
            operations += 1
            user = self.user_for(operation.path)
            headers = self.auth(user)
            real = {
                p.name: self.ids[p.name] for p in operation.path_parameters if p.name in self.ids
            }
            strategies = [
                operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
                operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
            ]
            if real:
                strategies.append(
                    operation.as_strategy(
                        GenerationMode.POSITIVE, headers=headers, path_parameters=real
                    )
                )
            label = f"{operation.method.upper()} {operation.path}"

            @settings(
                max_examples=FUZZ_EXAMPLES * len(strategies),
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=st.one_of(strategies))
            def run(case: Any) -> None:
                nonlocal cases
                cases += 1
                with transaction.atomic():
                    response = case.call(app=app)
                    transaction.set_rollback(True)
                case.validate_response(response, checks=checks)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:
                failures[label] = f"{type(exc).__name__}: {str(exc)[:1500]}"

        print(f"API fuzz: {operations} operations, {cases} cases, {len(failures)} failing")
        self.assertGreaterEqual(operations, 60)
        self.assertEqual(failures, {}, "\n\n".join(f"{k}\n{v}" for k, v in failures.items()))
