"""Small numbers never show a family: the attack. An attacker who knows how the cells
add up (municipalities to their region, regions to the country, months to their
quarter, quarters to their year) reads every figure the API gives and subtracts
wherever a total has a single unknown part. Without secondary suppression that
recovers Landgraaf's 3 signals and Heerlen's 2 in March; with it, nothing below 10."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

from rits.accounts.services import create_token
from rits.involvement.models import Signal
from rits.outcomes import services
from rits.outcomes.suppression import suppress
from rits.outcomes.tests.fixtures import TODAY, at
from rits.regions.models import Municipality
from rits.testing import RitsTestCase

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
QUARTERS = {"2026-K1": MONTHS[:3], "2026-K2": MONTHS[3:]}
TRUE = {  # the signals written below, by municipality and month
    ("GM0917", "2026-01"): 30,
    ("GM0917", "2026-02"): 12,
    ("GM0917", "2026-03"): 2,
    ("GM0882", "2026-01"): 3,
}


def recover(known: dict[Any, Any], groups: list[tuple[Any, list[Any]]]) -> None:
    """Subtract wherever a known total has exactly one unknown part, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for total, parts in groups:
            unknown = [p for p in parts if p not in known]
            if total in known and len(unknown) == 1:
                known[unknown[0]] = known[total] - sum(known[p] for p in parts if p in known)
                changed = True


class SuppressionAttackTests(RitsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        n = 0
        for (code, month), count in TRUE.items():
            where = Municipality.objects.get(code=code)
            for _ in range(count):
                n += 1
                Signal.objects.create(
                    youth_pseudonym=f"{n:016d}".ljust(64, "0"),
                    birth_date=date(2015, 1, 1),
                    municipality=where,
                    reporter=cls.professional,
                    organisation=cls.org_a,
                    contact_name="Test",
                    contact_email="test@test.rits.nl",
                    registered_at=at(date.fromisoformat(f"{month}-10")),
                    ends_on=date(2027, 1, 1),
                )

    def setUp(self) -> None:
        patcher = mock.patch("rits.outcomes.periods.today", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        services.refresh_figures(today=TODAY)
        self.members = list(self.region.municipalities.values_list("code", flat=True))

    def groups(self) -> list[tuple[Any, list[Any]]]:
        periods = [*MONTHS, *QUARTERS, "2026"]
        groups: list[tuple[Any, list[Any]]] = []
        for period in periods:
            groups.append((("JZ41", period), [(m, period) for m in self.members]))
            groups.append((("NL", period), [("JZ41", period)]))
        for area in [*self.members, "JZ41", "NL"]:
            for quarter, months in QUARTERS.items():
                groups.append(((area, quarter), [(area, m) for m in months]))
            groups.append(((area, "2026"), [(area, q) for q in QUARTERS]))
        return groups

    def published(self, user: Any) -> dict[tuple[str, str], float]:
        """Every signals figure the API gives this user, for every period."""
        _token, raw = create_token(user, "test")
        auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        known: dict[tuple[str, str], float] = {}
        for period in [*MONTHS, *QUARTERS, "2026"]:
            for area in ("GM0917", "JZ41", "NL"):
                response = self.client.get(
                    f"/api/v1/outcomes/areas/{area}/figures?period={period}", **auth
                )
                self.assertEqual(response.status_code, 200)
                for figure in response.json()["figures"]:
                    if figure["indicator"] == "signals" and figure["value"] is not None:
                        known[figure["area"], period] = figure["value"]
        return known

    def test_no_small_cell_is_recovered_from_totals_overlapping_periods_or_the_api(self) -> None:
        for user in (self.admin, self.municipality_officer, self.researcher):
            known = self.published(user)
            self.assertEqual(known["JZ41", "2026-K1"], 47)  # the totals are there...
            recover(known, self.groups())
            recovered = [c for c in known if 0 < TRUE.get(c, 0) < 10]
            self.assertEqual(recovered, [], user)
            # ...but not Landgraaf's January nor Heerlen's March
            self.assertNotIn(("GM0882", "2026-01"), known)
            self.assertNotIn(("GM0917", "2026-03"), known)
            self.assertNotIn(("GM0917", "2026-K1"), known)

    def test_the_attack_works_without_secondary_suppression(self) -> None:
        """The attack is real: on the cells with only primary suppression it succeeds."""
        values: dict[Any, int] = {}
        for (code, month), count in TRUE.items():
            for area in (code, "JZ41", "NL"):
                for period in (month, "2026-K1", "2026"):
                    values[area, period] = values.get((area, period), 0) + count
        cells = {(a, p) for total, parts in self.groups() for a, p in (total, *parts)}
        primary = {c: v for c in cells if not 0 < (v := values.get(c, 0)) < 10}
        recover(primary, self.groups())
        self.assertEqual(primary[("GM0882", "2026-01")], 3)
        self.assertEqual(primary[("GM0917", "2026-03")], 2)
        # With secondary suppression the same cells stay hidden.
        small, hidden = suppress(values, self.groups(), 10)
        shown = {c: values.get(c, 0) for c in cells if c not in small and c not in hidden}
        recover(shown, self.groups())
        self.assertNotIn(("GM0882", "2026-01"), shown)
        self.assertNotIn(("GM0917", "2026-03"), shown)

    def test_a_hidden_cell_carries_no_number_anywhere(self) -> None:
        from rits.outcomes.models import Figure

        concealed = Figure.objects.exclude(status="shown")
        self.assertTrue(concealed.exists())
        self.assertFalse(concealed.filter(value__isnull=False).exists())
        self.assertFalse(concealed.filter(base__isnull=False).exists())
