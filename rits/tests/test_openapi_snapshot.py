"""The committed OpenAPI document is the API's contract: a change to it must be deliberate.

After an intended change, refresh the snapshot with `make openapi` and commit it.
"""

import json
from pathlib import Path

from django.test import TestCase

from rits.api import api

SNAPSHOT = Path(__file__).resolve().parent / "openapi.json"


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


class OpenApiSnapshotTests(TestCase):
    def test_schema_matches_the_committed_snapshot(self) -> None:
        committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        schema = current_schema()
        changed = sorted(
            set(committed["paths"]) ^ set(schema["paths"])
            | {p for p in schema["paths"] if committed["paths"].get(p) != schema["paths"][p]}
        )
        self.assertEqual(
            committed,
            schema,
            f"The API changed ({', '.join(changed) or 'components'}). "
            "If intended, run `make openapi`.",
        )

    def test_it_serves_the_schema_and_offline_docs(self) -> None:
        response = self.client.get("/api/v1/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["info"]["title"], "Rits API")
        docs = self.client.get("/api/v1/docs")
        self.assertEqual(docs.status_code, 200)
        # The interactive docs load their assets from this server, never from a CDN.
        html = docs.content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", html)
        self.assertNotIn("cdn.", html)
