from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ris3hub.regions.models import NutsChange, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_latn", "name", "level", "country", "version", "parent")
    list_filter = ("version", "level", "country", "urban_rural", "coastal", "mountain")
    search_fields = ("code", "name_latn", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    fieldsets = (
        (None, {"fields": ("version", "code", "level", "country", "name_latn", "name", "parent")}),
        (_("Typologies"), {"fields": ("urban_rural", "metropolitan", "coastal", "mountain", "border", "island",
                                   "capital")}),
        (_("Shape"), {"classes": ("collapse",), "fields": ("label_lon", "label_lat", "geometry")}),
    )


@admin.register(NutsChange)
class NutsChangeAdmin(admin.ModelAdmin):
    list_display = ("from_code", "from_version", "to_code", "to_version", "change")
    list_filter = ("from_version", "to_version")
    search_fields = ("from_code", "to_code", "change", "explanation")
