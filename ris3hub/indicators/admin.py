from django.contrib import admin
from django.db import models

from ris3hub.indicators.models import Indicator, Observation

# Web addresses typed without a scheme are taken as https://.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("code", "label", "dataset", "unit", "source")
    list_filter = ("dataset", "source")
    search_fields = ("code", "label", "dataset", "topic")


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "region_code", "year", "value", "flags")
    list_filter = ("year", "indicator__dataset")
    search_fields = ("region_code", "indicator__code")
    autocomplete_fields = ("indicator",)
    list_select_related = ("indicator",)
