"""The audit trail over the API: read-only, for privacy officers; everyone else 404.

There are no write endpoints: entries are only ever appended by ``audit.record``
inside the change they describe.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from rits.accounts.auth import api_user
from rits.audit.forms import TrailFilterForm
from rits.audit.permissions import get_trail_reader
from rits.audit.schemas import TrailPage, TrailQuery
from rits.audit.search import PER_PAGE, search_entries
from rits.audit.services import record_trail_read

router = Router(tags=["audit"])


@router.get(
    "/entries",
    response=TrailPage,
    operation_id="search_audit_entries",
    summary="Search the audit trail (privacy officers)",
    description=(
        "Newest first, 50 per page. A BSN given as subject is turned into its pseudonym "
        "and never returned or stored. Every call is itself recorded in the trail."
    ),
)
def search_entries_endpoint(request: HttpRequest, query: Query[TrailQuery]) -> TrailPage:
    user = api_user(request)
    reader = get_trail_reader(user)
    form = TrailFilterForm(
        {name: value for name, value in query.dict().items() if name != "page" and value}
    )
    if not form.is_valid():
        # The form's messages never repeat the input, so a mistyped BSN is not echoed.
        fields = ", ".join(sorted(form.errors))
        raise HttpError(422, _("Invalid filter: %(fields)s") % {"fields": fields})
    filters = form.filters()
    paginator = Paginator(search_entries(filters), PER_PAGE)
    with transaction.atomic():
        try:
            page = paginator.page(query.page)
        except EmptyPage:
            if query.page > 1:
                raise Http404 from None
            page = paginator.page(1)
        entries = list(page.object_list)
        record_trail_read(
            actor=user, reader=reader, filters=filters, results=paginator.count, page=page.number
        )
    return TrailPage(
        count=paginator.count,
        page=page.number,
        pages=paginator.num_pages,
        per_page=PER_PAGE,
        filters=filters.as_data(),
        results=entries,  # type: ignore[arg-type]
    )
