"""The hand-counted world (see ``fixtures``) on top of the Rits personas."""

from __future__ import annotations

from datetime import date, time, timedelta

from rits.directory.models import CrisisLine, OpeningHours, Provider, Theme
from rits.family_plans.models import CareTeamMember, Goal, Plan
from rits.involvement.models import Match
from rits.outcomes.tests import fixtures as f
from rits.outcomes.tests.fixtures import TODAY
from rits.testing import RitsTestCase


class WorldTestCase(RitsTestCase):
    """Heerlen (H) and Landgraaf (L) in Parkstad, 15 June 2026:

    - signals: H January 2 (youths A, B), H February 1 (A again), L March 1 (C)
    - matches: client H February (A's two, agreed in time); family L March (C and B,
      escalated in March, never agreed); client H June (not due yet)
    - plans: P1 H 20 January (A: 10 days after the first signal; a parent coordinates;
      a JIM), P2 H 25 January (20 days after first contact), P3 L 1 February (0 days);
      P4 H and P5 L and P6 H started June 2025 (P4 turns 18 in February 2026 with the
      checklist done, P5 in April 2026 with 3 of 7 topics, P6 in July 2026); P7 H and
      P8 L started January 2024 (P7 turns 18½ in March 2026 with a JIM, P8 in April 2026
      with its plan closed in December 2025)
    - goals: P1 reached (March), partly (March), open; P2 reached (April); P3 stopped (April)
    - services: S1 H theme 1, 2 weeks, confirmed; S2 H and L theme 1, 4 weeks, stale;
      S3 L theme 2, 10 weeks, never confirmed; S4 H theme 2, no waiting time
    - crisis lines: Heerlen's office line, weekdays 8:30 to 17:00; no regional line
    """

    theme1: Theme
    theme2: Theme

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        h, lg = cls.heerlen, cls.landgraaf
        pro, org = cls.professional, cls.org_a
        a1 = f.signal(h, pro, org, date(2026, 1, 10), "a")
        b1 = f.signal(h, pro, org, date(2026, 1, 20), "b", parent="p")
        a2 = f.signal(h, cls.outsider, cls.org_b, date(2026, 2, 5), "a")
        c1 = f.signal(lg, pro, org, date(2026, 3, 3), "c", parent="p")
        f.match(
            Match.Kind.CLIENT,
            [a1, a2],
            date(2026, 2, 5),
            coordinator=a1,
            in_touch_at=f.at(date(2026, 2, 10)),
            status=Match.Status.SETTLED,
        )
        f.match(Match.Kind.FAMILY, [c1, b1], date(2026, 3, 3), escalated_at=f.at(date(2026, 3, 20)))
        f.match(Match.Kind.CLIENT, [b1, a2], date(2026, 6, 10))

        p1 = f.family_plan(h, date(2026, 1, 20), youth_key="a", family_coordinates=True, jim=True)
        p2 = f.family_plan(
            h, date(2026, 1, 25), first_contact=date(2026, 1, 5), coordinator=cls.coordinator
        )
        p3 = f.family_plan(lg, date(2026, 2, 1), youth_key="c", coordinator=cls.coordinator)
        p4 = f.family_plan(h, date(2025, 6, 1), born=date(2008, 2, 10))
        p5 = f.family_plan(lg, date(2025, 6, 1), born=date(2008, 4, 1))
        f.family_plan(h, date(2025, 6, 1), born=date(2008, 7, 1))
        f.settle_transition(p4)
        f.settle_transition(p5, 3)
        f.family_plan(h, date(2024, 1, 1), born=date(2007, 9, 10), jim=True)
        p8 = f.family_plan(lg, date(2024, 1, 1), born=date(2007, 10, 5))
        Plan.objects.filter(pk=p8.pk).update(status="closed", closed_at=f.at(date(2025, 12, 1)))
        CareTeamMember.objects.create(
            plan=p8,
            kind=CareTeamMember.Kind.PROFESSIONAL,
            user=cls.professional,
            status=CareTeamMember.Status.ACTIVE,
            created_at=f.at(date(2024, 1, 1)),
        )
        f.goal(p1, Goal.Status.REACHED, date(2026, 3, 5))
        f.goal(p1, Goal.Status.PARTLY, date(2026, 3, 6))
        f.goal(p1, Goal.Status.OPEN, date(2026, 3, 7))
        f.goal(p2, Goal.Status.REACHED, date(2026, 4, 1))
        f.goal(p3, Goal.Status.STOPPED, date(2026, 4, 2))

        provider = Provider.objects.create(name="Aanbieder (test)", description="Test")
        t1, t2 = Theme.objects.order_by("code")[:2]
        cls.theme1, cls.theme2 = t1, t2
        f.service(provider, [h], [t1], 2, TODAY - timedelta(days=5))
        f.service(provider, [h, lg], [t1], 4, TODAY - timedelta(days=40))
        f.service(provider, [lg], [t2], 10, None)
        f.service(provider, [h], [t2], None, None)
        office = CrisisLine.objects.create(
            kind=CrisisLine.Kind.OFFICE_HOURS,
            region=cls.region,
            municipality=h,
            name="Gemeente Heerlen (test)",
            phone="045 560 4004",
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(crisis_line=office, weekday=d, opens_at=time(8, 30), closes_at=time(17))
            for d in range(5)
        )
