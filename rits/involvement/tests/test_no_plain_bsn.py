"""Fill the index through every entry point with known BSNs, then look for them
everywhere: every table, the logs (SQL included), e-mails, pages, API answers, exports."""

import io
import json
import logging
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from rits.accounts.models import ApiToken
from rits.involvement.models import Signal
from rits.involvement.services import run_daily
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class NoPlainBsnTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.log = io.StringIO()
        self.handler = logging.StreamHandler(self.log)
        self.handler.setLevel(logging.DEBUG)
        root = logging.getLogger()
        self.old_level = root.level
        root.addHandler(self.handler)
        root.setLevel(logging.DEBUG)
        self.sql_logger = logging.getLogger("django.db.backends")
        self.old_sql_level = self.sql_logger.level
        self.sql_logger.setLevel(logging.DEBUG)
        connection.force_debug_cursor = True

    def tearDown(self) -> None:
        connection.force_debug_cursor = False
        root = logging.getLogger()
        root.removeHandler(self.handler)
        root.setLevel(self.old_level)
        self.sql_logger.setLevel(self.old_sql_level)

    def database_text(self) -> str:
        parts: list[str] = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
                parts.extend(repr(row) for row in cursor.fetchall())
        return "\n".join(parts)

    def test_no_entry_point_keeps_a_plain_bsn(self) -> None:
        known: list[str] = []

        def new() -> str:
            bsn = self.bsn()
            known.append(bsn)
            return bsn

        seen: list[str] = []  # every response body, e-mail and export
        shared, parent = new(), new()

        with self.captureOnCommitCallbacks(execute=True):
            # 1. The HTML form: a good registration, a rejected one and a duplicate.
            login(self.client, self.professional)
            form = {
                "birth_date": self.born(10).isoformat(),
                "municipality": self.heerlen.pk,
                "organisation": self.org_a.pk,
                "ends_on": self.born(-1).isoformat(),
                "youth_informed": "on",
                "parents_informed": "on",
                "contact_name": "Pim",
                "contact_email": "pim@test.rits.nl",
            }
            for bsn in (shared, shared):
                response = self.client.post(
                    reverse("involvement:register"), {**form, "bsn": bsn, "parent1_bsn": parent}
                )
                seen.append(response.content.decode())
            bad = self.client.post(
                reverse("involvement:register"), {**form, "bsn": new(), "birth_date": "2099-01-01"}
            )
            seen.append(bad.content.decode())

            # 2. The API: a match with the form's youth, a family match, and an error.
            raw = "rits_nobsn_abcdefghijklmnopqrstuvwxyz0123"
            ApiToken.objects.create(
                user=self.outsider, name="t", token_hash=ApiToken.hash(raw), hint=raw[:9]
            )
            headers = {"Authorization": f"Bearer {raw}"}
            for body in (
                {
                    "bsn": shared,
                    "birth_date": self.born(10).isoformat(),
                    "municipality": "GM0917",
                    "youth_informed": True,
                    "parents_informed": True,
                },
                {
                    "bsn": new(),
                    "birth_date": self.born(7).isoformat(),
                    "municipality": "GM0882",
                    "parents_informed": True,
                    "parent_bsns": [parent, new()],
                },
                {"bsn": new(), "birth_date": "1990-01-01", "municipality": "GM0917"},
            ):
                response = self.client.post(
                    "/api/v1/involvement/signals",
                    body,
                    content_type="application/json",
                    headers=headers,
                )
                seen.append(response.content.decode())

            # 3. Bulk import: HTML upload, API upload (with a bad row) and the command.
            login(self.client, self.coordinator)
            rows = [
                {
                    "bsn": shared,
                    "birth_date": self.born(10).isoformat(),
                    "municipality": "GM0917",
                    "youth_informed": True,
                    "parents_informed": True,
                    "parent_bsns": [parent],
                },
                {
                    "bsn": new(),
                    "birth_date": self.born(3).isoformat(),
                    "municipality": "GM0917",
                    "parents_informed": True,
                },
            ]
            content = "\n".join(json.dumps(r) for r in rows).encode()
            response = self.client.post(
                reverse("involvement:import"),
                {"file": SimpleUploadedFile("e.jsonl", content), "organisation": self.area_team.pk},
            )
            seen.append(response.content.decode())
            bad_csv = (
                f"bsn,birth_date,municipality\n{new()},2010-01-01,GM0000\n{new()[:-1]}0,x,GM0917\n"
            )
            response = self.client.post(
                "/api/v1/involvement/imports",
                {"file": SimpleUploadedFile("e.csv", bad_csv.encode())},
                headers={"Authorization": f"Bearer {raw}"},
            )
            seen.append(response.content.decode())
            with TemporaryDirectory() as folder:
                path = Path(folder) / "export.csv"
                path.write_text(
                    "bsn,birth_date,municipality,parents_informed\n"
                    f"{new()},{self.born(4).isoformat()},GM0986,ja\n"
                )
                out, err = io.StringIO(), io.StringIO()
                call_command(
                    "import_involvement",
                    str(path),
                    reporter=self.landgraaf_worker.email,
                    stdout=out,
                    stderr=err,
                )
                seen += [out.getvalue(), err.getvalue()]

            # 4. Pages, rights overview and export, daily run.
            for user in (self.professional, self.outsider):
                login(self.client, user)
                for url in (reverse("involvement:signals"), reverse("involvement:matches")):
                    seen.append(self.client.get(url).content.decode())
                for signal in Signal.objects.filter(reporter=user):
                    seen.append(
                        self.client.get(
                            reverse("involvement:signal", args=[signal.pk])
                        ).content.decode()
                    )
            login(self.client, self.heerlen_coordinator)
            seen.append(
                self.client.post(reverse("involvement:rights"), {"bsn": shared}).content.decode()
            )
            seen.append(self.client.get(reverse("involvement:rights_export")).content.decode())
            seen.append(
                self.client.post(reverse("involvement:rights"), {"bsn": parent}).content.decode()
            )
            run_daily()

        # The index really was filled, with matches, through every entry point.
        self.assertGreaterEqual(Signal.objects.count(), 6)
        self.assertTrue(mail.outbox)
        seen.extend(f"{m.subject}\n{m.body}" for m in mail.outbox)
        haystacks: dict[str, Any] = {
            "database": self.database_text(),
            "logs": self.log.getvalue(),
            "responses, e-mails and exports": "\n".join(seen),
        }
        self.assertIn("INSERT", haystacks["logs"])  # SQL was logged, so the check means something
        for where, text in haystacks.items():
            for bsn in known:
                self.assertNotIn(bsn, text, f"a plain BSN was found in the {where}")
