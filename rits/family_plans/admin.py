"""Admin: metadata only for the functional admin; plan contents stay out of the admin,
because admins are outsiders to every family plan."""

from django.contrib import admin

from rits.family_plans.models import EmergencyAccess, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "expires_at", "used_at"]
    readonly_fields = [
        "person",
        "email",
        "token_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
    ]
    fields = ["created_by", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(admin.ModelAdmin):
    list_display = ["started_at", "user", "plan_id", "expires_at", "ended_at"]
    fields = ["user", "plan_id", "reason", "started_at", "expires_at", "ended_at"]
    readonly_fields = ["user", "plan_id", "reason", "started_at", "expires_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
