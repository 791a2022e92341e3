from django.contrib import admin

from ris3hub.search.models import GraduateProfile, IndexChange, Position


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "deadline")
    list_filter = ("kind",)
    search_fields = ("title", "organisation__name", "skills")
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("region",)


@admin.register(GraduateProfile)
class GraduateProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "degree", "wants", "region")
    list_filter = ("wants",)
    search_fields = ("name", "degree", "skills", "summary")
    raw_id_fields = ("region",)


@admin.register(IndexChange)
class IndexChangeAdmin(admin.ModelAdmin):
    list_display = ("model", "object_id", "queued")
    list_filter = ("model",)
