from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.knowledge.services.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send this week's learning-network digest to every member who has not turned it "
        "off (run weekly, e.g. Monday morning; a second run in the same week sends nothing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_digests()
        self.stdout.write(
            f"Week of {run.week:%Y-%m-%d}: {run.sent} digests sent, {run.skipped} skipped."
        )
