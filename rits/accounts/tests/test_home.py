from __future__ import annotations

from rits.accounts.models import Membership, Notification
from rits.accounts.tests.helpers import events
from rits.testing import RitsTestCase, login

Role = Membership.Role


class HomePageTests(RitsTestCase):
    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get("/")
        self.assertRedirects(response, "/account/login/?next=/", fetch_redirect_response=False)

    def test_a_professional_sees_organisations_teams_and_roles(self) -> None:
        login(self.client, self.coordinator)
        response = self.client.get("/")
        self.assertContains(response, "Welkom, Ria Regisseur")
        self.assertContains(response, "Gebiedsteam Heerlen (test)")
        self.assertContains(response, "Team Heerlen-Noord")
        self.assertContains(response, "<td>Professional</td>", html=True)
        self.assertContains(response, 'href="/sociale-kaart/"')
        self.assertContains(response, 'href="/betrokkenheid/"')
        self.assertNotContains(response, 'href="/audit/"')
        self.assertNotContains(response, 'href="/beheer/"')

    def test_it_shows_only_your_own_organisations(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/")
        self.assertContains(response, "Jeugdhulp Parkstad (test)")
        self.assertNotContains(response, "GGZ Zuid (test)")

    def test_a_privacy_officer_sees_the_audit_trail(self) -> None:
        login(self.client, self.privacy_officer)
        response = self.client.get("/")
        self.assertContains(response, "Privacyfunctionaris")
        self.assertContains(response, 'href="/audit/"', count=2)  # menu and card

    def test_a_functional_admin_sees_the_administration(self) -> None:
        self.admin.is_staff = True
        self.admin.save()
        login(self.client, self.admin)
        response = self.client.get("/")
        self.assertContains(response, "Naar beheer")
        self.assertContains(response, 'href="/beheer/"', count=2)

    def test_municipality_staff_open_the_monitor(self) -> None:
        login(self.client, self.municipality_officer)
        response = self.client.get("/")
        self.assertContains(response, "Open de monitor")
        self.assertContains(response, 'href="/monitor/"', count=2)  # menu and card
        self.assertNotContains(response, 'href="/betrokkenheid/"')

    def test_the_facilitator_and_the_researcher_find_their_work(self) -> None:
        login(self.client, self.facilitator)
        response = self.client.get("/")
        self.assertContains(response, "Je dialoogtafels")
        self.assertContains(response, 'href="/kennis/netwerken/"')
        login(self.client, self.researcher)
        response = self.client.get("/")
        self.assertContains(response, 'href="/dialoogtafels/overzicht/"')
        self.assertNotContains(response, "Je dialoogtafels")

    def test_a_family_member_gets_a_plain_dutch_welcome(self) -> None:
        login(self.client, self.youth)
        response = self.client.get("/")
        self.assertContains(response, "Welkom, Jesse Jongere")
        self.assertContains(response, "Fijn dat je er bent.")
        self.assertNotContains(response, "Waar je werkt")
        self.assertNotContains(response, 'href="/account/tokens/"')

    def test_the_page_is_in_english_on_request(self) -> None:
        login(self.client, self.parent)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = self.client.get("/")
        self.assertContains(response, "Good to see you.")


class NotificationTests(RitsTestCase):
    def setUp(self) -> None:
        self.mine = Notification.objects.create(
            user=self.professional, kind="test", title="Nieuwe match", url="/betrokkenheid/"
        )
        self.theirs = Notification.objects.create(
            user=self.outsider, kind="test", title="Bericht voor Olga"
        )

    def test_it_lists_your_unread_notifications(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/")
        self.assertContains(response, "Nieuwe match")
        self.assertNotContains(response, "Bericht voor Olga")

    def test_mark_read_works_without_javascript(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(f"/account/notifications/{self.mine.pk}/read/")
        self.assertRedirects(response, "/")
        self.mine.refresh_from_db()
        self.assertIsNotNone(self.mine.read_at)
        self.assertNotContains(self.client.get("/"), "Nieuwe match")
        self.assertEqual(len(events("accounts.notification_read")), 1)

    def test_mark_read_with_htmx_returns_the_updated_list(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(
            f"/account/notifications/{self.mine.pk}/read/", HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="notifications"')
        self.assertContains(response, "Je hebt geen nieuwe meldingen.")
        self.assertNotContains(response, "<html")

    def test_mark_read_needs_a_post(self) -> None:
        login(self.client, self.professional)
        response = self.client.get(f"/account/notifications/{self.mine.pk}/read/")
        self.assertEqual(response.status_code, 405)

    def test_an_outsider_cannot_mark_someone_elses_notification(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(f"/account/notifications/{self.theirs.pk}/read/")
        self.assertEqual(response.status_code, 404)
        self.theirs.refresh_from_db()
        self.assertIsNone(self.theirs.read_at)
        self.assertEqual(events("accounts.notification_read"), [])


class NavigationTests(RitsTestCase):
    def nav(self) -> list[str]:
        response = self.client.get("/wie-bel-ik-nu/")
        return [url for _label, url in response.context["nav_items"]]

    def test_anonymous_visitors_see_only_public_items(self) -> None:
        self.assertEqual(self.nav(), ["/wie-bel-ik-nu/"])

    def test_a_professional_sees_their_tools(self) -> None:
        login(self.client, self.professional)
        self.assertEqual(
            self.nav(),
            [
                "/",
                "/wie-bel-ik-nu/",
                "/sociale-kaart/",
                "/gezin/",
                "/kennis/",
                "/betrokkenheid/",
                "/dialoogtafels/",
                "/account/tokens/",
            ],
        )

    def test_a_privacy_officer_sees_the_audit_trail(self) -> None:
        login(self.client, self.privacy_officer)
        self.assertIn("/audit/", self.nav())

    def test_only_staff_see_the_administration(self) -> None:
        login(self.client, self.admin)
        self.assertNotIn("/beheer/", self.nav())
        self.admin.is_staff = True
        self.admin.save()
        self.assertIn("/beheer/", self.nav())

    def test_a_family_member_sees_no_professional_tools(self) -> None:
        login(self.client, self.parent)
        nav = self.nav()
        self.assertNotIn("/betrokkenheid/", nav)
        self.assertNotIn("/account/tokens/", nav)
        self.assertNotIn("/audit/", nav)
