"""Ask organisations to confirm their social-map entries (run daily from cron; safe to
run as often as you like: nothing is sent twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rits.directory.services import send_review_requests


class Command(BaseCommand):
    help = (
        "Send the twice-yearly (RITS_REVIEW_EVERY_MONTHS) request to confirm entries and "
        "the message about waiting times that are out of date. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_review_requests()
        self.stdout.write(
            f"Requests to confirm: {sent.confirm} organisations; "
            f"waiting times: {sent.wait_time}; messages: {sent.messages}."
        )
