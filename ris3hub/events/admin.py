"""Curation of events in the Django admin: the organiser pages are the everyday tool, this is the back office."""

from django.contrib import admin
from django.db import models

from ris3hub.core.locking import LockedAdminMixin
from ris3hub.events.models import (
    CheckIn,
    Event,
    FollowUp,
    MarketplaceEntry,
    Meeting,
    MeetingRequest,
    ParticipationType,
    Place,
    Registration,
    ScheduleRun,
    Session,
    SessionBreak,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    show_change_link = True


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ParticipationTypeInline(admin.StackedInline):
    model = ParticipationType
    extra = 0
    fk_name = "event"


@admin.register(Event)
class EventAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "venue", "request_mode", "registration_open", "published", "created")
    list_filter = ("published", "registration_open", "request_mode")
    search_fields = ("name", "slug", "venue")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("organisers",)
    raw_id_fields = ("organising_network",)
    inlines = [SessionInline, PlaceInline, ParticipationTypeInline]


class SessionBreakInline(admin.TabularInline):
    model = SessionBreak
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    """Slots are cut when a session is added through the organiser actions; edit times there."""

    list_display = ("name", "event", "day", "start", "end", "meeting_minutes", "mode")
    list_filter = ("event", "mode")
    inlines = [SessionBreakInline]


class EntryInline(admin.TabularInline):
    model = MarketplaceEntry
    extra = 0


@admin.register(Registration)
class RegistrationAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("person_name", "organisation_name", "event", "participation_type", "attendance", "status")
    list_filter = ("event", "status", "attendance", "participation_type")
    search_fields = ("person_name", "organisation_name", "email")
    raw_id_fields = ("user", "organisation", "validated_by")
    filter_horizontal = ("sessions",)
    inlines = [EntryInline]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ("requester", "recipient", "event", "status", "created", "expires_at")
    list_filter = ("event", "status")
    raw_id_fields = ("requester", "recipient")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "event", "slot", "place", "priority", "locked", "confirmed")
    list_filter = ("event", "locked", "confirmed")
    raw_id_fields = ("request", "slot", "place")
    filter_horizontal = ("participants",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("meeting", "registration", "held", "agreement", "agreement_type", "answered_at")
    list_filter = ("held", "agreement", "agreement_type")
    raw_id_fields = ("meeting", "registration")


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("registration", "at", "by")
    raw_id_fields = ("registration", "by")


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = ("event", "started", "meetings", "scheduled", "upper_bound", "proven_optimal", "seconds")
    list_filter = ("event", "proven_optimal")
    readonly_fields = [f.name for f in ScheduleRun._meta.fields]
