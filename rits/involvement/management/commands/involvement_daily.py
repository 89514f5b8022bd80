"""Daily housekeeping of the involvement index (cron or systemd timer, once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.audit import context
from rits.involvement.services import run_daily


class Command(BaseCommand):
    help = (
        "End expired signals and those of youths who turned 23, purge the archive after "
        "5 years, and notify municipal coordinators of matches still without agreement. "
        "Idempotent: a second run the same day does nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            report = run_daily()
        finally:
            context.reset(token)
        self.stdout.write(
            f"Ended (expired): {report.expired}\n"
            f"Ended (youth turned 23): {report.aged_out}\n"
            f"Matches closed: {report.matches_closed}\n"
            f"Purged from the archive (ended over 5 years ago): {report.purged}\n"
            f"Municipal coordinators notified of unresolved matches: {report.escalated}"
        )
