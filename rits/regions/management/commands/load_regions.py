from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from rits.regions import reference
from rits.regions.models import Municipality, YouthCareRegion


class Command(BaseCommand):
    help = "Load or refresh the CBS municipalities and youth-care regions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            regions, municipalities = reference.load(YouthCareRegion, Municipality)
        self.stdout.write(f"{regions} youth-care regions, {municipalities} municipalities loaded.")
