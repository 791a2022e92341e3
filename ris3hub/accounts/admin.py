from django.contrib import admin

from ris3hub.accounts.models import EditorRequest, RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "granted_by", "created")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    readonly_fields = ("granted_by", "created")
    list_select_related = ("user", "organisation", "granted_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EditorRequest)
class EditorRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "status", "created", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    readonly_fields = ("created", "decided_by", "decided_at")
    list_select_related = ("user", "organisation", "decided_by")
