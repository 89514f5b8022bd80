# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""A small social map on top of the personas, shared by the directory tests."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from rits.accounts.models import Membership, Organisation, Team, User
from rits.directory import reachability, search
from rits.directory.models import (
    CrisisLine,
    Location,
    OpeningHours,
    Phone,
    Provider,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Theme,
    pack_languages,
)
from rits.regions.models import Area, Municipality, YouthCareRegion
from rits.testing import RitsTestCase, make_user

WEEKDAYS_9_TO_5 = [(day, time(9, 0), time(17, 0)) for day in range(5)]


class DirectoryTestCase(RitsTestCase):
    """Adds to the personas:

    - ``editor``: organisation editor of org A (Jeugdhulp Parkstad), whose provider is
      ``provider_a``; ``provider_b`` belongs to org B (the GGZ)
    - services: ``autism`` (A, Heerlen, 4-18, nl+de, open weekdays 9-17, 10 weeks wait),
      ``parenting`` (A, Landgraaf wijk Schaesberg only, 0-12), ``anxiety`` (B, all three
      municipalities, 6-18, en, 16 weeks, confirmed 40 days ago), ``closed`` (B, inactive)
    - crisis lines for Heerlen (office hours Mon-Fri 08:30-17:00) and the region
    """

    # Declared for the type checker; RitsTestCase sets them in setUpTestData.
    region: YouthCareRegion
    heerlen: Municipality
    landgraaf: Municipality
    org_a: Organisation
    org_b: Organisation
    area_team: Organisation
    gemeente: Organisation
    team_heerlen: Team
    admin: User
    professional: User
    outsider: User
    coordinator: User
    parent: User
    voerendaal: Municipality
    schaesberg: Area
    editor: User
    themes: dict[str, Theme]
    provider_a: Provider
    provider_b: Provider
    location_a: Location
    autism: Service
    parenting: Service
    anxiety: Service
    closed: Service
    office_heerlen: CrisisLine
    regional: CrisisLine

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        reachability.forget_crisis_lines()
        search.forget_vocabulary()
        cls.voerendaal = Municipality.objects.get(code="GM0986")
        cls.schaesberg = Area.objects.create(municipality=cls.landgraaf, name="Schaesberg")
        cls.editor = make_user("redacteur@test.rits.nl", "Eva Editor")
        Membership.objects.create(
            user=cls.editor, organisation=cls.org_a, role=Membership.Role.ORGANISATION_ADMIN
        )
        cls.themes = {t.code: t for t in Theme.objects.all()}
        cls.provider_a = Provider.objects.create(
            organisation=cls.org_a, name=cls.org_a.name, description="Jeugdhulp in Parkstad."
        )
        cls.provider_b = Provider.objects.create(
            organisation=cls.org_b, name=cls.org_b.name, description="GGZ voor de jeugd."
        )
        cls.location_a = Location.objects.create(
            provider=cls.provider_a,
            name="Kantoor Heerlen",
            address_1="Voorbeeldstraat 1",
            postal_code="6411 AA",
            city="Heerlen",
            municipality=cls.heerlen,
        )
        today = timezone.localdate()
        cls.autism = cls.service(
            cls.provider_a,
            "Begeleiding bij autisme",
            "Individuele begeleiding voor kinderen met autisme en hun ouders, thuis en op school.",
            ["ontwikkeling"],
            (4, 18),
            ["nl", "de"],
            [cls.heerlen],
            wait=(10, today - timedelta(days=3)),
            hours=WEEKDAYS_9_TO_5,
        )
        ServiceAtLocation.objects.create(service=cls.autism, location=cls.location_a)
        Phone.objects.create(service=cls.autism, number="045 – 400 1002", description="Intake")
        cls.parenting = cls.service(
            cls.provider_a,
            "Opvoedspreekuur",
            "Loop binnen met vragen over opvoeden, slapen en driftbuien. Privé en gratis.",
            ["opvoeden"],
            (0, 12),
            ["nl"],
            [],
            areas=[cls.schaesberg],
        )
        cls.anxiety = cls.service(
            cls.provider_b,
            "Jeugd-GGZ: angst en somberheid",
            "Behandeling voor jongeren met angst of somberheid; ook opvoeding van ouders telt mee.",
            ["ggz"],
            (6, 18),
            ["en", "nl"],
            [cls.heerlen, cls.landgraaf, cls.voerendaal],
            wait=(16, today - timedelta(days=40)),
        )
        cls.closed = cls.service(
            cls.provider_b,
            "Gestopte autismegroep",
            "Deze groep voor autisme bestaat niet meer.",
            ["ontwikkeling"],
            (None, None),
            ["nl"],
            [cls.heerlen],
            status=Service.Status.DEFUNCT,
        )
        cls.office_heerlen = CrisisLine.objects.create(
            kind=CrisisLine.Kind.OFFICE_HOURS,
            region=cls.region,
            municipality=cls.heerlen,
            name="Gemeente Heerlen",
            phone="045 – 560 4004",
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(
                crisis_line=cls.office_heerlen,
                weekday=d,
                opens_at=time(8, 30),
                closes_at=time(17, 0),
            )
            for d in range(5)
        )
        cls.regional = CrisisLine.objects.create(
            kind=CrisisLine.Kind.OUT_OF_HOURS,
            region=cls.region,
            name="Crisishulp Jeugd Zuid-Limburg",
            phone="043 – 604 5777",
        )
        search.reindex(Service.objects.values_list("pk", flat=True))

    def setUp(self) -> None:
        reachability.forget_crisis_lines()
        search.forget_vocabulary()

    @classmethod
    def service(
        cls,
        provider: Provider,
        name: str,
        description: str,
        theme_codes: list[str],
        ages: tuple[int | None, int | None],
        languages: list[str],
        municipalities: list[Municipality],
        *,
        areas: list[Area] | None = None,
        wait: tuple[int, object] | None = None,
        hours: list[tuple[int, time, time]] | None = None,
        status: str = Service.Status.ACTIVE,
    ) -> Service:
        service = Service.objects.create(
            provider=provider,
            name=name,
            description=description,
            minimum_age=ages[0],
            maximum_age=ages[1],
            languages=pack_languages(languages),
            wait_weeks=wait[0] if wait else None,
            wait_confirmed_on=wait[1] if wait else None,  # type: ignore[misc]
            status=status,
        )
        service.themes.set([cls.themes[c] for c in theme_codes])
        for m in municipalities:
            ServiceArea.objects.create(service=service, municipality=m)
        for a in areas or []:
            ServiceArea.objects.create(service=service, municipality=a.municipality, area=a)
        for day, opens, closes in hours or []:
            OpeningHours.objects.create(
                service=service, weekday=day, opens_at=opens, closes_at=closes
            )
        return service
