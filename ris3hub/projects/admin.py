from django.contrib import admin
from django.db import models

from ris3hub.projects.models import Call, Participation, Programme, Project

# Web addresses typed without a scheme are taken as https://.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "framework", "parent")
    list_filter = ("framework",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("identifier", "title", "programme", "year", "deadline")
    list_filter = ("year",)
    search_fields = ("identifier", "title")
    autocomplete_fields = ("programme",)
    list_select_related = ("programme",)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ("organisation", "region")
    fields = ("organisation", "role", "eu_contribution", "net_eu_contribution", "total_cost", "region")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("number", "acronym", "title", "framework", "start", "end", "eu_contribution")
    list_filter = ("framework", "type_of_action")
    search_fields = ("number", "acronym", "title", "topic_code")
    autocomplete_fields = ("programme", "call", "concepts")
    date_hierarchy = "start"
    inlines = (ParticipationInline,)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("project", "organisation", "role", "eu_contribution", "region")
    list_filter = ("role", "project__framework")
    search_fields = ("project__number", "project__acronym", "organisation__name", "organisation__pic")
    autocomplete_fields = ("project", "organisation", "region")
    list_select_related = ("project", "organisation", "region")
