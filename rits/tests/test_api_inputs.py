"""Every input of the JSON API, walked from the committed OpenAPI: a field that may not
be null refuses null, every text has a limit and refuses control characters. Each
refusal is a 422 that changes nothing (no audit entry, no object)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rits.audit.models import Entry
from rits.family_plans.models import Action, Decision, Goal
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login

SPEC = json.loads((Path(__file__).parent / "openapi.json").read_text())


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return _resolve(SPEC["components"]["schemas"][ref.rsplit("/", 1)[1]])
    return schema


def _nullable(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(_resolve(o).get("type") == "null" for o in options)


def _is_text(schema: dict[str, Any]) -> bool:
    options = [_resolve(o) for o in schema.get("anyOf", [schema])]
    return any(o.get("type") == "string" and "enum" not in o and "format" not in o for o in options)


def _strings(schema: dict[str, Any]) -> list[dict[str, Any]]:
    options = [_resolve(o) for o in schema.get("anyOf", [schema])]
    return [o for o in options if o.get("type") == "string"]


def _text_limits(schema: dict[str, Any]) -> list[int | None]:
    return [o.get("maxLength") for o in _strings(schema)]


def body_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, body schema) of every operation that takes a JSON body."""
    found = []
    for path, ops in SPEC["paths"].items():
        for method, op in ops.items():
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, path, _resolve(content["application/json"]["schema"])))
    return found


def query_parameters() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, ops in SPEC["paths"].items():
        for op in ops.values():
            for param in op.get("parameters", []):
                if param["in"] == "query":
                    found.append((path, param["name"], param["schema"]))
    return found


# The inputs that may be null, each because null means something: the database keeps no
# value there, or the operation reads null as "nothing to change" or "the default".
MAY_BE_NULL = {
    "due_date": "an action without a date",
    "goal_id": "an action for no goal in particular",
    "on_behalf_of_person_id": "consent given by the person logged in",
    "date_of_birth": "a person whose birth date is not known",
    "birth_date": "a rights correction that leaves the birth date as it is",
    "municipality": "a rights correction that leaves the municipality as it is",
    "ends_on": "a signal that ends after the default period",
    "organisation_id": "a signal for the reporter's only organisation",
    "valid_from": "an opening slot valid from now on",
    "valid_to": "an opening slot without an end",
    "latitude": "a location not on the map (yet)",
    "longitude": "a location not on the map (yet)",
    "area_id": "a location in no particular wijk",
    "starts_at": "a dialogue table whose date is not set yet",
    "evidence_valid_until": "a local practice, not assessed",
    "owner_id": "a practice whose owner works outside Rits",
    "minimum_age": "a practice without a lower age limit",
    "maximum_age": "a practice without an upper age limit",
    "written_on": "an experience report dated today",
    "practice_id": "a progress update about no practice in particular",
    "version": "minutes written for the first time",
}


def nullable_inputs() -> set[tuple[str, str, str]]:
    found = set()

    def walk(method: str, path: str, schema: dict[str, Any]) -> None:
        for name, prop in schema.get("properties", {}).items():
            if _nullable(prop):
                found.add((method, path, name))
            if prop.get("type") == "array" and "items" in prop:
                walk(method, path, _resolve(prop["items"]))

    for method, path, schema in body_operations():
        walk(method, path, schema)
    return found


class ApiInputTests(FamilyPlanTestCase):
    goal: Goal
    action: Action
    decision: Decision

    def setUp(self) -> None:
        login(self.client, self.coordinator)

    def url(self, path: str) -> str:
        ids = {
            "plan_id": self.plan.pk,
            "goal_id": self.goal.pk,
            "action_id": self.action.pk,
            "decision_id": self.decision.pk,
        }
        for name in (
            "member_id",
            "person_id",
            "relationship_id",
            "match_id",
            "signal_id",
            "crisis_line_id",
            "report_id",
            "table_id",
            "trajectory_id",
            "finding_id",
            "improvement_id",
            "practice_id",
            "network_id",
            "meeting_id",
        ):
            ids.setdefault(name, 1)
        nil = "00000000-0000-0000-0000-000000000000"
        return path.format(id=nil, location_id=nil, **ids)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="health", title="Beter slapen")
        cls.action = Action.objects.create(plan=cls.plan, what="Slaapdagboek", who="Jesse")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Vaste bedtijd")

    def send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        return getattr(self.client, method)(
            self.url(path), json.dumps(body), content_type="application/json"
        )

    def assert_refused(self, response: Any, field: str, kind: str) -> None:
        self.assertEqual(response.status_code, 422, response.content)
        errors = [e for e in response.json()["errors"] if e["loc"][-1] == field]
        self.assertTrue(errors, f"no error for {field}: {response.json()['errors']}")
        self.assertNotIn("missing", [e["type"] for e in errors])
        self.assertTrue(any(kind in e["type"] for e in errors), errors)

    def test_a_field_that_may_not_be_null_refuses_null_in_every_post_put_and_patch(self) -> None:
        walked = 0
        for method, path, schema in body_operations():
            for name, prop in schema.get("properties", {}).items():
                if _nullable(prop):
                    continue
                with self.subTest(operation=f"{method.upper()} {path}", field=name):
                    before = Entry.objects.count()
                    response = self.send(method, path, {name: None})
                    self.assertEqual(response.status_code, 422, response.content)
                    errors = [e for e in response.json()["errors"] if e["loc"][-1] == name]
                    self.assertTrue(errors, f"null accepted for {name}")
                    self.assertNotIn("missing", [e["type"] for e in errors])
                    self.assertEqual(Entry.objects.count(), before)
                    walked += 1
        self.assertGreater(walked, 60)

    def test_only_fields_where_null_means_something_accept_null(self) -> None:
        unexpected = sorted(n for n in nullable_inputs() if n[2] not in MAY_BE_NULL)
        self.assertEqual(unexpected, [])

    def test_a_patch_may_leave_fields_out(self) -> None:
        for path in ("goals/{goal_id}", "actions/{action_id}", "decisions/{decision_id}"):
            with self.subTest(path=path):
                r = self.send(
                    "patch", f"/api/v1/family-plans/plans/{{plan_id}}/{path}", {"version": 1}
                )
                self.assertEqual(r.status_code, 200, r.content)

    def test_null_for_a_required_field_changes_nothing(self) -> None:
        for field in ("title", "domain", "status", "description"):
            r = self.send(
                "patch",
                "/api/v1/family-plans/plans/{plan_id}/goals/{goal_id}",
                {"version": 1, field: None},
            )
            self.assert_refused(r, field, "")
        for field in ("what", "who", "status"):
            r = self.send(
                "patch",
                "/api/v1/family-plans/plans/{plan_id}/actions/{action_id}",
                {"version": 1, field: None},
            )
            self.assert_refused(r, field, "")
        self.goal.refresh_from_db()
        self.action.refresh_from_db()
        self.assertEqual((self.goal.title, self.goal.version), ("Beter slapen", 1))
        self.assertEqual((self.action.what, self.action.version), ("Slaapdagboek", 1))
        self.assertFalse(Entry.objects.filter(event__endswith="_changed").exists())

    def test_every_text_input_has_a_limit(self) -> None:
        for method, path, schema in body_operations():
            for name, prop in schema.get("properties", {}).items():
                items = _resolve(prop.get("items", {})) if prop.get("type") == "array" else None
                for candidate in [prop] + ([items] if items else []):
                    if _is_text(candidate):
                        with self.subTest(operation=f"{method.upper()} {path}", field=name):
                            self.assertNotIn(None, _text_limits(candidate))
        for path, name, schema in query_parameters():
            if _is_text(schema) and name not in ("municipality", "region"):
                with self.subTest(operation=path, parameter=name):
                    self.assertNotIn(None, _text_limits(schema))

    def test_every_text_input_refuses_control_characters(self) -> None:
        walked = 0
        for method, path, schema in body_operations():
            for name, prop in schema.get("properties", {}).items():
                if not _is_text(prop):
                    continue
                for char in ("\x00", "\x1b", "\x85"):
                    with self.subTest(operation=f"{method.upper()} {path}", field=name, c=char):
                        before = Entry.objects.count()
                        pad = "c" * max(o.get("minLength", 2) for o in _strings(prop))
                        response = self.send(method, path, {name: f"ab{char}{pad}"})
                        self.assertEqual(response.status_code, 422, response.content)
                        errors = [e for e in response.json()["errors"] if e["loc"][-1] == name]
                        self.assertTrue(errors, f"{char!r} accepted in {name}")
                        self.assertIn(f"U+{ord(char):04X}", " ".join(e["msg"] for e in errors))
                        self.assertEqual(Entry.objects.count(), before)
                walked += 1
        self.assertGreater(walked, 40)

    def test_long_text_keeps_line_breaks_and_tabs_a_single_line_does_not(self) -> None:
        r = self.send(
            "post", "/api/v1/family-plans/plans/{plan_id}/comments", {"text": "één\ntwee\tdrie"}
        )
        self.assertEqual(r.status_code, 201, r.content)
        r = self.send(
            "post",
            "/api/v1/family-plans/plans/{plan_id}/goals",
            {"title": "één\ntwee", "domain": "health"},
        )
        self.assert_refused(r, "title", "value_error")

    def test_a_comment_of_100000_characters_is_refused(self) -> None:
        r = self.send(
            "post", "/api/v1/family-plans/plans/{plan_id}/comments", {"text": "x" * 100_000}
        )
        self.assert_refused(r, "text", "string_too_long")
        self.assertFalse(self.plan.comments.exists())
