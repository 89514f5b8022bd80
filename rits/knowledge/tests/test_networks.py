"""A network meeting from invitation to final minutes; progress updates; who sees a network."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from rits.accounts.models import Notification
from rits.knowledge import services
from rits.knowledge.models import FinalMinutesError, Meeting, Minutes, Network, ProgressUpdate
from rits.knowledge.tests.base import KnowledgeTestCase
from rits.testing import login


class MeetingTests(KnowledgeTestCase):
    def test_a_meeting_goes_from_invitation_to_final_minutes(self) -> None:
        login(self.client, self.facilitator)
        starts = timezone.localtime(timezone.now() + timedelta(days=7)).replace(
            second=0, microsecond=0
        )
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                f"/kennis/netwerken/{self.network.pk}/bijeenkomst/",
                {
                    "title": "Samen werken rond school",
                    "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                    "minutes_long": 90,
                    "location": "Stadhuis Heerlen",
                    "agenda": "Welkom\nWat gaat goed?\nAfspraken",
                },
            )
        meeting = Meeting.objects.get()
        self.assertRedirects(r, f"/kennis/bijeenkomsten/{meeting.pk}/")
        self.assertEqual(
            [a.title for a in meeting.agenda.all()], ["Welkom", "Wat gaat goed?", "Afspraken"]
        )
        invited = set(
            Notification.objects.filter(kind="knowledge.meeting").values_list("user", flat=True)
        )
        self.assertEqual(invited, {self.professional.pk, self.parent.pk})
        self.assertEqual(len(mail.outbox), 2)

        login(self.client, self.professional)
        ics = self.client.get(f"/kennis/bijeenkomsten/{meeting.pk}/agenda.ics")
        self.assertEqual(ics["Content-Type"], "text/calendar; charset=utf-8")
        event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
        self.assertEqual(event.decoded("dtstart"), starts)
        self.assertIn("Wat gaat goed?", str(event.get("description")))
        self.client.post(f"/kennis/bijeenkomsten/{meeting.pk}/aanmelden/")
        self.assert_audited("knowledge.meeting_registered", actor=self.professional, obj=meeting)

        login(self.client, self.facilitator)
        pro, par = self.member(self.professional), self.member(self.parent)
        r = self.client.post(
            f"/kennis/bijeenkomsten/{meeting.pk}/afsluiten/",
            {
                "report": "Goed gesprek over school.",
                "attended": [str(pro.pk), str(par.pk)],
                "action": "Contactpersonen per school op een rij",
                "owner": str(pro.pk),
                "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
                "practices": [str(self.practice.pk)],
            },
        )
        self.assertRedirects(r, f"/kennis/bijeenkomsten/{meeting.pk}/")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.CLOSED)
        self.assertEqual(meeting.registrations.filter(attended=True).count(), 2)
        self.assertEqual(meeting.actions.get().owner, pro)
        self.assertEqual(list(meeting.practices.all()), [self.practice])

        self.client.post(f"/kennis/bijeenkomsten/{meeting.pk}/verslag/", {"text": "Concept."})
        minutes = Minutes.objects.get(meeting=meeting)
        self.assertEqual(minutes.status, Minutes.Status.DRAFT)
        login(self.client, self.parent)
        self.client.post(
            f"/kennis/bijeenkomsten/{meeting.pk}/verslag/aanvullen/", {"text": "Ook de JGZ vragen."}
        )
        minutes.refresh_from_db()
        self.assertEqual(minutes.status, Minutes.Status.AMENDED)
        # A member may not make the minutes final.
        r = self.client.post(f"/kennis/bijeenkomsten/{meeting.pk}/verslag/definitief/")
        self.assertEqual(r.status_code, 403)
        login(self.client, self.facilitator)
        self.client.post(f"/kennis/bijeenkomsten/{meeting.pk}/verslag/definitief/")
        minutes.refresh_from_db()
        self.assertEqual(minutes.status, Minutes.Status.FINAL)
        self.assert_audited("knowledge.minutes_finalised", actor=self.facilitator, obj=minutes)

        # Final: no change, only a correction after it.
        r = self.client.post(
            f"/kennis/bijeenkomsten/{meeting.pk}/verslag/", {"text": "Anders."}, follow=True
        )
        self.assertContains(r, "Een definitief verslag kan niet meer veranderen")
        minutes.refresh_from_db()
        self.assertEqual(minutes.text, "Concept.")
        self.assert_audited(
            "knowledge.minutes_change_refused", actor=self.facilitator, outcome="denied"
        )
        with self.assertRaises(FinalMinutesError):
            minutes.text = "Stiekem"
            minutes.save()
        login(self.client, self.professional)
        self.client.post(
            f"/kennis/bijeenkomsten/{meeting.pk}/verslag/correctie/", {"text": "Het was dinsdag."}
        )
        self.assertEqual(minutes.amendments.filter(kind="correction").count(), 1)
        page = self.client.get(f"/kennis/bijeenkomsten/{meeting.pk}/").content.decode()
        self.assertIn("Het was dinsdag.", page)
        self.assertIn("Concept.", page)

    def test_a_meeting_in_the_past_or_too_long_is_refused(self) -> None:
        for starts, length in (
            (timezone.now() - timedelta(hours=1), 60),
            (timezone.now() + timedelta(days=1), 600),
        ):
            with self.subTest(length=length), self.assertRaises(ValidationError):
                services.plan_meeting(
                    self.network,
                    actor=self.facilitator,
                    title="X",
                    starts_at=starts,
                    minutes_long=length,
                )
        self.assertFalse(Meeting.objects.exists())

    def test_an_action_owner_must_be_a_member(self) -> None:
        meeting = Meeting.objects.create(
            network=self.network, title="Eerder", starts_at=timezone.now()
        )
        other = services.create_network(
            actor=self.facilitator, name="Ander netwerk", theme="learning", region=self.region
        )
        stranger = other.members.get()
        with self.assertRaises(ValidationError):
            services.close_meeting(
                meeting,
                actor=self.facilitator,
                report="",
                attended=[],
                actions=[services.ActionData("Iets", stranger.pk, timezone.localdate())],
            )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.PLANNED)


class UpdateTests(KnowledgeTestCase):
    def test_a_member_posts_for_its_own_organisation_and_the_feed_shows_it(self) -> None:
        login(self.client, self.professional)
        r = self.client.post(
            f"/kennis/netwerken/{self.network.pk}/voortgang/",
            {"working_on": "Een spreekuur op school.", "went_well": "Ouders komen.", "changed": ""},
        )
        self.assertRedirects(r, f"/kennis/netwerken/{self.network.pk}/")
        update = ProgressUpdate.objects.get()
        self.assertEqual(update.organisation, self.org_a)
        page = self.client.get(f"/kennis/netwerken/{self.network.pk}/").content.decode()
        self.assertIn("Een spreekuur op school.", page)
        self.assert_audited("knowledge.update_posted", actor=self.professional, obj=update)

    def test_a_parent_member_without_organisation_cannot_post_for_one(self) -> None:
        with self.assertRaises(ValidationError):
            services.post_update(self.network, actor=self.parent, working_on="Iets")
        with self.assertRaises(ValidationError):
            services.post_update(
                self.network, actor=self.parent, working_on="Iets", organisation=self.org_b
            )
        self.assertFalse(ProgressUpdate.objects.exists())

    def test_an_unknown_organisation_is_refused_when_a_network_starts(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.create_network(
                actor=self.facilitator,
                name="Nieuw",
                theme="normalising",
                region=self.region,
                organisation_ids=[987654],
            )
        self.assertIn("organisations", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.create_network(
                actor=self.facilitator, name="Nieuw", theme="x", region=self.region
            )
        self.assertFalse(Network.objects.filter(name="Nieuw").exists())


class NetworkAccessTests(KnowledgeTestCase):
    def test_a_private_network_is_its_members_and_facilitators_only(self) -> None:
        url = f"/kennis/netwerken/{self.network.pk}/"
        for user, status in (
            (self.professional, 200),
            (self.parent, 200),
            (self.facilitator, 200),
            (self.admin, 200),
            (self.outsider, 404),
            (self.youth, 404),
            (self.municipality_officer, 404),
            (self.researcher, 404),
        ):
            with self.subTest(user=user.email):
                login(self.client, user)
                self.assertEqual(self.client.get(url).status_code, status)
        login(self.client, self.outsider)
        self.assertEqual(self.client.post(f"{url}voortgang/", {"working_on": "x"}).status_code, 404)
        self.assertFalse(ProgressUpdate.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_public_network_is_read_by_everyone_signed_in_but_not_written(self) -> None:
        Network.objects.filter(pk=self.network.pk).update(is_public=True)
        login(self.client, self.outsider)
        url = f"/kennis/netwerken/{self.network.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(f"{url}voortgang/", {"working_on": "x"}).status_code, 403)

    def test_a_meeting_of_a_private_network_is_hidden_from_outsiders(self) -> None:
        meeting = Meeting.objects.create(
            network=self.network, title="Besloten", starts_at=timezone.now() + timedelta(days=2)
        )
        login(self.client, self.outsider)
        for suffix in ("", "agenda.ics"):
            self.assertEqual(
                self.client.get(f"/kennis/bijeenkomsten/{meeting.pk}/{suffix}").status_code, 404
            )
        self.assertEqual(
            self.client.post(f"/kennis/bijeenkomsten/{meeting.pk}/aanmelden/").status_code, 404
        )


class NetworkPagesTests(KnowledgeTestCase):
    def test_a_facilitator_starts_a_network_and_adds_members_on_the_pages(self) -> None:
        login(self.client, self.facilitator)
        r = self.client.post(
            "/kennis/netwerken/nieuw/",
            {
                "name": "Normaliseren Parkstad",
                "theme": "normalising",
                "organisations": [self.org_b.pk],
            },
        )
        network = Network.objects.get(name="Normaliseren Parkstad")
        self.assertRedirects(r, f"/kennis/netwerken/{network.pk}/")
        url = f"/kennis/netwerken/{network.pk}/leden/"
        r = self.client.post(
            url,
            {"email": self.outsider.email, "role": "professional", "organisation": self.org_b.pk},
        )
        self.assertRedirects(r, f"/kennis/netwerken/{network.pk}/")
        r = self.client.post(url, {"email": "niemand@test.rits.nl", "role": "parent"})
        self.assertContains(r, "Niemand met dit e-mailadres")
        r = self.client.post(url, {"email": self.youth.email, "role": "youth"})
        self.assertEqual(network.members.count(), 3)
        login(self.client, self.outsider)  # now a member, but no facilitator
        self.assertEqual(
            self.client.post(url, {"email": self.jim.email, "role": "expert"}).status_code, 403
        )
        login(self.client, self.professional)  # not a member of the private network
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get("/kennis/netwerken/nieuw/").status_code, 404)

    def test_an_editor_adds_a_term_on_the_page(self) -> None:
        login(self.client, self.facilitator)
        r = self.client.post(
            "/kennis/begrippen/nieuw/", {"term": "Knip", "meaning": "Waar hulp stopt."}
        )
        self.assertEqual(r.status_code, 302)
        r = self.client.post("/kennis/begrippen/nieuw/", {"term": "knip", "meaning": "Dubbel."})
        self.assertContains(r, "Dit begrip staat al in de woordenlijst.")
        login(self.client, self.parent)
        self.assertEqual(self.client.get("/kennis/begrippen/nieuw/").status_code, 404)
