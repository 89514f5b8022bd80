"""The people Rits is tested with. Every view test uses these personas, and every
view test has an outsider case."""

from __future__ import annotations

import re
from types import EllipsisType
from typing import Any

from django.core.management import call_command
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


def without_response_tokens(body: str) -> str:
    """A response body without what differs from one response to the next (CSRF
    tokens, CSP nonces), so two answers can be compared."""
    body = re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", body)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', body)


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
    - ``facilitator``: learning-network facilitator of the region (dialogue tables, knowledge)
    - ``researcher``: researcher of the region; pseudonymised material and figures only
    """

    region: YouthCareRegion
    heerlen: Municipality
    landgraaf: Municipality
    area_team: Organisation
    org_a: Organisation
    org_b: Organisation
    gemeente: Organisation
    team_heerlen: Team
    coordinator: User
    professional: User
    outsider: User
    parent: User
    youth: User
    jim: User
    municipality_officer: User
    privacy_officer: User
    admin: User
    facilitator: User
    researcher: User

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
        cls.facilitator = member(
            make_user("begeleider@test.rits.nl", "Fleur Begeleider"), cls.gemeente, Role.FACILITATOR
        )
        cls.researcher = member(
            make_user("onderzoek@test.rits.nl", "Rob Onderzoeker"), cls.gemeente, Role.RESEARCHER
        )


class AuditAssertions:
    """``assert_audited``: check the trail as a test's last step, like wagtail's
    ``assert_log_actions``. Mix into a TestCase: ``class T(AuditAssertions, RitsTestCase)``."""

    def assert_audited(
        self,
        event: str,
        *,
        actor: User | EllipsisType | None = ...,
        subject: str | None = None,
        outcome: str | None = None,
        obj: object | None = None,
        count: int = 1,
        **data: object,
    ) -> Any:
        """Exactly ``count`` entries of ``event`` match; return the newest.

        ``actor=None`` means "by the system"; leave it out to match any actor.
        Keyword arguments beyond these must equal the same keys of ``Entry.data``.
        """
        from rits.audit.models import Entry

        entries = Entry.objects.filter(event=event)
        if not isinstance(actor, EllipsisType):
            entries = entries.filter(actor=actor)
        if subject is not None:
            entries = entries.filter(subject=subject)
        if outcome is not None:
            entries = entries.filter(outcome=outcome)
        if obj is not None:
            entries = entries.filter(
                object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
                object_id=str(obj.pk),  # type: ignore[attr-defined]
            )
        matching = [entry for entry in entries.order_by("id") if _data_matches(entry.data, data)]
        if len(matching) != count:
            found = list(Entry.objects.order_by("id").values_list("event", flat=True))
            raise AssertionError(
                f"Expected {count} audit entr{'y' if count == 1 else 'ies'} {event!r} "
                f"matching, found {len(matching)}. Trail: {found}"
            )
        return matching[-1] if matching else None


def _data_matches(actual: dict[str, Any], expected: dict[str, object]) -> bool:
    return all(actual.get(key) == value for key, value in expected.items())


class CommittedData:
    """Mix into a TransactionTestCase whose data must really be committed (threads,
    servers, checkpoints).

    The reference data the migrations load (regions, municipalities) is restored after
    each test, and the flush cascades: on PostgreSQL a table kept outside the ORM that
    refers to an ORM table (the social map's search documents) blocks a plain TRUNCATE.
    """

    serialized_rollback = True
    databases: Any

    def _fixture_teardown(self) -> None:
        for alias in sorted(self.databases):
            call_command(
                "flush",
                verbosity=0,
                interactive=False,
                database=alias,
                reset_sequences=False,
                allow_cascade=True,
                inhibit_post_migrate=True,
            )
