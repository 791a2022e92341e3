from django.contrib import admin
from django.db import models

from ris3hub.strategies.models import Priority, PriorityDomain, Strategy

# Web addresses typed without a scheme are taken as https://.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    autocomplete_fields = ("concepts",)


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("title", "region", "period")
    list_filter = ("period",)
    search_fields = ("title", "summary", "region__code", "region__name_latn")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    inlines = (PriorityInline,)


class PriorityDomainInline(admin.TabularInline):
    model = PriorityDomain
    extra = 0


@admin.register(PriorityDomain)
class PriorityDomainAdmin(admin.ModelAdmin):
    list_display = ("priority", "scheme", "code")
    list_filter = ("scheme",)
    search_fields = ("code", "priority__code", "priority__title")
    autocomplete_fields = ("priority",)
    list_select_related = ("priority",)


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    inlines = (PriorityDomainInline,)
    list_display = ("code", "title", "strategy")
    list_filter = ("strategy__period",)
    search_fields = ("code", "title", "title_it", "description")
    autocomplete_fields = ("strategy", "concepts")
    list_select_related = ("strategy",)
