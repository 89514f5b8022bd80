"""Bulk import from an organisation's case system, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rits.accounts.models import Organisation, User
from rits.audit import context
from rits.involvement.imports import FileFormatError, read_rows
from rits.involvement.services import ImportRejected, import_signals


class Command(BaseCommand):
    help = "Register all rows of a .csv or .jsonl file for a reporter: all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--reporter", required=True, help="E-mail address of the reporter.")
        parser.add_argument("--organisation", type=int, help="Organisation id (if several).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = User.objects.filter(email=options["reporter"].lower()).first()
        if user is None:
            raise CommandError("Unknown reporter.")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        with path.open("rb") as counter:
            total = max(sum(1 for _ in counter) - (1 if path.suffix == ".csv" else 0), 1)

        def progress(done: int) -> None:
            width = 30
            filled = min(width, int(width * done / total))
            end = "\n" if done >= total else ""
            self.stdout.write(
                f"\r  [{'#' * filled}{'-' * (width - filled)}] {done}/{total}{end}", ending=""
            )
            self.stdout.flush()

        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            with path.open("rb") as stream:
                result = import_signals(
                    read_rows(stream, path.name),
                    actor=user,
                    organisation=organisation,
                    progress=progress,
                )
        except (FileFormatError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        except ImportRejected as exc:
            for error in exc.errors:
                self.stderr.write(f"row {error.row}: {error.field}: {error.message}")
            raise CommandError(
                f"Nothing registered: {len(exc.errors)} errors in {exc.rows} rows."
            ) from None
        finally:
            context.reset(token)
        self.stdout.write(f"Registered {result.signals} signals; {result.matches} matches.")
