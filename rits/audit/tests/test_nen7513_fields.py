"""NEN 7513: every audit entry about a person names event, time, user (or the system),
on whose behalf, organisation and role, subject, object, access point, purpose and
outcome. This walks every registered event code: each event about a person is
triggered here and its entries checked; every other code is listed with the reason
it concerns no one person."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from rits.accounts.models import User
from rits.accounts.services import create_token
from rits.audit import registry
from rits.audit.models import Entry
from rits.family_plans import services as plans
from rits.family_plans.models import CareTeamMember, EmergencyAccess, Person, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.family_plans.tests.test_invitation import code_in, token_in
from rits.involvement import services as index
from rits.involvement.models import Match, Signal
from rits.involvement.tests.base import IndexTestCase
from rits.knowledge import services as knowledge
from rits.knowledge.models import Member, NetworkTheme
from rits.knowledge.services import digest, transfer
from rits.knowledge.tests.base import practice_data
from rits.testing import login

# Codes that concern no one person (accounts, the social map, the trail itself), or
# that must not name one: a refusal of a plan number would otherwise tell who it
# belongs to, and a batch or list names the people in its data, one id each.
NOT_ABOUT_ONE_PERSON = {
    "family_plans.access_denied": "refusal of a plan number: no subject, so no oracle",
    "family_plans.emergency_access_refused": "refusal of a plan number: no subject",
    "involvement.signals_listed": "a list: the signal ids are in the data",
    "involvement.matches_listed": "a list: the match ids are in the data",
    "involvement.match_found": "a whole import file's matches: ids in the data",
    "involvement.import_completed": "a whole file",
    "involvement.import_rejected": "a whole file, refused",
    "involvement.archive_purged": "a purge of many ended signals: counts in the data",
    "involvement.register_denied": "someone without the right to register: no BSN used",
    "involvement.rights_denied": "someone without the right to look up: no BSN used",
    # Never written: a registration's entry names the matches it joined (in its data).
    # Registered still, so that older entries keep their label.
    "involvement.match_joined": "not written any more; see signal_registered",
    "dialogues.segments_viewed": "pseudonymised segments of many tables: code guids in the data",
    "dialogues.synthesis_viewed": "figures of a region, from five tables or more",
    "dialogues.material_exported": "a region's pseudonymised material or counts",
    "dialogues.code_created": "the region's codebook",
    "dialogues.code_changed": "the region's codebook",
    "dialogues.code_merged": "the region's codebook",
    "dialogues.code_retired": "the region's codebook",
    "dialogues.codebook_exported": "the region's codebook",
    "dialogues.codebook_imported": "the region's codebook",
    "dialogues.codebook_import_rejected": "a codebook file, refused",
    # The monitor holds figures, never a person: its reads name areas and a period.
    "outcomes.monitor_viewed": "figures of an area: no person (see the monitor test below)",
    "outcomes.figures_read": "figures of an area through the API: no person",
    "outcomes.figures_exported": "figures of an area as a file: no person",
    "outcomes.figures_refreshed": "the daily computation of all figures: no person",
    "outcomes.open_data_imported": "a whole file of CBS figures about municipalities",
    "outcomes.open_data_rejected": "a whole file of CBS figures, refused",
}
OUTCOME_EVENTS = [code for code in NOT_ABOUT_ONE_PERSON if code.startswith("outcomes.")]


def about_people(code: str) -> bool:
    app = code.split(".", 1)[0]
    if code.startswith("outcomes.story_"):  # a family's story: its youth is the subject
        return True
    return app in ("family_plans", "involvement", "dialogues") and code not in NOT_ABOUT_ONE_PERSON


class Nen7513FieldsTests(FamilyPlanTestCase, IndexTestCase):
    def trigger_family_plan_events(self) -> None:
        c = self.coordinator
        login(self.client, c)
        p = self.plan.pk
        for url in ("/gezin/", f"/gezin/{p}/", f"/gezin/{p}/afdrukken/", f"/gezin/{p}/fhir.json"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertEqual(self.client.get(f"/gezin/{p}/geschiedenis/").status_code, 200)
        login(self.client, self.parent)
        for url in (f"/gezin/{p}/inzage/", f"/gezin/{p}/mijn-gegevens.json"):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        plan = self.with_access(c)
        neighbour = plans.add_person(plan, actor=c, role="neighbour", name="Buurvrouw Bep")
        plan = self.with_access(c)
        plans.update_person(neighbour, actor=c, plan=plan, version=1, name="Bep Buur")
        line = plans.add_relationship(
            plan, actor=c, from_person=neighbour, to_person=self.parent_person, kind="supports"
        )
        plans.set_relationship(line, actor=c, plan=plan, kind="supports", strength=3)
        plans.remove_relationship(line, actor=c, plan=plan)
        plans.remove_person(Person.objects.get(pk=neighbour.pk), actor=c, plan=plan)
        grandmother = plans.add_person(plan, actor=c, role="grandparent", name="Oma Truus")
        with self.captureOnCommitCallbacks(execute=True):
            plans.invite_person(grandmother, plan, actor=c, email="oma@test.rits.nl")
        token = token_in()
        with self.captureOnCommitCallbacks(execute=True):
            plans.send_invitation_code(token, email="oma@test.rits.nl")
        code = code_in()
        plans.accept_invitation(token, code=code, password="Een lang wachtwoord 2026!")
        with self.assertRaises(plans.PlanError):  # the link was used: invitation_refused
            plans.accept_invitation(token, code=code, password="Een lang wachtwoord 2026!")
        member = plans.propose_member(plan, actor=c, user=self.outsider)
        youth_plan = self.with_access(self.youth)
        plans.give_consent(member, actor=self.parent)
        plans.give_consent(member, actor=self.youth)
        with self.assertRaises(plans.PlanError):  # not the right person: consent_refused
            plans.give_consent(member, actor=self.jim)
        consent = member.consents.first()
        assert consent is not None
        plans.withdraw_consent(consent, actor=self.parent)
        plans.leave_team(
            CareTeamMember.objects.get(pk=self.professional_member.pk), actor=self.professional
        )
        plans.invite_jim(
            youth_plan,
            actor=self.youth,
            name="Coach Kees",
            date_of_birth=born_years_ago(40),
            email="kees@test.rits.nl",
        )
        plan = self.with_access(c)
        plans.set_coordinator(plan, actor=c, user=c)
        goal = plans.add_goal(plan, actor=c, domain="health", title="Beter slapen")
        plans.update_goal(goal, actor=c, plan=plan, version=1, title="Elke nacht slapen")
        plans.score_goal(goal, actor=c, plan=plan, score=6)
        action = plans.add_action(plan, actor=c, what="Slaapdagboek", who="Jesse")
        plans.update_action(action, actor=c, plan=plan, version=1, who="Jesse en Petra")
        decision = plans.propose_decision(plan, actor=c, title="Vaste bedtijd", ask=[self.parent])
        plans.update_decision(decision, actor=c, plan=plan, version=1, text="Om tien uur")
        parent_plan = self.with_access(self.parent)
        plans.answer_decision(decision, actor=self.parent, plan=parent_plan, answer="agree")
        with self.assertRaises(plans.PlanError):  # not on the team: decision_answer_refused
            plans.answer_decision(decision, actor=self.outsider, plan=plan, answer="agree")
        plans.plan_evaluation(plan, actor=c, starts_at=timezone.now() + timedelta(days=2))
        self.assertEqual(self.client.get(f"/gezin/{p}/").status_code, 200)
        evaluation = plan.evaluations.get()
        login(self.client, c)
        self.client.get(f"/gezin/{p}/evaluaties/{evaluation.pk}.ics")
        plans.add_comment(plan, actor=c, text="Goed gesprek gehad")
        Person.objects.filter(pk=self.youth_person.pk).update(date_of_birth=born_years_ago(17))
        plan = self.with_access(c)
        plans.update_transition(plan, actor=c, topic="insurance", status="todo", note="", version=0)
        plans.send_reminders()
        grant = plans.break_glass(
            p,
            actor=self.outsider,
            reason="Jesse is vermist sinds gisteravond, politie belt",
            reason_class=EmergencyAccess.ReasonClass.MISSING,
        )
        plans.end_emergency_access(grant, actor=self.outsider)
        plans.close_plan(
            self.with_access(c),
            actor=c,
            reason="Doelen bereikt",
            outcomes={goal.pk: ("reached", "Slaapt goed")},
        )
        start = plans.start_plan(
            actor=c,
            family_name="Gezin Nieuw",
            youth_name="Noa",
            youth_birth=born_years_ago(10),
            parent_names=["Ouder Nieuw"],
            consent_in_person=True,
        )
        self.assertTrue(Plan.objects.filter(pk=start.pk).exists())

    def trigger_index_events(self) -> None:
        youth, parent = self.bsn(), self.bsn()
        mine = self.register(self.professional, youth, parent_bsns=[parent]).signal
        theirs = self.register(self.outsider, youth).signal
        sibling = self.register(self.coordinator, self.bsn(), parent_bsns=[parent]).signal
        match = Match.objects.filter(members__signal=mine, kind=Match.Kind.CLIENT).get()
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/betrokkenheid/signalen/{mine.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/betrokkenheid/matches/{match.pk}/").status_code, 200)
        self.client.get("/betrokkenheid/")
        self.client.get("/betrokkenheid/matches/")
        index.agree_coordinator(match, mine, actor=self.professional)
        index.confirm_in_touch(match, actor=self.professional)
        index.start_plan_from_match(
            match,
            actor=self.professional,
            family_name="Familie Match",
            youth_name="Jongere Match",
            youth_birth=born_years_ago(13),
            parent_names=["Ouder Match", ""],
            consent_in_person=True,
        )
        index.escalate_unresolved(now=timezone.now() + timedelta(days=365))
        index.withdraw_signal(Signal.objects.get(pk=sibling.pk), actor=self.coordinator)
        index.rights_overview(youth, actor=self.heerlen_coordinator)
        entries = index.rights_overview(youth, actor=self.heerlen_coordinator)
        index.audit_rights_export(
            index.pseudonym_for_rights(youth), entries, actor=self.heerlen_coordinator
        )
        index.correct_signal(
            Signal.objects.get(pk=theirs.pk),
            actor=self.heerlen_coordinator,
            birth_date=self.born(11),
            note="typfout",
        )
        index.uphold_objection(
            Signal.objects.get(pk=theirs.pk), actor=self.heerlen_coordinator, note="bezwaar"
        )
        Signal.objects.filter(pk=mine.pk).update(ends_on=timezone.localdate() - timedelta(days=1))
        index.run_daily(now=timezone.now())
        index.import_signals(
            [self.data(self.bsn())],
            actor=self.professional,
        )

    def trigger_dialogue_events(self) -> None:
        from rits.dialogues.tests.base import trigger_dialogue_events

        trigger_dialogue_events(self)

    def trigger_knowledge_events(self) -> None:
        """Every knowledge event: none is about a person (the app holds none)."""
        f, pro = self.facilitator, self.professional
        practice = knowledge.save_practice(practice_data(), actor=f)
        knowledge.save_practice(practice_data(name="Anders"), actor=f, practice=practice)
        knowledge.add_report(practice, actor=pro, region=self.region, result="Het werkte.")
        knowledge.check_fit(
            practice,
            actor=pro,
            met=[c.pk for c in practice.conditions.all()],
            municipality=self.heerlen,
        )
        knowledge.save_term(actor=f, term="Regie", meaning="Wie het overzicht houdt.")
        rows = transfer.export_rows(actor=f, fmt="json")
        transfer.import_rows(rows, actor=f)
        transfer.import_rows([{"name": "Half"}], actor=f)
        network = knowledge.create_network(
            actor=f,
            name="Netwerk",
            theme=NetworkTheme.LEARNING,
            region=self.region,
            organisation_ids=[self.org_a.pk],
        )
        member = knowledge.add_member(
            network, actor=f, user=pro, role=Member.Role.PROFESSIONAL, organisation=self.org_a
        )
        meeting = knowledge.plan_meeting(
            network, actor=f, title="Bijeenkomst", starts_at=timezone.now() + timedelta(days=1)
        )
        knowledge.register(meeting, actor=pro)
        knowledge.close_meeting(meeting, actor=f, report="Goed.", attended=[member.pk])
        minutes = knowledge.save_minutes(meeting, actor=f, text="Verslag.")
        knowledge.amend_minutes(minutes, actor=pro, text="Aanvulling.")
        knowledge.finalise_minutes(minutes, actor=f)
        with self.assertRaises(knowledge.networks.FinalMinutesError):
            knowledge.save_minutes(meeting, actor=f, text="Anders.")
        knowledge.correct_minutes(minutes, actor=pro, text="Correctie.")
        knowledge.post_update(network, actor=pro, working_on="Iets nieuws.")
        knowledge.set_digest(member, actor=pro, on=True)
        digest.send_digests(now=timezone.now() + timedelta(days=7))

    def test_every_knowledge_entry_names_who_what_when_and_where(self) -> None:
        """The knowledge app holds no person: its entries have no subject and no
        purpose of care, but every other NEN 7513 field."""
        self.trigger_knowledge_events()
        codes = [c for c in registry.all_events() if c.startswith("knowledge.")]
        self.assertGreater(len(codes), 20)
        for code in codes:
            with self.subTest(event=code):
                entries = list(Entry.objects.filter(event=code))
                self.assertTrue(entries, f"{code} was not triggered")
                for e in entries:
                    self.assertEqual(e.subject, "", f"{code} #{e.pk}")
                    missing = [
                        name
                        for name, value in (
                            ("time", e.occurred_at),
                            ("outcome", e.outcome),
                            ("user", e.actor_label if e.actor_id else e.role == "system"),
                            ("on behalf of", e.on_behalf_of),
                            ("role", e.role),
                            (
                                "object",
                                e.object_type
                                or e.event.endswith(("exported", "imported", "import_rejected")),
                            ),
                            ("access point", e.channel),
                        )
                        if not value
                    ]
                    self.assertEqual(missing, [], f"{code} #{e.pk}")

    def trigger_story_events(self) -> None:
        login(self.client, self.coordinator)
        url = f"/monitor/verhalen/nieuw/{self.plan.pk}/"
        self.client.post(url, {"title": "Wat werkte", "text": "Vaste steun."})
        story = Entry.objects.filter(event="outcomes.story_written").get().object_id
        login(self.client, self.municipality_officer)
        review = {"title": "Wat werkte", "text": "Vaste steun."}
        self.assertEqual(
            self.client.post(f"/monitor/verhalen/{story}/beoordelen/", review).status_code, 302
        )
        login(self.client, self.parent)
        for action in ("give", "withdraw"):
            response = self.client.post(
                f"/monitor/verhalen/{story}/toestemming/", {"action": action}
            )
            self.assertEqual(response.status_code, 302)

    def test_every_entry_about_a_person_carries_every_nen_7513_field(self) -> None:
        self.trigger_story_events()
        self.trigger_family_plan_events()
        self.trigger_index_events()
        self.trigger_dialogue_events()
        codes = [code for code in registry.all_events() if about_people(code)]
        self.assertGreater(len(codes), 50)
        professionals = set(
            User.objects.filter(kind=User.Kind.PROFESSIONAL).values_list("pk", flat=True)
        )
        for code in codes:
            with self.subTest(event=code):
                entries = list(Entry.objects.filter(event=code))
                self.assertTrue(entries, f"{code} was not triggered")
                for e in entries:
                    missing = [
                        name
                        for name, value in (
                            ("time", e.occurred_at),
                            ("outcome", e.outcome),
                            (
                                "user",
                                e.actor_label if e.actor_id else e.role in ("system", "anonymous"),
                            ),
                            ("on behalf of", e.on_behalf_of),
                            ("role", e.role),
                            (
                                "organisation",
                                e.organisation if e.actor_id in professionals else "-",
                            ),
                            ("subject", e.subject),
                            ("object", e.object_type),
                            ("access point", e.channel),
                            ("purpose", e.purpose),
                        )
                        if not value
                    ]
                    self.assertEqual(missing, [], f"{code} #{e.pk}")

    def test_every_read_of_the_monitor_carries_the_nen_7513_fields_but_a_subject(self) -> None:
        call_command("outcomes_daily", stdout=io.StringIO())
        statline = Path(__file__).resolve().parents[2] / "outcomes" / "data" / "statline"
        call_command("import_statline", str(statline / "85098NED-long.csv"), stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command(
                "import_statline",
                str(statline / "README.md"),
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        login(self.client, self.municipality_officer)
        self.assertEqual(self.client.get("/monitor/GM0917/").status_code, 200)
        self.assertEqual(self.client.get("/monitor/GM0917/export.xlsx").status_code, 200)
        _token, raw = create_token(self.municipality_officer, "nen")
        response = self.client.get(
            "/api/v1/outcomes/areas/GM0917/figures", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
        self.assertEqual(response.status_code, 200)
        for code in OUTCOME_EVENTS:
            with self.subTest(event=code):
                entries = list(Entry.objects.filter(event=code))
                self.assertTrue(entries, f"{code} was not triggered")
                for e in entries:
                    self.assertEqual(e.purpose, "policy")
                    self.assertEqual(e.subject, "")
                    self.assertTrue(e.occurred_at and e.outcome and e.role and e.object_type)
                    self.assertTrue(e.on_behalf_of and e.channel, code)
                    if e.actor_id:
                        self.assertTrue(e.actor_label and e.organisation)

    def test_every_other_code_is_listed_with_a_reason(self) -> None:
        for code in NOT_ABOUT_ONE_PERSON:
            registry.check(code)
        others = [c for c in registry.all_events() if not about_people(c)]
        self.assertTrue(
            all(
                # knowledge: practices, networks and minutes, never a person (walked above)
                c.split(".")[0] in ("accounts", "audit", "directory", "knowledge")
                or c in NOT_ABOUT_ONE_PERSON
                for c in others
            )
        )
