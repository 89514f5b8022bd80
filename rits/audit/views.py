"""The privacy officer's view of the trail: search, page through, export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.auth import acting_user
from rits.audit.forms import TrailFilterForm
from rits.audit.models import Entry
from rits.audit.permissions import get_trail_reader
from rits.audit.search import PER_PAGE, role_label, search_entries
from rits.audit.services import record_trail_read
from rits.lib import spreadsheet


def _scrubbed_query(form: TrailFilterForm) -> str:
    """The form's own data (a BSN already replaced or blanked) as a query string."""
    return urlencode({name: form.data[name] for name in form.fields if form.data.get(name)})


def _away_from_bsn(request: HttpRequest, form: TrailFilterForm, url_name: str) -> HttpResponse:
    """Send the browser to the same search without the BSN in its address.

    Browser history, bookmarks and Referer headers then hold the pseudonym only.
    Errors travel as messages, because the redirect drops the bound form.
    """
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    query = form.filters().as_query() if form.is_valid() else _scrubbed_query(form)
    return redirect(f"{reverse(url_name)}?{query}" if query else reverse(url_name))


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search the audit trail (privacy officers only)."""
    reader = get_trail_reader(request.user)
    # The search form posts, so a BSN typed into it never stands in a URL (and so in
    # no proxy or server access log); results are then shown at a GET address that
    # holds the pseudonym only. GET stays for paging, bookmarks and the API's shape.
    posted = request.method == "POST"
    form = TrailFilterForm(request.POST if posted else request.GET)
    valid = form.is_valid()
    if (posted or form.had_bsn) and not request.htmx:  # type: ignore[attr-defined]
        return _away_from_bsn(request, form, "audit:search")
    context: dict[str, Any] = {"form": form, "page": None, "query": _scrubbed_query(form)}
    if valid:
        filters = form.filters()
        paginator = Paginator(search_entries(filters), PER_PAGE)
        with transaction.atomic():
            page = paginator.get_page(request.GET.get("page"))
            entries = list(page.object_list)
            record_trail_read(
                actor=acting_user(request),
                reader=reader,
                filters=filters,
                results=paginator.count,
                page=page.number,
            )
        for entry in entries:
            entry.role_label = role_label(entry.role)  # type: ignore[attr-defined]
        context.update(page=page, entries=entries, query=filters.as_query())
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "audit/search.html#results", context)
        # History gets the cleaned search: a pseudonym where a BSN was typed.
        query = context["query"]
        if context["page"] is not None and context["page"].number > 1:
            query = (
                f"{query}&page={context['page'].number}"
                if query
                else f"page={context['page'].number}"
            )
        url = reverse("audit:search")
        response["HX-Push-Url"] = f"{url}?{query}" if query else url
        return response
    return render(request, "audit/search.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(entries: Iterator[Entry]) -> Iterator[str]:
    writer = spreadsheet.writer(_Echo())
    yield writer.writerow(
        [
            _("id"),
            _("time"),
            _("event"),
            _("event label"),
            _("outcome"),
            _("user"),
            _("on behalf of"),
            _("organisation"),
            _("role"),
            _("subject"),
            _("object type"),
            _("object id"),
            _("object"),
            _("IP address"),
            _("access point"),
            _("user agent"),
            _("purpose"),
            _("request id"),
            _("details"),
            _("hash"),
        ]
    )
    for entry in entries:
        yield writer.writerow(
            (
                entry.pk,
                timezone.localtime(entry.occurred_at).isoformat(),
                entry.event,
                entry.event_label,
                entry.get_outcome_display(),
                entry.actor_label,
                entry.on_behalf_of,
                entry.organisation,
                role_label(entry.role),
                entry.subject,
                entry.object_type,
                entry.object_id,
                entry.object_label,
                entry.ip_address,
                entry.channel,
                entry.user_agent,
                entry.get_purpose_display(),
                entry.request_id,
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True),
                entry.entry_hash,
            )
        )


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    """The current search as CSV (privacy officers only)."""
    reader = get_trail_reader(request.user)
    form = TrailFilterForm(request.GET)
    if form.had_bsn:
        # An export must never widen because a bad filter was blanked: back to the page.
        return _away_from_bsn(request, form, "audit:export" if form.is_valid() else "audit:search")
    if not form.is_valid():
        return render(request, "audit/search.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    entries = search_entries(filters)
    with transaction.atomic():
        count = entries.count()
        exported = record_trail_read(
            actor=acting_user(request),
            reader=reader,
            filters=filters,
            exported=True,
            results=count,
        )
    # Exactly the rows counted: none written since, not even this export's own entry.
    entries = entries.filter(id__lt=exported.pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _csv_rows(entries.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="rits-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
