"""Free text on the pages: every form refuses control characters, and a text's limit
is the same on the page as in the API because both take it from the model field."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

from django import forms
from django.apps import apps

from rits.family_plans import forms as plan_forms
from rits.family_plans.models import Comment, Decision, Goal
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.lib.text import TextForm, TextModelForm, first_control_character, limit
from rits.testing import login

SPEC = json.loads((Path(__file__).parent / "openapi.json").read_text())


def rits_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("rits."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


class FreeTextTests(FamilyPlanTestCase):
    def test_every_form_of_every_app_guards_its_text_fields(self) -> None:
        classes = rits_form_classes()
        self.assertGreater(len(classes), 40)
        for cls in classes:
            with self.subTest(form=cls.__qualname__, module=cls.__module__):
                self.assertTrue(issubclass(cls, (TextForm, TextModelForm)))

    def test_a_form_refuses_control_characters_and_long_text_keeps_line_breaks(self) -> None:
        form = plan_forms.NewGoalForm({"title": "Samen\x1b[2J eten", "domain": "health"})
        self.assertIn("title", form.errors)
        self.assertIn("U+001B", form.errors["title"][0])
        comment = plan_forms.CommentForm({"text": "Eerste regel\nTweede\tregel"})
        self.assertTrue(comment.is_valid(), comment.errors)
        comment = plan_forms.CommentForm({"text": "Met een \x00 erin"})
        self.assertFalse(comment.is_valid())
        self.assertEqual(first_control_character("a\u0085b", multiline=True), "\u0085")

    def test_the_page_and_the_api_share_each_limit_with_the_model(self) -> None:
        schemas = SPEC["components"]["schemas"]
        for schema, prop, form_field, model, field in (
            ("GoalIn", "title", plan_forms.NewGoalForm.base_fields["title"], Goal, "title"),
            (
                "GoalIn",
                "description",
                plan_forms.NewGoalForm.base_fields["description"],
                Goal,
                "description",
            ),
            ("CommentIn", "text", plan_forms.CommentForm.base_fields["text"], Comment, "text"),
            (
                "DecisionIn",
                "title",
                plan_forms.NewDecisionForm.base_fields["title"],
                Decision,
                "title",
            ),
            (
                "DecisionIn",
                "text",
                plan_forms.NewDecisionForm.base_fields["text"],
                Decision,
                "text",
            ),
        ):
            with self.subTest(schema=schema, field=prop):
                in_form = getattr(form_field, "max_length", None)
                in_api = schemas[schema]["properties"][prop]["maxLength"]
                self.assertEqual((in_api, in_form), (limit(model, field), limit(model, field)))

    def test_a_comment_too_long_or_with_a_nul_byte_is_refused_on_the_page(self) -> None:
        login(self.client, self.coordinator)
        for text in ("x" * (limit(Comment, "text") + 1), "met\x00nul"):
            with self.subTest(length=len(text)):
                r = self.client.post(f"/gezin/{self.plan.pk}/reacties/nieuw/", {"text": text})
                self.assertLess(r.status_code, 500)
        self.assertFalse(Comment.objects.exists())
        login(self.client, self.outsider)
        r = self.client.post(f"/gezin/{self.plan.pk}/reacties/nieuw/", {"text": "Hallo"})
        self.assertEqual(r.status_code, 404)
