from django.contrib import admin

from rits.involvement.models import Match, MatchMember, Signal


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    """Read-only: signals change only through the services, which audit every change."""

    list_display = [
        "reference",
        "organisation",
        "municipality",
        "status",
        "registered_at",
        "ends_on",
    ]
    list_filter = ["status", "municipality"]
    exclude = ["youth_pseudonym", "parent1_pseudonym", "parent2_pseudonym"]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class MatchMemberInline(admin.TabularInline):
    model = MatchMember
    extra = 0
    can_delete = False
    readonly_fields = ["signal", "joined_at"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "status", "created_at", "awaiting_since", "escalated_at"]
    list_filter = ["kind", "status"]
    exclude = ["key"]
    inlines = [MatchMemberInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
