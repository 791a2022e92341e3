from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import LockedAdminMixin
from ris3hub.registry.models import (
    Competence,
    Equipment,
    ExternalId,
    Membership,
    Organisation,
    ResearchContract,
    Service,
)

# Web addresses typed without a scheme are taken as https://.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class ExternalIdInline(admin.TabularInline):
    model = ExternalId
    extra = 0


class CompetenceInline(LockedAdminMixin, admin.TabularInline):
    model = Competence
    extra = 0
    fields = ("name", "description")


class EquipmentInline(LockedAdminMixin, admin.StackedInline):
    model = Equipment
    extra = 0


class ServiceInline(LockedAdminMixin, admin.TabularInline):
    model = Service
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ("network",)
    verbose_name = _("membership of a network")
    verbose_name_plural = _("memberships of networks")


@admin.register(Organisation)
class OrganisationAdmin(LockedAdminMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("name", "kind", "city", "country", "region", "is_sme", "pic", "vat", "updated")
    list_filter = ("kind", "is_sme", "country")
    search_fields = ("name", "short_name", "normalised_name", "pic", "vat", "ror", "city")
    autocomplete_fields = ("region", "domains")
    list_select_related = ("region",)
    readonly_fields = ("normalised_name", "version", "created", "updated")
    inlines = (ExternalIdInline, MembershipInline, CompetenceInline, EquipmentInline, ServiceInline)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "normalised_name", "kind", "is_sme")}),
        (_("Identifiers"), {"fields": ("pic", "vat", "ror", "website")}),
        (_("Address"), {"fields": ("street", "postcode", "city", "country", "region")}),
        (_("Profile"), {"fields": ("description", "description_it", "domains", "trl", "looking_for")}),
        (_("Contact (shown by role only)"), {"fields": ("contact_person", "contact_email", "contact_phone")}),
        (_("Record"), {"fields": ("created", "updated", "version")}),
    )


@admin.register(ExternalId)
class ExternalIdAdmin(admin.ModelAdmin):
    list_display = ("source", "value", "organisation")
    list_filter = ("source",)
    search_fields = ("value", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(Competence)
class CompetenceAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name", "description", "organisation__name")
    autocomplete_fields = ("organisation", "concepts")
    list_select_related = ("organisation",)


@admin.register(Equipment)
class EquipmentAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation", "access", "location", "booking_contact")
    list_filter = ("access",)
    search_fields = ("name", "description", "location", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(Service)
class ServiceAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "category", "organisation")
    list_filter = ("category",)
    search_fields = ("name", "description", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("member", "network", "kind", "status", "start", "end")
    list_filter = ("kind", "status")
    search_fields = ("member__name", "network__name")
    autocomplete_fields = ("member", "network")
    list_select_related = ("member", "network")
    date_hierarchy = "start"


@admin.register(ResearchContract)
class ResearchContractAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "lab", "company", "value", "date")
    search_fields = ("reference", "title", "lab__name", "company__name")
    autocomplete_fields = ("lab", "company")
    list_select_related = ("lab", "company")
    date_hierarchy = "date"
