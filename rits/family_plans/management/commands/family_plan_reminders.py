"""Daily: transition reminders before the 18th birthday and evaluations due (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.audit import context
from rits.family_plans.services import send_reminders


class Command(BaseCommand):
    help = "Send the family-plan reminders that are due today (safe to run more than once)."

    def handle(self, *args: Any, **options: Any) -> None:
        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            sent = send_reminders()
        finally:
            context.reset(token)
        self.stdout.write(f"{sent} reminder(s) sent.")
