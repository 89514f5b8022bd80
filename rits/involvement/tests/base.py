"""Personas for the involvement index, on top of the Rits personas."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from rits.accounts.models import ApiToken, Membership, Organisation, User
from rits.involvement.services import Registration, SignalInput, register_signal
from rits.lib.pseudonyms import synthetic_bsn
from rits.testing import RitsTestCase, make_user

Role = Membership.Role


class IndexTestCase(RitsTestCase):
    """Adds:

    - ``professional`` (org A), ``outsider`` (org B) and ``coordinator`` (area team):
      authorised by their organisations to register involvement
    - ``heerlen_coordinator``: municipal coordinator of Heerlen
    - ``landgraaf_coordinator``: municipal coordinator of Landgraaf
    - ``landgraaf_worker``: index reporter at a school in Landgraaf
    """

    heerlen_coordinator: User
    landgraaf_coordinator: User
    landgraaf_worker: User
    gemeente_landgraaf: Organisation
    school: Organisation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for user, org in (
            (cls.professional, cls.org_a),
            (cls.outsider, cls.org_b),
            (cls.coordinator, cls.area_team),
        ):
            Membership.objects.create(user=user, organisation=org, role=Role.INDEX_REPORTER)
        cls.heerlen_coordinator = make_user("regievoerder@test.rits.nl", "Gerda Gemeente")
        Membership.objects.create(
            user=cls.heerlen_coordinator, organisation=cls.gemeente, role=Role.MUNICIPAL_COORDINATOR
        )
        cls.gemeente_landgraaf = Organisation.objects.create(
            name="Gemeente Landgraaf (test)",
            kind=Organisation.Kind.MUNICIPALITY,
            region=cls.region,
            municipality=cls.landgraaf,
        )
        cls.landgraaf_coordinator = make_user("regie-landgraaf@test.rits.nl", "Lars Landgraaf")
        Membership.objects.create(
            user=cls.landgraaf_coordinator,
            organisation=cls.gemeente_landgraaf,
            role=Role.MUNICIPAL_COORDINATOR,
        )
        cls.school = Organisation.objects.create(
            name="School Landgraaf (test)",
            kind=Organisation.Kind.EDUCATION,
            region=cls.region,
            municipality=cls.landgraaf,
        )
        cls.landgraaf_worker = make_user("school@test.rits.nl", "Sam School")
        for role in (Role.PROFESSIONAL, Role.INDEX_REPORTER):
            Membership.objects.create(user=cls.landgraaf_worker, organisation=cls.school, role=role)

    def setUp(self) -> None:
        self.rng = random.Random(self.id())
        for user in (self.professional, self.outsider, self.coordinator, self.landgraaf_worker):
            user._roles_cache = None  # type: ignore[assignment]
            user._reporter_organisations = None  # type: ignore[attr-defined]

    def bsn(self) -> str:
        return synthetic_bsn(self.rng)

    def born(self, years: int, days: int = 30) -> date:
        return timezone.localdate() - timedelta(days=int(365.25 * years) + days)

    def data(self, bsn: str, *, age: int = 10, **kw: Any) -> SignalInput:
        values: dict[str, Any] = {
            "bsn": bsn,
            "birth_date": self.born(age),
            "municipality": self.heerlen,
            "youth_informed": True,
            "parents_informed": True,
        }
        values.update(kw)
        return SignalInput(**values)

    def register(self, user: User, bsn: str, **kw: Any) -> Registration:
        return register_signal(self.data(bsn, **kw), actor=user)


BASE = "/api/v1/involvement"


class ApiTestCase(IndexTestCase):
    """Adds calls to the involvement API with a personal token."""

    def token(self, user: User) -> dict[str, str]:
        raw = f"rits_test_{user.pk}_abcdefghijklmnopqrstuvwxyz"
        ApiToken.objects.get_or_create(
            user=user, name="test", token_hash=ApiToken.hash(raw), defaults={"hint": raw[:9]}
        )
        return {"Authorization": f"Bearer {raw}"}

    def payload(self, bsn: str, **kw: Any) -> dict[str, Any]:
        body = {
            "bsn": bsn,
            "birth_date": self.born(9).isoformat(),
            "municipality": "GM0917",
            "parents_informed": True,
        }
        body.update(kw)
        return body

    def post(self, user: User, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            BASE + path, body, content_type="application/json", headers=self.token(user)
        )
