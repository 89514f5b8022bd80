"""Admin for the functional admin. Changes made here bypass ``services``, so the admin
classes do what the services do: refresh the search index and write an audit entry,
inside the admin's own transaction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rits.accounts.auth import acting_user
from rits.audit.models import Entry
from rits.audit.services import record
from rits.directory import public_holidays, search
from rits.directory.models import (
    Closure,
    CrisisLine,
    Location,
    OpeningHours,
    Phone,
    ProfessionalProfile,
    Provider,
    Service,
    ServiceArea,
    Theme,
)


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    exclude = ["service"]


class ServiceHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    exclude = ["crisis_line"]


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0
    exclude = ["service"]


class AreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    exclude = ["uuid"]


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0


class AuditedAdmin(admin.ModelAdmin):
    """Writes ``audit_event`` after the object and its inlines are saved."""

    audit_event = ""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data) + [
            f.model._meta.model_name for f in formsets if f.has_changed()
        ]
        record(
            acting_user(request),
            self.audit_event,
            form.instance,
            purpose=Entry.Purpose.ADMINISTRATION,
            data={"changed": changed, "via": "admin"},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(
            acting_user(request),
            self.audit_event,
            obj,
            purpose=Entry.Purpose.ADMINISTRATION,
            data={"deleted": True, "via": "admin"},
        )
        super().delete_model(request, obj)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    audit_event = "directory.provider_changed"
    list_display = ["name", "organisation", "municipality"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    audit_event = "directory.provider_changed"
    list_display = ["name", "provider", "city", "municipality"]
    search_fields = ["name", "city"]


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    audit_event = "directory.service_changed"
    list_display = ["name", "provider", "status", "wait_weeks", "wait_confirmed_on"]
    list_filter = ["status", "themes"]
    search_fields = ["name"]
    raw_id_fields = ["provider"]
    inlines = [AreaInline, PhoneInline, ServiceHoursInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        search.reindex([form.instance.pk])


class CrisisLineForm(forms.ModelForm):
    """The holidays that close a line as checkboxes, named in the admin's language."""

    closed_on_holidays = forms.MultipleChoiceField(
        label=_("closed on these public holidays"),
        choices=public_holidays.holiday_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Good Friday is not a general day off: tick it only if this office closes then."
        ),
    )

    class Meta:
        model = CrisisLine
        fields = ["kind", "region", "municipality", "name", "phone", "closed_on_holidays"]


@admin.register(CrisisLine)
class CrisisLineAdmin(AuditedAdmin):
    audit_event = "directory.crisis_line_changed"
    form = CrisisLineForm
    list_display = ["name", "phone", "kind", "municipality", "region"]
    inlines = [HoursInline, ClosureInline]


@admin.register(ProfessionalProfile)
class ProfileAdmin(AuditedAdmin):
    audit_event = "directory.profile_changed"
    list_display = ["user", "team", "published"]
    raw_id_fields = ["user"]
