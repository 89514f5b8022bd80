"""Tie the audit trail's lanes together with one entry naming every lane's head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.audit import context
from rits.audit.services import anchor


class Command(BaseCommand):
    help = (
        "Append an anchor entry that names the newest entry of every chain lane, so that "
        "verify_audit_chain finds the end of a lane removed or rewritten. Run it every "
        "few minutes (cron or a systemd timer); it costs one indexed read per lane."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            entry = anchor()
        finally:
            context.reset(token)
        heads = entry.data["heads"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Anchored {len(heads)} lanes in entry #{entry.pk} (lane {entry.lane}) "
                f"{entry.entry_hash}."
            )
        )
