"""A practice from creation to a region's experience report and a fit check, and the
rules on its evidence, references and readers."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from rits.knowledge import services
from rits.knowledge.models import Evidence, FitAnswer, FitCheck, Practice, PracticeCode, Use
from rits.knowledge.seams import CodeRef, code_source, register_code_source
from rits.knowledge.tests.base import KnowledgeTestCase, practice_data
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import login


class PracticeLifeTests(KnowledgeTestCase):
    def test_a_practice_goes_from_creation_to_a_report_and_a_fit_check(self) -> None:
        login(self.client, self.facilitator)
        r = self.client.post(
            "/kennis/praktijken/nieuw/",
            {
                "name": "Buurtgezinnen",
                "summary": "Een gezin uit de buurt steunt een gezin dat het zwaar heeft.",
                "problem": "Ouders die er alleen voor staan.",
                "evidence": "local",
                "themes": ["opvoeden"],
                "conditions": "Er zijn steungezinnen.\nEen coördinator koppelt de gezinnen.",
                "core_elements": "Vrijwillig en naast elkaar.",
            },
        )
        practice = Practice.objects.get(name="Buurtgezinnen")
        self.assertRedirects(r, f"/kennis/praktijken/{practice.pk}/")
        self.assert_audited("knowledge.practice_created", actor=self.facilitator, obj=practice)
        self.assertEqual(practice.conditions.count(), 2)

        login(self.client, self.coordinator)
        r = self.client.post(
            f"/kennis/praktijken/{practice.pk}/ervaring/",
            {
                "region": self.region.pk,
                "municipality": self.heerlen.pk,
                "written_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
                "adapted": "We koppelen binnen een week.",
                "result": "Vier gezinnen hebben een steungezin.",
            },
        )
        self.assertRedirects(r, f"/kennis/praktijken/{practice.pk}/")
        use = Use.objects.get(practice=practice)
        self.assertEqual((use.region, use.municipality), (self.region, self.heerlen))
        self.assert_audited("knowledge.report_added", actor=self.coordinator)
        page = self.client.get(f"/kennis/praktijken/{practice.pk}/").content.decode()
        self.assertIn("Vier gezinnen hebben een steungezin.", page)

        # Another region runs it and answered the same conditions before.
        friesland = YouthCareRegion.objects.get(code="JZ02")
        Use.objects.create(practice=practice, region=friesland)
        theirs = FitCheck.objects.create(practice=practice, region=friesland)
        first, second = practice.conditions.all()
        FitAnswer.objects.create(check_run=theirs, condition=first, met=True)
        FitAnswer.objects.create(check_run=theirs, condition=second, met=False)
        landgraaf = Municipality.objects.get(code="GM0882")
        r = self.client.post(
            f"/kennis/praktijken/{practice.pk}/past-het-hier/",
            {"municipality": landgraaf.pk, "met": [str(first.pk)]},
        )
        self.assertEqual(r.status_code, 200)
        page = r.content.decode()
        self.assertIn("1 voorwaarde is hier nog niet geregeld.", page)
        self.assertIn(friesland.name, page)
        self.assertIn("2 van 2", page)
        self.assert_audited("knowledge.fit_checked", actor=self.coordinator, met=1, conditions=2)

    def test_the_fit_check_compares_answer_by_answer(self) -> None:
        friesland = YouthCareRegion.objects.get(code="JZ02")
        utrecht = YouthCareRegion.objects.get(code="JZ22")
        first, second = self.practice.conditions.all()
        for region, answers in ((friesland, (True, True)), (utrecht, (False, False))):
            Use.objects.create(practice=self.practice, region=region)
            check = FitCheck.objects.create(practice=self.practice, region=region)
            for condition, met in zip((first, second), answers, strict=True):
                FitAnswer.objects.create(check_run=check, condition=condition, met=met)
        result = services.check_fit(
            self.practice,
            actor=self.coordinator,
            met=[first.pk, second.pk],
            municipality=self.heerlen,
        )
        self.assertTrue(result.fits)
        self.assertEqual(
            [(r.region.code, r.same, r.compared) for r in result.resembling],
            [("JZ02", 2, 2), ("JZ22", 0, 2)],
        )

    def test_a_family_account_cannot_answer_a_fit_check(self) -> None:
        with self.assertRaises(ValidationError):
            services.check_fit(self.practice, actor=self.parent, met=[], municipality=self.heerlen)
        self.assertFalse(FitCheck.objects.exists())


class EvidenceTests(KnowledgeTestCase):
    def test_an_assessment_needs_its_source_and_date(self) -> None:
        for field in ("evidence_source", "evidence_valid_until"):
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                services.save_practice(
                    practice_data(
                        name="Zonder bron", **{field: "" if field == "evidence_source" else None}
                    ),
                    actor=self.facilitator,
                )
            self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Practice.objects.filter(name="Zonder bron").exists())

    def test_an_expired_assessment_is_shown_as_expired_not_hidden(self) -> None:
        Practice.objects.filter(pk=self.practice.pk).update(
            evidence_valid_until=timezone.localdate() - timedelta(days=1)
        )
        login(self.client, self.professional)
        page = self.client.get(f"/kennis/praktijken/{self.practice.pk}/").content.decode()
        self.assertIn("Verlopen", page)
        self.assertIn("Huiswerkmaatje", self.client.get("/kennis/?q=huiswerk").content.decode())

    def test_unknown_themes_and_organisations_are_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            services.save_practice(
                practice_data(name="X", themes=["bestaat-niet"], owner_id=987654),
                actor=self.facilitator,
            )
        self.assertEqual(set(caught.exception.message_dict), {"themes", "owner_id"})
        self.assertIn("bestaat-niet", caught.exception.message_dict["themes"][0])
        self.assertFalse(Practice.objects.filter(name="X").exists())

    def test_only_editors_change_the_hub(self) -> None:
        for user in (self.professional, self.parent, self.municipality_officer):
            with self.subTest(user=user.email), self.assertRaises(ValidationError):
                services.save_practice(practice_data(name="Niet van mij"), actor=user)
        login(self.client, self.professional)
        self.assertEqual(self.client.get("/kennis/praktijken/nieuw/").status_code, 404)


class ReadersTests(KnowledgeTestCase):
    def test_every_signed_in_user_reads_practices_and_anonymous_only_public_ones(self) -> None:
        url = f"/kennis/praktijken/{self.practice.pk}/"
        for user in (self.outsider, self.parent, self.youth, self.jim, self.researcher):
            with self.subTest(user=user.email):
                login(self.client, user)
                self.assertEqual(self.client.get(url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 200)
        Practice.objects.filter(pk=self.practice.pk).update(is_public=False)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get("/kennis/praktijken/987654/").status_code, 404)

    def test_a_glossary_term_on_the_page_links_to_its_meaning(self) -> None:
        term = services.save_term(
            actor=self.facilitator,
            term="Vrijwilliger",
            meaning="Iemand die helpt zonder ervoor betaald te worden.",
        )
        login(self.client, self.professional)
        page = self.client.get(f"/kennis/praktijken/{self.practice.pk}/").content.decode()
        self.assertIn(f'<a class="term" href="/kennis/begrippen/{term.pk}/"', page)
        self.assertEqual(page.count('class="term"'), 1)  # the first use only
        self.assertIn("betaald", self.client.get(f"/kennis/begrippen/{term.pk}/").content.decode())

    def test_a_hostile_term_is_escaped(self) -> None:
        services.save_term(actor=self.facilitator, term="<b>x</b>", meaning='"><script>1</script>')
        login(self.client, self.professional)
        page = self.client.get("/kennis/begrippen/").content.decode()
        self.assertNotIn("<script>1", page)


class CodeSeamTests(KnowledgeTestCase):
    def test_practices_answer_codes_through_the_seam(self) -> None:
        import uuid

        guid = uuid.uuid4()
        PracticeCode.objects.create(practice=self.practice, code_guid=guid)
        self.assertEqual(list(services.practices_for_code(guid)), [self.practice])
        login(self.client, self.professional)
        url = f"/kennis/praktijken/{self.practice.pk}/"
        previous = code_source()
        self.addCleanup(lambda: register_code_source(previous) if previous else None)
        if previous is None:
            self.assertIn(
                "het codeboek is nog niet beschikbaar", self.client.get(url).content.decode()
            )

        class Source:
            def codes(self, guids):  # type: ignore[no-untyped-def]
                return {
                    g: CodeRef(g, "Hulpverleners praten te weinig met elkaar", "bottleneck", "/c/")
                    for g in guids
                }

            def search(self, region_id, text, limit=20):  # type: ignore[no-untyped-def]
                return []

            def recurring_bottlenecks(self, region_id, since):  # type: ignore[no-untyped-def]
                return []

        register_code_source(Source())
        if previous is None:
            self.addCleanup(__import__("rits.knowledge.seams", fromlist=["_SOURCE"])._SOURCE.clear)
        self.assertIn(
            "Hulpverleners praten te weinig met elkaar", self.client.get(url).content.decode()
        )


class NoPersonFieldsTests(KnowledgeTestCase):
    def test_no_field_in_this_app_references_a_family_person_or_plan(self) -> None:
        from django.apps import apps

        forbidden = {"family_plans", "involvement", "dialogues"}
        checked = 0
        for model in apps.get_app_config("knowledge").get_models():
            for field in model._meta.get_fields():
                related = getattr(field, "related_model", None)
                checked += 1
                if related is None:
                    continue
                with self.subTest(model=model.__name__, field=field.name):
                    self.assertNotIn(related._meta.app_label, forbidden)
                    self.assertNotIn(related.__name__, {"Family", "Person", "Plan", "Signal"})
        self.assertGreater(checked, 100)

    def test_evidence_choices_follow_the_recognition_levels(self) -> None:
        self.assertEqual(Evidence.values, ["well_described", "well_founded", "effective", "local"])


class RecurringBottleneckTests(KnowledgeTestCase):
    def test_the_hub_shows_recurring_bottlenecks_with_the_practices_that_answer_them(self) -> None:
        import uuid

        from rits.knowledge import seams

        guid = uuid.uuid4()
        PracticeCode.objects.create(practice=self.practice, code_guid=guid)
        code = CodeRef(guid, "Niemand weet wat de ander doet", "bottleneck", "/dialoog/codes/1/")

        class Source:
            def codes(self, guids):  # type: ignore[no-untyped-def]
                return {}

            def search(self, region_id, text, limit=20):  # type: ignore[no-untyped-def]
                return []

            def recurring_bottlenecks(self, region_id, since):  # type: ignore[no-untyped-def]
                return [(code, 7)]

        previous = list(seams._SOURCE)
        self.addCleanup(lambda: seams._SOURCE.__setitem__(slice(None), previous))
        register_code_source(Source())
        login(self.client, self.coordinator)
        page = self.client.get("/kennis/").content.decode()
        self.assertIn("Niemand weet wat de ander doet", page)
        self.assertIn("7 tafels", page)
        self.assertIn(f'href="/kennis/praktijken/{self.practice.pk}/"', page)
