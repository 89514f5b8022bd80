"""The people Rits is tested with. Every view test uses these personas, and every
view test has an outsider case."""

from __future__ import annotations

from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import Membership, Organisation, Team, User
from rits.regions.models import Municipality, YouthCareRegion

Role = Membership.Role
PASSWORD = "correct horse battery staple 42"  # noqa: S105


def make_user(email: str, full_name: str, kind: str = User.Kind.PROFESSIONAL) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=full_name, kind=kind)


def login(client: Client, user: User, *, verified: bool = True) -> None:
    """Log in as ``user``; ``verified`` also passes the second factor (a confirmed TOTP device)."""
    client.force_login(user)
    if verified and user.requires_two_factor:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


class RitsTestCase(TestCase):
    """Parkstad (Zuid-Limburg) with these personas:

    - ``coordinator``: area-team professional in Heerlen who coordinates the family's plan
    - ``professional``: youth-care worker at organisation A (the provider), in the care team
    - ``outsider``: professional at organisation B (the GGZ), not in the care team
    - ``parent``: a parent, with a family account
    - ``youth``: a youth of 14, with a family account
    - ``jim``: the youth's self-chosen informal mentor (JIM)
    - ``municipality_officer``: policy staff of the municipality of Heerlen
    - ``privacy_officer``: reads the audit trail
    - ``admin``: the region's functional admin
    """

    @classmethod
    def setUpTestData(cls) -> None:
        cls.region = YouthCareRegion.objects.get(code="JZ41")
        cls.heerlen = Municipality.objects.get(code="GM0917")
        cls.landgraaf = Municipality.objects.get(code="GM0882")

        def org(name: str, kind: str) -> Organisation:
            return Organisation.objects.create(
                name=name, kind=kind, region=cls.region, municipality=cls.heerlen
            )

        cls.area_team = org("Gebiedsteam Heerlen (test)", Organisation.Kind.AREA_TEAM)
        cls.org_a = org("Jeugdhulp Parkstad (test)", Organisation.Kind.YOUTH_CARE_PROVIDER)
        cls.org_b = org("GGZ Zuid (test)", Organisation.Kind.MENTAL_HEALTH)
        cls.gemeente = org("Gemeente Heerlen (test)", Organisation.Kind.MUNICIPALITY)
        cls.team_heerlen = Team.objects.create(
            organisation=cls.area_team, name="Team Heerlen-Noord", municipality=cls.heerlen
        )

        def member(user: User, organisation: Organisation, role: str, **kw: object) -> User:
            Membership.objects.create(user=user, organisation=organisation, role=role, **kw)
            return user

        cls.coordinator = member(
            make_user("regisseur@test.rits.nl", "Ria Regisseur"),
            cls.area_team,
            Role.PROFESSIONAL,
            team=cls.team_heerlen,
        )
        cls.professional = member(
            make_user("hulpverlener@test.rits.nl", "Pim Professional"), cls.org_a, Role.PROFESSIONAL
        )
        cls.outsider = member(
            make_user("buitenstaander@test.rits.nl", "Olga Outsider"), cls.org_b, Role.PROFESSIONAL
        )
        cls.parent = make_user("ouder@test.rits.nl", "Petra Ouder", User.Kind.FAMILY)
        cls.youth = make_user("jongere@test.rits.nl", "Jesse Jongere", User.Kind.FAMILY)
        cls.jim = make_user("jim@test.rits.nl", "Jan Mentor", User.Kind.NETWORK)
        cls.municipality_officer = member(
            make_user("beleid@test.rits.nl", "Bea Beleid"), cls.gemeente, Role.MUNICIPALITY_STAFF
        )
        cls.privacy_officer = member(
            make_user("privacy@test.rits.nl", "Frits Privacy"), cls.gemeente, Role.PRIVACY_OFFICER
        )
        cls.admin = member(
            make_user("beheer@test.rits.nl", "Anne Beheer"), cls.gemeente, Role.FUNCTIONAL_ADMIN
        )
