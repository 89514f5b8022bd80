from django.contrib import admin

from rits.outcomes.models import Publication, Story


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Which indicators a region shows on its public page "Wat levert het op?"."""

    list_display = ("region", "indicator", "position")
    list_filter = ("region",)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    """Only the published version and its dates; the family's own text stays in Rits."""

    list_display = ("public_title", "municipality", "reviewed_at")
    fields = ("public_title", "public_text", "reviewed_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False
