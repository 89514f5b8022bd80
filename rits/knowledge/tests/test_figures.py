"""What the monitor reads from the knowledge app: counts per municipality, never rows."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rits.knowledge import figures, services
from rits.knowledge.models import ProgressUpdate, Use
from rits.knowledge.tests.base import KnowledgeTestCase


class FigureTests(KnowledgeTestCase):
    def test_network_updates_count_by_the_organisations_municipality_and_date(self) -> None:
        services.post_update(self.network, actor=self.professional, working_on="Nu.")
        old = services.post_update(self.network, actor=self.professional, working_on="Oud.")
        ProgressUpdate.objects.filter(pk=old.pk).update(
            posted_at=timezone.now() - timedelta(days=60)
        )
        today = timezone.localdate()
        week = {"start": today - timedelta(days=7), "end": today}
        self.assertEqual(figures.network_updates(municipality_ids=[self.heerlen.pk], **week), 1)
        self.assertEqual(figures.network_updates(municipality_ids=[self.landgraaf.pk], **week), 0)

    def test_practices_in_use_count_a_regions_whole_use_for_each_of_its_municipalities(
        self,
    ) -> None:
        Use.objects.create(practice=self.practice, region=self.region)
        self.assertEqual(figures.practices_in_use(municipality_ids=[self.landgraaf.pk]), 1)
        Use.objects.create(practice=self.practice, region=self.region, municipality=self.heerlen)
        self.assertEqual(
            figures.practices_in_use(municipality_ids=[self.heerlen.pk, self.landgraaf.pk]), 1
        )
