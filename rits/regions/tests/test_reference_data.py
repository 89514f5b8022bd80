from django.test import TestCase

from rits.regions.models import Municipality, YouthCareRegion


class ReferenceDataTests(TestCase):
    def test_it_loads_all_municipalities_and_regions(self) -> None:
        self.assertEqual(Municipality.objects.count(), 342)
        self.assertEqual(YouthCareRegion.objects.count(), 42)

    def test_parkstad_municipalities_are_in_zuid_limburg(self) -> None:
        for code in ("GM0917", "GM0986", "GM0882"):
            self.assertEqual(Municipality.objects.get(code=code).region.code, "JZ41")

    def test_every_region_has_members(self) -> None:
        self.assertFalse(YouthCareRegion.objects.filter(municipalities__isnull=True).exists())
