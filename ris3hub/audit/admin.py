from django.contrib import admin

from ris3hub.audit.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Import runs as they were recorded; never edited."""

    list_display = ("started", "kind", "run_by", "committed", "rejected_rows")
    list_filter = ("kind", "committed")
    search_fields = ("kind", "run_by")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
