"""Error pages that say what happened and where to go, in the reader's language.

Django renders 400, 403, 404 and 500 from the templates of the same name, and a CSRF
failure from ``403_csrf.html``. A 405 from ``require_POST`` has no body at all, so a
browser shows a blank page; the middleware below gives it one. The JSON API keeps its
problem+json answers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Give an empty 405 answer outside the API the site's error page; the ``Allow``
    header stays as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith("/api/")
            and not getattr(response, "streaming", False)
        ):
            response.content = render_to_string("405.html", request=request).encode()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
