from django.db import IntegrityError, transaction

from rits.accounts.models import Membership
from rits.testing import RitsTestCase

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


class RolesTests(RitsTestCase):
    def test_a_user_holds_the_roles_of_their_active_memberships_only(self) -> None:
        from rits.accounts.models import User

        Membership.objects.create(
            user=self.professional, organisation=self.org_a, role=Role.INDEX_REPORTER
        )
        Membership.objects.create(
            user=self.professional, organisation=self.org_b, role=Role.PRIVACY_OFFICER, active=False
        )
        user = User.objects.get(pk=self.professional.pk)
        self.assertEqual(user.roles(), {Role.PROFESSIONAL, Role.INDEX_REPORTER})
        self.assertTrue(user.has_role(Role.INDEX_REPORTER))
        self.assertFalse(user.has_role(Role.PRIVACY_OFFICER))
        self.assertEqual(self.outsider.roles(), {Role.PROFESSIONAL})
