"""Import a CBS StatLine file (downloaded by hand from StatLine), all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rits.accounts.models import User
from rits.audit import context
from rits.outcomes.services import OpenDataRejected, import_open_data
from rits.outcomes.statline import TABLES


class Command(BaseCommand):
    help = (
        "Import a StatLine table (wide OData v3 or long v4, JSON or CSV) into the monitor. "
        "Every row is checked first; a file with any error is refused whole, with a report "
        "per row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--table", default="85098NED", choices=sorted(TABLES))
        parser.add_argument(
            "--status",
            default="definitive",
            choices=["preliminary", "definitive"],
            help="For rows without a Status column.",
        )
        parser.add_argument("--user", help="E-mail address of who imports (for the trail).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if options.get("user"):
            user = User.objects.filter(email=options["user"].lower()).first()
            if user is None:
                raise CommandError("Unknown user.")
        tty = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                filled = int(30 * done / max(total, 1))
                end = "\n" if done >= total else ""
                bar = "#" * filled + "-" * (30 - filled)
                self.stdout.write(f"\r  [{bar}] {done}/{total}{end}", ending="")
                self.stdout.flush()
            elif done in (0, total) or done % 5000 == 0:
                self.stdout.write(f"  {done}/{total} rows checked")

        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            done = import_open_data(
                path.read_bytes(),
                name=path.name,
                table=options["table"],
                actor=user,
                status=options["status"],
                progress=progress,
            )
        except OpenDataRejected as exc:
            for row, message in exc.errors[:200]:
                self.stderr.write(f"row {row}: {message}" if row else message)
            raise CommandError(
                f"Refused: {len(exc.errors)} errors; nothing was imported."
            ) from None
        finally:
            context.reset(token)
        self.stdout.write(f"Imported {done.rows} figures of {done.table} from {path.name}.")
