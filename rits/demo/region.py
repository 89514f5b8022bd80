"""What the demo region is made of, handed to each capability app's ``demo.build``.

Keys are stable so capability apps can rely on them:

organisations: area_team_heerlen, area_team_voerendaal, area_team_landgraaf,
youth_care, veilig_thuis, school, ggz, jgz, gemeente_heerlen, gemeente_voerendaal,
gemeente_landgraaf.

people (demo logins): professional (area team Heerlen), coordinator (area team
Landgraaf), youth_care_worker, ggz_worker, school_worker, veilig_thuis_worker,
jgz_worker, organisation_editor (youth_care), municipality_staff,
municipal_coordinator, privacy_officer, functional_admin, researcher.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from rits.accounts.models import Organisation, Team, User
from rits.regions.models import Municipality, YouthCareRegion

DEMO_PASSWORD = "Rits-demo-2026!"  # noqa: S105  (printed on purpose: synthetic demo logins)


@dataclass
class DemoRegion:
    region: YouthCareRegion
    municipalities: dict[str, Municipality]  # heerlen, voerendaal, landgraaf
    organisations: dict[str, Organisation] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    # Seeded so that every run builds the same region (idempotent by design).
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # noqa: S311
    faker: Faker = field(default_factory=lambda: Faker("nl_NL"))
    # Where progress goes: a management command's stdout (or sys.stdout).
    out: Any = sys.stdout

    def __post_init__(self) -> None:
        self.faker.seed_instance(2026)

    def progress(self, label: str, done: int, total: int) -> None:
        """A one-line progress bar on the terminal."""
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        bar = "#" * filled + "-" * (width - filled)
        self.out.write(f"\r  {label:<28} [{bar}] {done}/{total}{end}")
        self.out.flush()
