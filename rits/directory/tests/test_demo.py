# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""The demo social map: realistic for Parkstad, and building it twice changes nothing."""

from __future__ import annotations

import io
from datetime import datetime

from rits.accounts.models import Organisation, Team, User
from rits.demo.region import DemoRegion
from rits.directory import demo, search
from rits.directory.models import (
    CrisisLine,
    OpeningHours,
    ProfessionalProfile,
    Provider,
    Service,
    ServiceArea,
)
from rits.directory.reachability import AMSTERDAM, route_crisis
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import RitsTestCase


def snapshot() -> tuple[int, ...]:
    return (
        Provider.objects.count(),
        Service.objects.count(),
        ServiceArea.objects.count(),
        OpeningHours.objects.count(),
        CrisisLine.objects.count(),
        ProfessionalProfile.objects.count(),
    )


class DemoMapTests(RitsTestCase):
    region: YouthCareRegion
    heerlen: Municipality
    landgraaf: Municipality
    org_a: Organisation
    org_b: Organisation
    area_team: Organisation
    gemeente: Organisation
    coordinator: User
    outsider: User

    def demo_region(self) -> DemoRegion:
        places = {
            "heerlen": self.heerlen,
            "landgraaf": self.landgraaf,
            "voerendaal": self.heerlen.region.municipalities.get(code="GM0986"),
        }
        organisations = {
            "area_team_heerlen": self.area_team,
            "youth_care": self.org_a,
            "ggz": self.org_b,
            "gemeente_heerlen": self.gemeente,
            "jgz": Organisation.objects.get_or_create(
                name="JGZ (test)", kind=Organisation.Kind.YOUTH_HEALTH_CARE, region=self.region
            )[0],
        }
        team = Team.objects.get(name="Team Heerlen-Noord")
        return DemoRegion(
            region=self.region,
            municipalities=places,
            organisations=organisations,
            teams={"heerlen": team},
            people={"professional": self.coordinator, "ggz_worker": self.outsider},
            out=io.StringIO(),
        )

    def test_it_builds_a_social_map_for_parkstad(self) -> None:
        demo.build(self.demo_region())
        self.assertGreaterEqual(Service.objects.count(), 24)
        for place in ("GM0917", "GM0882", "GM0986"):
            self.assertTrue(ServiceArea.objects.filter(municipality__code=place).exists(), place)
        result = search.search(search.SearchParams(q="autisme"))
        self.assertGreater(result.total, 0)
        self.assertEqual(ProfessionalProfile.objects.count(), 2)

    def test_building_twice_changes_nothing(self) -> None:
        region = self.demo_region()
        demo.build(region)
        first = snapshot()
        demo.build(self.demo_region())
        self.assertEqual(snapshot(), first)

    def test_the_crisis_numbers_follow_the_source_texts(self) -> None:
        demo.build(self.demo_region())
        voerendaal = self.heerlen.region.municipalities.get(code="GM0986")
        office = route_crisis(voerendaal, datetime(2026, 3, 10, 10, tzinfo=AMSTERDAM))
        evening = route_crisis(self.landgraaf, datetime(2026, 3, 10, 20, tzinfo=AMSTERDAM))
        landgraaf_day = route_crisis(self.landgraaf, datetime(2026, 3, 10, 10, tzinfo=AMSTERDAM))
        self.assertEqual(office.line.phone, "045 – 567 7530")
        self.assertEqual(landgraaf_day.line.phone, "14-045")
        self.assertEqual(evening.line.phone, "043 – 604 5777")
        self.assertIsInstance(self.coordinator, User)
