from django.contrib import admin

from ris3hub.core.locking import LockedAdminMixin
from ris3hub.practices.models import Follow, GoodPractice, Workshop, WorkshopRegistration


@admin.register(GoodPractice)
class GoodPracticeAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "region", "main_institution", "published", "updated"]
    list_filter = ["published"]
    search_fields = ["title", "summary", "keywords"]
    autocomplete_fields = ["main_institution"]
    raw_id_fields = ["region"]
    filter_horizontal = ["topics"]
    prepopulated_fields = {"slug": ["title"]}


class RegistrationInline(admin.TabularInline):
    model = WorkshopRegistration
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts", "place", "capacity", "published"]
    list_filter = ["kind", "published"]
    search_fields = ["title", "description"]
    filter_horizontal = ["practices"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RegistrationInline]


admin.site.register(Follow)
