from typing import Any

from django.core.management.base import BaseCommand

from rits.dialogues.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind owners of improvement actions due within a week or overdue (at most once a "
        "week per action; running it again the same day sends nothing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminders sent.")
