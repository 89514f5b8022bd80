"""Admin for the functional admin. Changes made here bypass ``services``: the search
index is refreshed on save, and the admin's own log records who changed what."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rits.directory import search
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


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "municipality"]
    search_fields = ["name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "city", "municipality"]
    search_fields = ["name", "city"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "status", "wait_weeks", "wait_confirmed_on"]
    list_filter = ["status", "themes"]
    search_fields = ["name"]
    raw_id_fields = ["provider"]
    inlines = [AreaInline, PhoneInline, ServiceHoursInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        search.reindex([form.instance.pk])


@admin.register(CrisisLine)
class CrisisLineAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "kind", "municipality", "region"]
    inlines = [HoursInline, ClosureInline]


@admin.register(ProfessionalProfile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "published"]
    raw_id_fields = ["user"]
