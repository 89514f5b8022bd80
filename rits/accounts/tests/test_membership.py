from django.db import IntegrityError, transaction

from rits.accounts.models import Membership
from rits.lib.testing import RitsTestCase

Role = Membership.Role


class MembershipUniquenessTests(RitsTestCase):
    def test_the_same_role_twice_in_an_organisation_is_refused(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(
                user=self.professional, organisation=self.org_a, role=Role.PROFESSIONAL
            )

    def test_the_same_role_twice_in_a_team_is_refused(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(
                user=self.coordinator,
                organisation=self.area_team,
                team=self.team_heerlen,
                role=Role.PROFESSIONAL,
            )

    def test_another_role_or_the_organisation_level_is_allowed(self) -> None:
        Membership.objects.create(
            user=self.professional, organisation=self.org_a, role=Role.INDEX_REPORTER
        )
        Membership.objects.create(
            user=self.coordinator, organisation=self.area_team, role=Role.PROFESSIONAL
        )
        self.assertEqual(self.professional.memberships.count(), 2)
