"""End to end in real Chromium: the facilitator opens a table, the family consents, the
chair codes a finding that becomes an action, and its owner closes it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from rits.accounts.models import Membership, Organisation
from rits.dialogues import services
from rits.dialogues.models import Code, ImprovementAction, Kind
from rits.family_plans.models import CareTeamMember, Consent, Family, Person, Plan
from rits.family_plans.permissions import get_plan_for_user
from rits.family_plans.tests.base import born_years_ago
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase


class DialogueTableFlowTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = Municipality.objects.get(code="GM0917")
        self.region = region

        def org(name: str, kind: str) -> Organisation:
            return Organisation.objects.create(
                name=name, kind=kind, region=region, municipality=heerlen
            )

        team, provider, gemeente, institute = (
            org("Gebiedsteam E2E", "area_team"),
            org("Jeugdhulp E2E", "youth_care_provider"),
            org("Gemeente E2E", "municipality"),
            org("Kenniscentrum E2E", "knowledge_institute"),
        )
        self.provider = provider
        self.worker = make_user("ria@e2e.rits.nl", "Ria Regisseur")
        Membership.objects.create(user=self.worker, organisation=team, role="professional")
        self.facilitator = make_user("fleur@e2e.rits.nl", "Fleur Begeleider")
        Membership.objects.create(user=self.facilitator, organisation=gemeente, role="facilitator")
        self.chair = make_user("vera@e2e.rits.nl", "Vera Voorzitter")
        Membership.objects.create(user=self.chair, organisation=institute, role="professional")
        self.owner = make_user("pim@e2e.rits.nl", "Pim Jeugdhulp")
        Membership.objects.create(user=self.owner, organisation=provider, role="professional")
        self.youth = make_user("lotte@e2e.rits.nl", "Lotte Lammers", "family")
        family = Family.objects.create(name="Gezin Lammers", municipality=heerlen)
        youth = Person.objects.create(
            family=family,
            role="youth",
            name="Lotte Lammers",
            date_of_birth=born_years_ago(17),
            user=self.youth,
        )
        plan = Plan.objects.create(family=family, youth=youth, coordinator=self.worker)
        member = CareTeamMember.objects.create(
            plan=plan, kind="professional", user=self.worker, organisation=team, status="active"
        )
        Consent.objects.create(member=member, purpose="plan", given_by=youth)
        Plan.objects.filter(pk=plan.pk).update(status="closed", closed_at=timezone.now())
        self.trajectory = services.propose_plan(
            get_plan_for_user(self.worker, plan.pk), actor=self.worker, title="Lotte naar school"
        )

    def test_facilitator_family_chair_and_owner(self) -> None:
        url = self.live_server_url
        # The youth (17) decides.
        page = self.new_context(self.youth).new_page()
        page.goto(f"{url}/dialoogtafels/toestemming/{self.trajectory.pk}/")
        expect(
            page.get_by_role("heading", name="Mogen we samen terugkijken op jullie hulp?")
        ).to_be_visible()
        page.get_by_role("button", name="Ja, dat is goed").click()
        expect(page.get_by_text("Je hebt ja gezegd.")).to_be_visible()

        page = self.new_context(self.facilitator).new_page()
        page.goto(f"{url}/dialoogtafels/nieuw/")
        page.get_by_label("Soort tafel").select_option("case")
        page.get_by_label("Titel", exact=True).fill("Terugblik schoolgang")
        page.get_by_label("jongere (17) naar school (gesloten gezinsplan)").check()
        page.get_by_role("button", name="Open de tafel").click()
        expect(page.get_by_role("heading", name="Terugblik schoolgang")).to_be_visible()
        page.get_by_label("E-mailadres").fill(self.worker.email)
        page.get_by_label("Rol aan tafel").select_option("chair")
        page.get_by_role("button", name="Uitnodigen").click()
        expect(page.get_by_text("Kies iemand van buiten")).to_be_visible()  # was in the care team
        page.get_by_label("E-mailadres").fill(self.chair.email)
        page.get_by_label("Rol aan tafel").select_option("chair")
        page.get_by_role("button", name="Uitnodigen").click()
        page.get_by_role("button", name="Verslag voorbereiden").click()
        expect(page.locator("pre.account")).to_contain_text("jongere (17)")
        expect(page.locator("pre.account")).not_to_contain_text("Lotte")
        page.get_by_role("button", name="Deel met de tafel").click()
        page.get_by_label("Gehouden op").fill(timezone.localdate().isoformat())
        page.get_by_role("button", name="De tafel is gehouden").click()
        expect(page.locator("#table-status")).to_have_text("Gehouden")

        code = (
            Code.objects.filter(region=self.region, kind=Kind.IMPROVEMENT).order_by("name").first()
        )
        assert code is not None
        page = self.new_context(self.chair).new_page()
        page.goto(f"{url}/dialoogtafels/")
        page.get_by_role("link", name="Terugblik schoolgang").click()
        page.get_by_role("link", name="Leg een bevinding vast").click()
        page.get_by_label("Bevinding", exact=True).fill("Lotte wil dat de school meteen meedoet.")
        page.get_by_label("Fase van het traject").select_option("plan")
        page.get_by_label("Wiens blik").select_option("youth")
        page.get_by_label(f"{code.theme.name} — {code.name} (verbetering)").check()
        page.get_by_role("button", name="Bevinding opslaan").click()
        expect(page.get_by_role("heading", name="Nieuwe verbeteractie")).to_be_visible()
        expect(page.locator("blockquote")).to_have_text(
            "jongere (17) wil dat de school meteen meedoet."
        )
        page.get_by_label("Wat er verandert").fill("School schuift aan bij de start")
        page.get_by_label("Eigenaar (organisatie)").select_option(str(self.provider.pk))
        page.get_by_label("Eigenaar (e-mailadres van iemand daar)").fill(self.owner.email)
        page.get_by_label("Klaar op").fill((timezone.localdate() + timedelta(days=30)).isoformat())
        page.get_by_role("button", name="Maak de actie").click()
        expect(page.locator("#action-status")).to_have_text("Open")

        page = self.new_context(self.owner).new_page()
        page.goto(f"{url}/dialoogtafels/")
        page.get_by_role("link", name="School schuift aan bij de start").click()
        page.get_by_label("Status").select_option("done")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Schrijf op wat het heeft opgeleverd")).to_be_visible()
        page.get_by_label("Resultaat (als je de actie afsluit)").fill(
            "De school is er vanaf de start bij"
        )
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator("#action-status")).to_have_text("Klaar")
        self.assertEqual(ImprovementAction.objects.get().status, "done")
