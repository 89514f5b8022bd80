"""End to end in real Chromium: two professionals register the same youth and are matched."""

import random
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from rits.accounts.models import Membership, Organisation, User
from rits.involvement.services import SignalInput, register_signal
from rits.lib.pseudonyms import synthetic_bsn
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase


class TwoProfessionalsGetMatchedTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        self.heerlen = Municipality.objects.get(code="GM0917")
        self.people = []
        for email, name, org_name in (
            ("anna@e2e.rits.nl", "Anna Ambulant", "Jeugdhulp E2E"),
            ("bram@e2e.rits.nl", "Bram Buurtteam", "Buurtteam E2E"),
        ):
            org = Organisation.objects.create(
                name=org_name,
                kind=Organisation.Kind.YOUTH_CARE_PROVIDER,
                region=region,
                municipality=self.heerlen,
            )
            user = make_user(email, name)
            Membership.objects.create(
                user=user, organisation=org, role=Membership.Role.INDEX_REPORTER
            )
            self.people.append(user)

    def page_for(self, user: User) -> Page:
        return self.new_context(user).new_page()

    def register(self, page: Page, bsn: str) -> None:
        page.goto(f"{self.live_server_url}/betrokkenheid/registreren/")
        page.get_by_label("BSN van de jongere").fill(bsn)
        birth = timezone.localdate() - timedelta(days=365 * 9)
        page.get_by_label("Geboortedatum").fill(birth.isoformat())
        page.get_by_label("Gemeente waar de jongere woont").select_option(str(self.heerlen.pk))
        page.get_by_label("De ouders (jongere onder 16) weten van de melding").check()
        page.get_by_role("button", name="Melden").click()

    def test_two_professionals_are_matched_and_agree_who_coordinates(self) -> None:
        anna, bram = self.people
        bsn = synthetic_bsn(random.Random(20260))
        page_a, page_b = self.page_for(anna), self.page_for(bram)

        self.register(page_a, bsn)
        expect(
            page_a.get_by_text("Op dit moment is niemand anders betrokken.").first
        ).to_be_visible()

        self.register(page_b, bsn)
        expect(page_b.get_by_text("Anderen zijn ook betrokken")).to_be_visible()
        page_b.get_by_role("link", name="Cliëntmatch").click()
        expect(page_b.get_by_role("cell", name="Anna Ambulant")).to_be_visible()
        expect(page_b.get_by_role("cell", name="Jeugdhulp E2E")).to_be_visible()
        self.assertNotIn(bsn, page_b.content())

        # Agree on the coordinator through HTMX: the section is replaced in place.
        page_b.get_by_label("Wie houdt de regie (regievoerder)?").select_option(
            label="Anna Ambulant (Jeugdhulp E2E)"
        )
        page_b.get_by_role("button", name="Regievoerder opslaan").click()
        expect(page_b.locator("#coordinator-name")).to_have_text("Anna Ambulant (Jeugdhulp E2E)")
        page_b.get_by_role("button", name="We hebben contact gehad").click()
        expect(page_b.locator("#coordination")).to_contain_text(
            "Regievoerder afgesproken en contact gehad"
        )

        # Anna sees the same match, now settled, with Bram's contact details.
        page_a.goto(f"{self.live_server_url}/betrokkenheid/matches/")
        page_a.get_by_role("link", name="M-").first.click()
        expect(page_a.get_by_role("cell", name="Bram Buurtteam")).to_be_visible()
        expect(page_a.locator("#coordination")).to_contain_text(
            "Regievoerder afgesproken en contact gehad"
        )

    def test_a_reporter_pages_through_and_finds_by_own_reference(self) -> None:
        anna = self.people[0]
        rng = random.Random(20261)
        for n in range(51):
            register_signal(
                SignalInput(
                    bsn=synthetic_bsn(rng),
                    birth_date=timezone.localdate() - timedelta(days=365 * 9),
                    municipality=self.heerlen,
                    parents_informed=True,
                    own_reference=f"Dossier {n:03d}",
                ),
                actor=anna,
            )
        page = self.page_for(anna)
        page.goto(f"{self.live_server_url}/betrokkenheid/")
        expect(page.get_by_text("51 meldingen.")).to_be_visible()
        expect(page.get_by_role("cell", name="Dossier 050")).to_be_visible()
        expect(page.get_by_role("cell", name="Dossier 000")).to_have_count(0)
        page.get_by_role("link", name="Volgende").click()
        expect(page.get_by_text("Pagina 2 van 2")).to_be_visible()
        expect(page.get_by_role("cell", name="Dossier 000")).to_be_visible()

        page.get_by_label("Je eigen kenmerk").fill("dossier 007")
        page.get_by_role("button", name="Zoeken").click()
        expect(page.get_by_text("1 melding.")).to_be_visible()
        expect(page.get_by_role("cell", name="Dossier 007")).to_be_visible()
        page.get_by_role("link", name="Archief").click()
        expect(page.get_by_text("Geen van je meldingen hier heeft het kenmerk")).to_be_visible()
