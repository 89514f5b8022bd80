"""The monitor's daily refresh (cron or systemd timer, once a day, after the index's)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rits.audit import context
from rits.outcomes import periods
from rits.outcomes.services import refresh_figures


class Command(BaseCommand):
    help = (
        "Compute every figure of the monitor again from the other apps' tables, apply the "
        "suppression and store the cells ('figures as of' today). Idempotent: a second run "
        "the same day stores the same cells."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="Compute as of this day (YYYY-MM-DD); today if left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = periods.today()
        if options.get("day"):
            try:
                day = date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("Write the day as YYYY-MM-DD.") from None
        tty = sys.stdout.isatty()

        def progress(done: int, total: int, code: str) -> None:
            if tty:
                filled = int(30 * done / max(total, 1))
                end = "\n" if done >= total else ""
                self.stdout.write(
                    f"\r  [{'#' * filled}{'-' * (30 - filled)}] {done}/{total} {code:<24}{end}",
                    ending="",
                )
                self.stdout.flush()
            elif done in (0, total) or done % 5 == 0:
                self.stdout.write(f"  {done}/{total} {code}")

        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            run = refresh_figures(today=day, progress=progress)
        finally:
            context.reset(token)
        self.stdout.write(f"Figures as of {run.made_on}: {run.cells} cells in {run.seconds} s")
