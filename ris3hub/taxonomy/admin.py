from django.contrib import admin

from ris3hub.taxonomy.models import Concept, ConceptMapping, Scheme


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "source")
    search_fields = ("code", "name")


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "label_it", "scheme", "level", "parent")
    list_filter = ("scheme", "level")
    search_fields = ("code", "label", "label_it", "path")
    autocomplete_fields = ("scheme", "parent")
    list_select_related = ("scheme", "parent")


@admin.register(ConceptMapping)
class ConceptMappingAdmin(admin.ModelAdmin):
    list_display = ("source", "relation", "target")
    list_filter = ("relation", "source__scheme", "target__scheme")
    search_fields = ("source__label", "target__label", "source__code", "target__code")
    autocomplete_fields = ("source", "target")
    list_select_related = ("source", "target")
