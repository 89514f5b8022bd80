"""The one JSON API of Rits, under /api/v1, with a router per app.

Errors are ``application/problem+json`` (RFC 9457) everywhere, so clients need one
error parser.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser

from rits.accounts.api import router as accounts_router
from rits.accounts.auth import api_auth
from rits.accounts.throttling import api_calls
from rits.audit.api import router as audit_router
from rits.dialogues.api import router as dialogues_router
from rits.directory.api import router as directory_router
from rits.family_plans.api import router as family_plans_router
from rits.involvement.api import router as involvement_router
from rits.knowledge.api import router as knowledge_router
from rits.lib.problem import problem
from rits.outcomes.api import router as outcomes_router
from rits.regions.api import router as regions_router


class NulInText(ValueError):
    """Text with a NUL character: PostgreSQL cannot store one (a 500 there, not on SQLite)."""


def _refuse_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulInText("Text may not contain the NUL character (\\u0000).")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)


class RitsParser(Parser):
    """Query strings and form fields without NUL characters, on either database (a 422).

    HTML forms refuse them already (Django's CharField does); a JSON body's text is
    refused by its schema's types (``rits.lib.text.Line`` and ``Text``), also with a 422.
    """

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        try:
            _refuse_nul({k: v for k, v in result.items() if not hasattr(v, "read")})
        except NulInText as exc:
            where = "query" if data is request.GET else "form"
            raise ValidationError(
                [{"loc": [where], "msg": str(exc), "type": "value_error"}]
            ) from None
        return result


api = NinjaAPI(
    title="Rits API",
    version="1",
    description=(
        "The JSON API of Rits. Authenticate with a personal API token "
        "(`Authorization: Bearer rits_…`), created under *API tokens* in Rits. "
        "Errors are `application/problem+json`. Calls are limited per account (or per "
        "address without one); a refused call gets 429 with `Retry-After`."
    ),
    auth=api_auth,
    throttle=[api_calls],
    parser=RitsParser(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem(
        request,
        422,
        _("Invalid input"),
        _("The request did not pass validation."),
        errors=exc.errors,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem(
        request,
        401,
        _("Not authenticated"),
        _("Send a valid API token as 'Authorization: Bearer …'."),
    )
    response["WWW-Authenticate"] = 'Bearer realm="rits"'
    return response


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # django-ninja's own message is fixed English; ninja adds Retry-After afterwards.
    return problem(request, 429, _("Too many requests"), _("Try again later."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem(request, exc.status_code, str(exc) or _("Error"))


@api.exception_handler(MultiPartParserError)
def on_broken_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Django reads the body only when the operation asks for its files; a broken
    # boundary or header then surfaces here, not as a 400 of Django's own.
    return problem(request, 400, _("Malformed multipart body"), str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, _("Not found"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, _("Forbidden"), str(exc))


api.add_router("/accounts", accounts_router)
api.add_router("/regions", regions_router)
api.add_router("/audit", audit_router)
api.add_router("/involvement", involvement_router)
api.add_router("/family-plans", family_plans_router)
api.add_router("/dialogues", dialogues_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("", directory_router)
