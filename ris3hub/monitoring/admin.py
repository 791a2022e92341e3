from django.contrib import admin, messages

from ris3hub.monitoring.actions import do_record_value, indicator_problems
from ris3hub.monitoring.compute import compute_indicator
from ris3hub.monitoring.models import (
    Indicator,
    IndicatorValue,
    IndicatorValueChange,
    Objective,
    ReminderSent,
    ReportingRound,
    ReportSubmission,
    SubmissionVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: kept as they were written."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "strategy", "priority")
    search_fields = ("code", "title")
    autocomplete_fields = ("strategy", "priority")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "strategy", "priority", "kind", "method", "query", "unit", "target_value",
                    "target_year")
    list_filter = ("kind", "method", "frequency", "strategy")
    search_fields = ("code", "name", "query", "report_field")
    autocomplete_fields = ("strategy", "priority", "responsible")
    list_select_related = ("strategy", "priority")
    actions = ("compute",)

    def get_form(self, request, obj=None, **kwargs):
        """The definition is checked as the actions check it (a known query, its parameters, ...)."""
        form = super().get_form(request, obj, **kwargs)
        model_clean = form.clean

        def clean(this):
            data = model_clean(this)
            candidate = Indicator(**{name: value for name, value in data.items()
                                     if name in {f.name for f in Indicator._meta.concrete_fields}})
            for name, reason in indicator_problems(candidate).items():
                this.add_error(name if name in this.fields else None, reason)
            return data

        form.clean = clean
        return form

    @admin.action(description="Compute the values of the selected indicators")
    def compute(self, request, queryset):
        for indicator in queryset.select_related("strategy__region", "priority"):
            result = compute_indicator(indicator, by=request.user)
            if result.skipped:
                self.message_user(request, f"{indicator.code}: skipped, {result.skipped}", messages.WARNING)
            else:
                self.message_user(request, f"{indicator.code}: {result.created} created, {result.updated} updated, "
                                           f"{result.deleted} deleted, {result.unchanged} unchanged")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "region", "period", "value", "source", "updated")
    list_filter = ("source", "indicator__strategy")
    search_fields = ("indicator__code", "indicator__name", "region__code", "period")
    autocomplete_fields = ("indicator", "region")
    list_select_related = ("indicator", "region")
    readonly_fields = ("source", "updated", "updated_by")

    def save_model(self, request, obj, form, change):
        """A value saved here is a value entered by hand, recorded in the history like any other."""
        saved = do_record_value(obj.indicator, obj.region, obj.period, obj.value, by=request.user)
        obj.pk = saved.pk


@admin.register(IndicatorValueChange)
class IndicatorValueChangeAdmin(ReadOnlyAdmin):
    """The history of the values: written by computing and by hand entries, never edited."""

    list_display = ("at", "indicator", "region", "period", "old_value", "new_value", "source", "by")
    list_filter = ("source",)
    search_fields = ("indicator__code", "region__code", "period")
    list_select_related = ("indicator", "region", "by")


class SubmissionInline(admin.TabularInline):
    model = ReportSubmission
    extra = 0
    fields = ("organisation", "status", "updated", "submitted_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "network", "period", "deadline", "status", "coordinator")
    list_filter = ("status",)
    search_fields = ("title", "network__name", "period")
    autocomplete_fields = ("network", "coordinator", "strategy")
    inlines = (SubmissionInline,)


class VersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    fields = ("number", "action", "status", "by", "at", "message", "values")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    list_display = ("submission", "number", "action", "status", "by", "at")
    list_filter = ("action", "status")
    search_fields = ("submission__organisation__name", "submission__round__title", "message")
    list_select_related = ("submission__organisation", "submission__round", "by")


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ("submission", "kind", "recipients", "sent_at")
    list_filter = ("kind",)
    search_fields = ("submission__organisation__name", "submission__round__title", "recipients")
    list_select_related = ("submission__organisation", "submission__round")


@admin.register(ReportSubmission)
class ReportSubmissionAdmin(admin.ModelAdmin):
    list_display = ("organisation", "round", "status", "updated")
    list_filter = ("status", "round")
    search_fields = ("organisation__name", "round__title")
    readonly_fields = ("round", "organisation", "status", "values", "message", "updated", "submitted_at")
    inlines = (VersionInline,)

    def has_add_permission(self, request):
        return False
