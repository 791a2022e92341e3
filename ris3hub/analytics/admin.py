from django.contrib import admin

from ris3hub.analytics.models import StoredPanel


@admin.register(StoredPanel)
class StoredPanelAdmin(admin.ModelAdmin):
    """Counted panels, read-only: they are rebuilt whenever the data changes."""

    list_display = ("key", "computed")
    search_fields = ("key",)
    readonly_fields = ("key", "version", "labels", "computed")
    exclude = ("counts",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
