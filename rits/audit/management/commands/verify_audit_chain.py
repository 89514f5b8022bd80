"""Walk the whole audit chain and report the first entry where it breaks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from rits.audit import context, guard
from rits.audit.chain import ChainReport, verify_chain
from rits.audit.models import Entry
from rits.audit.services import record


class Command(BaseCommand):
    help = (
        "Verify the hash chain of the audit trail, streaming so that millions of entries "
        "fit in little memory. Exits with status 1 at the first broken entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Rows fetched per round trip (default 2000).",
        )
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help=(
                "A head hash reported by an earlier run and kept outside the database. "
                "It must still be in the chain; otherwise entries were removed from the "
                "end or the chain was rewritten. May be given more than once."
            ),
        )

    def handle(self, *args: Any, chunk_size: int, anchor: list[str], **options: Any) -> None:
        report = verify_chain(chunk_size=chunk_size, anchors=anchor)
        missing = guard.missing_guards(connection)
        if missing:
            self.stderr.write(
                "Warning: the append-only triggers are missing or disabled: "
                + ", ".join(missing)
                + ". Run 'manage.py migrate' to restore them."
            )
        self._record(report, missing)
        if report.broken is not None:
            raise CommandError(
                f"Audit chain BROKEN at entry {report.broken.describe()} "
                f"({report.verified} entries verified before it).",
                returncode=1,
            )
        if report.missing_anchors:
            raise CommandError(
                "Audit chain BROKEN: anchor hash not found: "
                + ", ".join(report.missing_anchors)
                + f" ({report.verified} entries verified). Entries were removed from "
                "the end or the chain was rewritten.",
                returncode=1,
            )
        head = f" Head: #{report.head_id} {report.head_hash}." if report.head_id else ""
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.verified} entries verified.{head}")
        )
        if len(report.heads) > 1:
            # Kept outside the database, these catch the removal of any lane's end.
            self.stdout.write(
                "Lane heads (pass each as --anchor next time): "
                + "; ".join(
                    f"lane {lane} #{pk} {digest}" for lane, (pk, digest) in report.heads.items()
                )
            )

    def _record(self, report: ChainReport, missing_guards: list[str]) -> None:
        """Reading the whole trail is itself an audited event."""
        broken = report.broken is not None or bool(report.missing_anchors)
        token = context.set_current(context.AccessPoint(channel="command"))
        try:
            record(
                None,
                "audit.chain_verified",
                outcome=Entry.Outcome.FAILURE if broken else Entry.Outcome.SUCCESS,
                purpose=Entry.Purpose.ACCOUNTABILITY,
                data={
                    "verified": report.verified,
                    "broken_entry": report.broken.entry_id if report.broken else None,
                    "reason": report.broken.reason if report.broken else "",
                    "missing_anchors": report.missing_anchors,
                    "heads": {str(lane): list(head) for lane, head in report.heads.items()},
                    "missing_guards": missing_guards,
                },
            )
        finally:
            context.reset(token)
