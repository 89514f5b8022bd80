"""The admin (/beheer/) for functional admins: organisations, teams, users, memberships.

Functional admins are staff with the functional-admin role; they manage these models
without needing Django's per-model permissions. Every save and delete is also written
to the audit trail, in the admin's own transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rits.accounts import (
    events,  # noqa: F401  (registers the event codes)
    forms,
    services,
)
from rits.accounts.auth import acting_user
from rits.accounts.models import ApiToken, Membership, Notification, Organisation, Team, User
from rits.accounts.views import admin_login
from rits.audit.models import Entry
from rits.audit.services import record

# One login for everyone, with the second factor: the admin's own login form is not used.
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.site_header = _("Rits administration")
admin.site.site_title = _("Rits administration")


def is_functional_admin(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or user.has_role(Membership.Role.FUNCTIONAL_ADMIN))  # type: ignore[union-attr]


class FunctionalAdminMixin:
    """Full rights for functional admins; Django's model permissions for other staff."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_functional_admin(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_functional_admin(request) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        record(
            acting_user(request),
            "accounts.admin_saved",
            obj,
            purpose=Entry.Purpose.ADMINISTRATION,
            data={
                "action": "changed" if change else "added",
                "fields": sorted(form.changed_data) if form is not None else [],
            },
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        record(
            acting_user(request),
            "accounts.admin_deleted",
            obj,
            purpose=Entry.Purpose.ADMINISTRATION,
        )
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record(
                acting_user(request),
                "accounts.admin_deleted",
                obj,
                purpose=Entry.Purpose.ADMINISTRATION,
            )
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("organisation", "team")
    fields = ("organisation", "team", "role", "job_title", "active")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(FunctionalAdminMixin, DjangoUserAdmin):
    """Users by e-mail address. The password hash is never shown; passwords are set with
    the admin's password form."""

    form = forms.UserChangeForm
    add_form = forms.AdminUserCreationForm
    inlines = (MembershipInline,)
    list_display = ("email", "full_name", "kind", "is_active", "is_staff", "last_login")
    list_filter = ("kind", "is_active", "is_staff", "memberships__role")
    search_fields = ("email", "full_name")
    ordering = ("full_name",)
    readonly_fields = ("password_link", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "full_name", "phone", "kind", "preferred_language")}),
        (_("Password"), {"fields": ("password_link",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "kind",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ("groups",)
    actions = ("unlock_login", "reset_authenticator")

    @admin.action(description=_("Unlock login after failed attempts"))
    def unlock_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.unlock_login(user, actor=acting_user(request))
        self.message_user(
            request, _("Login unlocked for %(count)d user(s).") % {"count": len(queryset)}
        )

    @admin.action(description=_("Reset authenticator app (lost phone)"))
    def reset_authenticator(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.reset_authenticator(user, actor=acting_user(request))
        self.message_user(
            request,
            _("Authenticator reset for %(count)d user(s); they set up a new one at next login.")
            % {"count": len(queryset)},
        )

    @admin.display(description=_("Password"))
    def password_link(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        label = _("Set a new password") if obj.has_usable_password() else _("Set a password")
        return format_html('<a href="../password/">{}</a>', label)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser can hand out superuser rights or raw permission groups.
            fields += ["is_superuser", "groups"]
        return fields

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's password form, with an audit entry naming the admin, in one transaction."""
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if user is not None and before is not None and user.password != before:
                services.record_password_changed(
                    user,
                    actor=acting_user(request),
                    how="admin" if user.has_usable_password() else "admin_disabled",
                )
        return response


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ("name", "municipality")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(FunctionalAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "municipality", "region")
    list_filter = ("kind", "region", "municipality")
    search_fields = ("name", "kvk_number")
    inlines = (TeamInline,)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Team)
class TeamAdmin(FunctionalAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation", "municipality")
    list_filter = ("organisation", "municipality")
    search_fields = ("name", "organisation__name")
    list_select_related = ("organisation", "municipality")


@admin.register(Membership)
class MembershipAdmin(FunctionalAdminMixin, admin.ModelAdmin):
    list_display = ("user", "organisation", "team", "role", "job_title", "active")
    list_filter = ("role", "active", "organisation")
    search_fields = ("user__email", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation", "team")
    list_select_related = ("user", "organisation", "team")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by their owners. Only the hint is shown;
    the raw token is never stored."""

    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email")
    fields = ("user", "name", "hint", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    list_select_related = ("user",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_functional_admin(request) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at")
    list_filter = ("kind", "read_at")
    search_fields = ("title", "user__email")
    readonly_fields = ("user", "kind", "title", "body", "url", "created_at", "read_at")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
