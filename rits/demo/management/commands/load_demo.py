"""Build the demo region Parkstad: real municipalities, fictional organisations and
synthetic people. Idempotent: running it again changes nothing."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import module_has_submodule
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import Membership, Organisation, Team, User
from rits.demo.region import DEMO_PASSWORD, DemoRegion
from rits.regions.models import Municipality, YouthCareRegion

Kind = Organisation.Kind
Role = Membership.Role

# (key, name, kind, municipality key)
ORGANISATIONS = [
    ("area_team_heerlen", "Gebiedsteam Heerlen", Kind.AREA_TEAM, "heerlen"),
    ("area_team_voerendaal", "Sociaal Team Voerendaal", Kind.AREA_TEAM, "voerendaal"),
    ("area_team_landgraaf", "Wijkteam Landgraaf", Kind.AREA_TEAM, "landgraaf"),
    ("youth_care", "Jeugdhulp Parkstad", Kind.YOUTH_CARE_PROVIDER, "heerlen"),
    ("veilig_thuis", "Veilig Thuis Zuid-Limburg", Kind.VEILIG_THUIS, "heerlen"),
    ("school", "Parkstad College", Kind.EDUCATION, "landgraaf"),
    ("ggz", "GGZ Parkstad Jeugd", Kind.MENTAL_HEALTH, "heerlen"),
    ("jgz", "JGZ Parkstad", Kind.YOUTH_HEALTH_CARE, "voerendaal"),
    ("gemeente_heerlen", "Gemeente Heerlen", Kind.MUNICIPALITY, "heerlen"),
    ("gemeente_voerendaal", "Gemeente Voerendaal", Kind.MUNICIPALITY, "voerendaal"),
    ("gemeente_landgraaf", "Gemeente Landgraaf", Kind.MUNICIPALITY, "landgraaf"),
]

# (key, team name, organisation key, municipality key)
TEAMS = [
    ("heerlen_noord", "Team Heerlen-Noord", "area_team_heerlen", "heerlen"),
    ("heerlen_centrum", "Team Heerlen-Centrum", "area_team_heerlen", "heerlen"),
    ("voerendaal", "Team Voerendaal", "area_team_voerendaal", "voerendaal"),
    ("landgraaf", "Team Landgraaf", "area_team_landgraaf", "landgraaf"),
    ("ambulant", "Ambulante jeugdhulp", "youth_care", "heerlen"),
]

# (person key, e-mail local part, organisation key, team key or None, roles, job title)
PEOPLE = [
    (
        "professional",
        "hulpverlener",
        "area_team_heerlen",
        "heerlen_noord",
        [Role.PROFESSIONAL, Role.INDEX_REPORTER],
        "Gezinscoach",
    ),
    (
        "coordinator",
        "regisseur",
        "area_team_landgraaf",
        "landgraaf",
        [Role.PROFESSIONAL, Role.INDEX_REPORTER],
        "Casusregisseur",
    ),
    (
        "youth_care_worker",
        "jeugdhulp",
        "youth_care",
        "ambulant",
        [Role.PROFESSIONAL, Role.INDEX_REPORTER],
        "Jeugdhulpverlener",
    ),
    ("ggz_worker", "ggz", "ggz", None, [Role.PROFESSIONAL, Role.INDEX_REPORTER], "GZ-psycholoog"),
    ("school_worker", "school", "school", None, [Role.PROFESSIONAL], "Zorgcoördinator"),
    (
        "veilig_thuis_worker",
        "veiligthuis",
        "veilig_thuis",
        None,
        [Role.PROFESSIONAL, Role.INDEX_REPORTER],
        "Medewerker onderzoek",
    ),
    (
        "jgz_worker",
        "jgz",
        "jgz",
        None,
        [Role.PROFESSIONAL, Role.INDEX_REPORTER],
        "Jeugdverpleegkundige",
    ),
    (
        "organisation_editor",
        "redacteur",
        "youth_care",
        None,
        [Role.ORGANISATION_ADMIN],
        "Communicatie",
    ),
    (
        "municipality_staff",
        "beleid",
        "gemeente_heerlen",
        None,
        [Role.MUNICIPALITY_STAFF],
        "Beleidsadviseur jeugd",
    ),
    (
        "municipal_coordinator",
        "regievoerder",
        "gemeente_heerlen",
        None,
        [Role.MUNICIPAL_COORDINATOR],
        "Regievoerder",
    ),
    (
        "privacy_officer",
        "privacy",
        "gemeente_heerlen",
        None,
        [Role.PRIVACY_OFFICER],
        "Functionaris gegevensbescherming",
    ),
    (
        "functional_admin",
        "beheer",
        "gemeente_heerlen",
        None,
        [Role.FUNCTIONAL_ADMIN],
        "Functioneel beheerder",
    ),
    (
        "facilitator",
        "begeleider",
        "gemeente_heerlen",
        None,
        [Role.FACILITATOR],
        "Begeleider leernetwerk",
    ),
    (
        "researcher",
        "onderzoek",
        "gemeente_heerlen",
        None,
        [Role.RESEARCHER],
        "Onderzoeker",
    ),
]

EMAIL_DOMAIN = "demo.rits.nl"


def demo_totp_key(email: str) -> str:
    """A fixed TOTP secret per demo login (hex, 20 bytes), so the printed secret keeps working."""
    return hashlib.sha1(f"rits-demo-totp:{email}".encode()).hexdigest()  # noqa: S324


class Command(BaseCommand):
    help = "Build or refresh the demo region Parkstad (Heerlen, Voerendaal, Landgraaf)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Demo region Parkstad")
        with transaction.atomic():
            demo = self.build_core()
        # Demo people are synthetic: notifications stay in-app, no mail is printed or sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.build_capabilities(demo)
        self.print_logins(demo)

    def build_capabilities(self, demo: DemoRegion) -> None:
        """Each installed app with a ``demo`` module adds to the region, in the order of
        INSTALLED_APPS (which lists the capability apps in dependency order)."""
        for config in apps.get_app_configs():
            if not config.name.startswith("rits.") or not module_has_submodule(
                config.module, "demo"
            ):
                continue
            module = import_module(f"{config.name}.demo")
            with transaction.atomic():
                module.build(demo)

    def build_core(self) -> DemoRegion:
        region = YouthCareRegion.objects.get(code="JZ41")
        municipalities = {
            "heerlen": Municipality.objects.get(code="GM0917"),
            "voerendaal": Municipality.objects.get(code="GM0986"),
            "landgraaf": Municipality.objects.get(code="GM0882"),
        }
        demo = DemoRegion(region=region, municipalities=municipalities, out=self.stdout)
        for i, (key, name, kind, mun) in enumerate(ORGANISATIONS, 1):
            demo.organisations[key], _ = Organisation.objects.get_or_create(
                region=region,
                name=name,
                defaults={
                    "kind": kind,
                    "municipality": municipalities[mun],
                    "email": f"info@{key.replace('_', '-')}.{EMAIL_DOMAIN}",
                    "phone": f"045 {500 + i:03d} {1000 + i * 7:04d}",
                },
            )
            demo.progress("organisations", i, len(ORGANISATIONS))
        for i, (key, name, org, mun) in enumerate(TEAMS, 1):
            demo.teams[key], _ = Team.objects.get_or_create(
                organisation=demo.organisations[org],
                name=name,
                defaults={"municipality": municipalities[mun]},
            )
            demo.progress("teams", i, len(TEAMS))
        for i, (key, local, org, team, roles, title) in enumerate(PEOPLE, 1):
            demo.people[key] = self.person(demo, local, org, team, roles, title)
            demo.progress("professionals", i, len(PEOPLE))
        return demo

    def person(
        self,
        demo: DemoRegion,
        local: str,
        org: str,
        team: str | None,
        roles: Sequence[str],
        title: str,
    ) -> User:
        email = f"{local}@{EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=demo.faker.name(),
                phone=demo.faker.phone_number(),
                is_staff=Role.FUNCTIONAL_ADMIN in roles,
            )
        else:
            demo.faker.name(), demo.faker.phone_number()  # keep the generator in step
        for role in roles:
            Membership.objects.get_or_create(
                user=user,
                organisation=demo.organisations[org],
                team=demo.teams[team] if team else None,
                role=role,
                defaults={"job_title": title},
            )
        TOTPDevice.objects.get_or_create(
            user=user, name="Demo", defaults={"key": demo_totp_key(email), "confirmed": True}
        )
        return user

    def print_logins(self, demo: DemoRegion) -> None:
        self.stdout.write("")
        self.stdout.write("Demo logins (synthetic people), all with password: " + DEMO_PASSWORD)
        self.stdout.write(
            "Professionals use a second factor: add the TOTP secret to an authenticator app,"
        )
        self.stdout.write(
            "or print the current code with: .venv/bin/python manage.py totp_code EMAIL"
        )
        self.stdout.write("")
        for key, user in demo.people.items():
            if user.requires_two_factor:
                secret = base64.b32encode(bytes.fromhex(demo_totp_key(user.email))).decode()
                self.stdout.write(f"  {key:<24} {user.email:<30} TOTP {secret}")
            else:
                self.stdout.write(f"  {key:<24} {user.email:<30} (family account, no TOTP)")
        self.stdout.write("")
        self.stdout.write("Open http://127.0.0.1:8000/ — 'Wie bel ik nu?' needs no login.")
