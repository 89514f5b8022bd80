from typing import Any

from django.core.management.base import BaseCommand

from rits.dialogues.services import seed_codebook
from rits.regions.models import YouthCareRegion


class Command(BaseCommand):
    help = (
        "Give every region without one the starting codebook (the Frisian themes). "
        "Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        added = sum(seed_codebook(region) for region in YouthCareRegion.objects.all())
        self.stdout.write(f"{added} codes added.")
