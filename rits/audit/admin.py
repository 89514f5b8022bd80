"""The trail in the Django admin: read-only, for privacy officers who are staff.

Nobody may add, change or delete an entry here; viewing is audited like the search
page, and a BSN typed into the admin search is pseudonymised first.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from rits.accounts.auth import acting_user
from rits.audit.models import Entry
from rits.audit.permissions import can_read_trail, get_trail_reader
from rits.audit.search import TrailFilters, looks_like_bsn, subject_pseudonym
from rits.audit.services import record_trail_read
from rits.lib.pseudonyms import InvalidBSN


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "event",
        "outcome",
        "actor_label",
        "organisation",
        "role",
        "subject",
        "object_type",
        "object_id",
        "channel",
        "purpose",
    )
    list_filter = ("outcome", "purpose", "channel", "event", "occurred_at")
    # Exact matches use the indexes; a trail has millions of rows.
    search_fields = ("=subject", "=request_id", "=object_id", "actor_label")
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-id",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Entry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read_trail(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read_trail(request.user)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Entry], search_term: str
    ) -> tuple[QuerySet[Entry], bool]:
        if search_term and looks_like_bsn(search_term.strip()):
            try:
                pseudonym, _ = subject_pseudonym(search_term)
            except InvalidBSN:
                return queryset.none(), False
            return queryset.filter(subject=pseudonym), False
        return super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        self._audit(request, request.GET.get("q", ""))
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit(request, "", object_id=object_id)
        return response

    def _audit(self, request: HttpRequest, term: str, object_id: str = "") -> None:
        """Record the admin read; a BSN search term only as its pseudonym."""
        if not can_read_trail(request.user):
            return
        subject, from_bsn = "", False
        if term and looks_like_bsn(term.strip()):
            try:
                subject, from_bsn = subject_pseudonym(term)
            except InvalidBSN:
                subject = ""
            term = ""
        extra: dict[str, Any] = {"via": "admin"}
        if term:
            extra["search"] = term[:200]
        if object_id:
            extra["entry"] = object_id
        record_trail_read(
            actor=acting_user(request),
            reader=get_trail_reader(request.user),
            filters=TrailFilters(subject=subject, subject_from_bsn=from_bsn),
            extra=extra,
        )
