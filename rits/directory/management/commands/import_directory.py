"""Import a social map from HSDS 3.0 JSON (as written by export_directory) or a provider's
offer from CSV. All or nothing: a file with errors writes nothing and lists the errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rits.directory import exchange
from rits.directory.models import Provider


class Command(BaseCommand):
    help = "Import HSDS 3.0 JSON, or a CSV for one provider (--provider)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="An HSDS .json file or, with --provider, a .csv file.")
        parser.add_argument("--provider", help="HSDS id (uuid) of the provider a CSV belongs to.")

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        self.stdout.write(
            f"\r  {label:<10} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}", ending=end
        )
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        raw = Path(options["path"]).read_bytes()
        try:
            if options["provider"]:
                provider = Provider.objects.filter(uuid=options["provider"]).first()
                if provider is None:
                    raise CommandError("No provider with that id.")
                counts = exchange.import_csv(provider, raw, actor=None, progress=self.progress)
            else:
                try:
                    document = json.loads(raw)
                except ValueError as exc:
                    raise CommandError(f"Not JSON: {exc}") from None
                counts = exchange.import_map(document, actor=None, progress=self.progress)
        except exchange.ImportRejected as rejected:
            for where, problem in rejected.errors:
                self.stderr.write(f"{where}: {problem}")
            raise CommandError(f"Nothing imported: {len(rejected.errors)} error(s).") from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
