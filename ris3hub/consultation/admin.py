from django.contrib import admin

from ris3hub.core.locking import LockedAdminMixin
from ris3hub.consultation.models import Answer, Consultation, Question, Response, Theme, ThemeRun


class QuestionInline(LockedAdminMixin, admin.StackedInline):
    model = Question
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opens", "closes", "published", "identity"]
    list_filter = ["published", "identity"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "text", "choices"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["pk", "consultation", "user", "submitted", "consent_given"]
    list_filter = ["consultation"]
    readonly_fields = ["consultation", "user", "submitted", "consent_given", "consent_text", "language"]
    inlines = [AnswerInline]


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["number", "label", "keywords", "size"]
    readonly_fields = fields


@admin.register(ThemeRun)
class ThemeRunAdmin(admin.ModelAdmin):
    list_display = ["question", "created", "answers", "requested"]
    inlines = [ThemeInline]
