from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.knowledge import seeds


class Command(BaseCommand):
    help = (
        "Add the seed practices (JIM, wijkacademie, dialoogtafel) and glossary terms (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        practices = seeds.load()
        self.stdout.write(f"{len(practices)} seed practices in the knowledge hub.")
