"""One way to get the acting user: ``acting_user(request)`` in views behind a login,
``api_user(request)`` in the API (both in ``rits.accounts.auth``)."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import RequestFactory, SimpleTestCase

from rits.accounts.auth import acting_user, api_user
from rits.accounts.models import User

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "audit", "directory", "involvement")
# The user read straight off the request and cast by hand (as a variable, an actor or
# the first argument of an audit entry), or the API's request.auth. Public pages may
# still hand request.user, possibly anonymous, to a visible_to.
CAST = re.compile(
    r"request\.auth\b"
    r"|=\s*request\.user\s*# type: ignore"
    r"|actor=request\.user\b"
    r"|^\s*request\.user,\s*# type: ignore"
)


def modules() -> list[Path]:
    found = []
    for app in APPS:
        for name in ("views", "api", "admin"):
            found += [ROOT / app / f"{name}.py", *sorted((ROOT / app / name).glob("*.py"))]
    return [p for p in found if p.exists()]


class ActingUserTests(SimpleTestCase):
    def test_views_and_the_api_take_the_user_from_the_one_helper(self) -> None:
        self.assertGreater(len(modules()), 8)
        offending = [
            f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for path in modules()
            for number, line in enumerate(path.read_text().splitlines(), start=1)
            if CAST.search(line)
        ]
        self.assertEqual(offending, [])

    def test_the_helpers_return_the_user_of_the_request(self) -> None:
        user = User(email="iemand@test.rits.nl")
        request = RequestFactory().get("/")
        request.user = user
        request.auth = user  # type: ignore[attr-defined]
        self.assertIs(acting_user(request), user)
        self.assertIs(api_user(request), user)

    def test_family_plan_views_still_find_it_where_they_import_it(self) -> None:
        from rits.family_plans.views import common

        self.assertIs(common.acting_user, acting_user)
