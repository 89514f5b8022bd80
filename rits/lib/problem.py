"""Error answers of the JSON API as ``application/problem+json`` (RFC 9457).

The one builder of them, here on the ground floor so that every app's API module can
answer with one without importing the root API (``rits.api`` imports the apps'
routers, so importing it back from an app would be a loop).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

_JSON = JSONRenderer()


def problem(
    request: HttpRequest, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    """A problem document: ``title`` says what went wrong in a few words, ``detail``
    what the caller can do about it; ``extra`` adds members such as ``errors``."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return HttpResponse(
        _JSON.render(request, body, response_status=status),
        status=status,
        content_type="application/problem+json",
    )
