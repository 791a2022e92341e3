"""Forms of the organisation editor pages. Each carries the optimistic lock (core.locking)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import LockedModelForm
from ris3hub.registry.models import Competence, Equipment, Organisation, Service


class OrganisationForm(LockedModelForm):
    """What an organisation's editors may change. Identifiers (PIC, VAT, ROR) and the region come from the
    sources records are matched on; the managing authority changes them in the admin."""

    trl = forms.TypedChoiceField(label=_("Technology readiness (TRL)"), required=False, coerce=int, empty_value=None,
                                 choices=[("", "—"), *((n, str(n)) for n in range(1, 10))])
    website = forms.URLField(label=_("Website"), required=False, max_length=300, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "is_sme", "website", "street", "postcode", "city", "country",
                  "description", "description_it", "trl", "looking_for", "contact_person", "contact_email",
                  "contact_phone"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_it": forms.Textarea(attrs={"rows": 6}),
            "country": forms.TextInput(attrs={"size": 2, "maxlength": 2, "autocapitalize": "characters"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {
            "country": _("Two-letter code, e.g. IT"),
            "contact_person": _("Shown only to the organisation's editors, its networks' coordinators, "
                                "analysts and administrators"),
        }

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("The name is required."))
        return name

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise forms.ValidationError(_("Give the two-letter country code, e.g. IT."))
        return country


class OrganisationChildForm(LockedModelForm):
    """A record that belongs to one organisation, unique by name within it."""

    duplicate_message = _("%(organisation)s already has a record named '%(name)s'.")

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("The name is required."))
        taken = type(self.instance)._default_manager.filter(organisation=self.organisation, name=name)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(self.duplicate_message % {"organisation": self.organisation, "name": name})
        return name


class EquipmentForm(OrganisationChildForm):
    duplicate_message = _("%(organisation)s already lists the equipment '%(name)s'.")

    class Meta:
        model = Equipment
        fields = ["name", "description", "location", "access", "conditions", "booking_contact"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "conditions": forms.Textarea(attrs={"rows": 3})}


class ServiceForm(OrganisationChildForm):
    duplicate_message = _("%(organisation)s already offers the service '%(name)s'.")

    class Meta:
        model = Service
        fields = ["category", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class CompetenceForm(OrganisationChildForm):
    duplicate_message = _("%(organisation)s already has the competence '%(name)s'.")

    class Meta:
        model = Competence
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

