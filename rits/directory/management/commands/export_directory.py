"""Write the whole social map as one HSDS 3.0 JSON document (stdout or a file)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rits.directory import exchange


class Command(BaseCommand):
    help = "Export the social map as HSDS 3.0 JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def progress(self, label: str, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        end = "\n" if done >= total else ""
        sys.stderr.write(
            f"\r  {label:<10} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}{end}"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = exchange.export_map(progress=self.progress)
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            sys.stderr.write(
                f"{len(document['services'])} services, "
                f"{len(document['organizations'])} organizations written.\n"
            )
        else:
            self.stdout.write(text)
