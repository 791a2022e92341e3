"""The forms of the search, need, team and partner pages (all GET: results have a shareable URL)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub import conf
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.search.documents import KINDS
from ris3hub.search.filters import Filters
from ris3hub.search.matching import MODES

KIND_LABELS = {
    "organisation": _("organisations"), "laboratory": _("laboratories"), "technopole": _("technopoles"),
    "spinoff": _("spin-offs and start-ups"), "competence": _("competences"), "equipment": _("equipment"),
    "service": _("services"), "project": _("projects"), "priority": _("S3 priorities"), "call": _("calls"),
}
KIND_NAMES = {
    "organisation": _("organisation"), "laboratory": _("laboratory"), "technopole": _("technopole"),
    "spinoff": _("spin-off"), "competence": _("competence"), "equipment": _("equipment"), "service": _("service"),
    "project": _("project"), "priority": _("S3 priority"), "call": _("call"),
}
MODE_LABELS = {"r2b": _("research to business: laboratories, universities, spin-offs, research projects"),
               "b2b": _("business to business: companies"),
               "f2b": _("finance to business: start-ups looking for investors")}


def clean_region_code(value: str) -> str:
    code = (value or "").strip().upper()
    if code and not Region.objects.filter(version=conf.nuts_version(), code=code).exists():
        raise forms.ValidationError(_("%(code)s is not a NUTS %(version)s region code (e.g. ITH5, ITH55)"),
                                    params={"code": code, "version": conf.nuts_version()})
    return code


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), max_length=500,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. sensori per l'agricoltura di precisione")}))
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=[(k, KIND_LABELS[k]) for k in KINDS],
                                     widget=forms.CheckboxSelectMultiple)
    region = forms.CharField(label=_("NUTS region (with its sub-regions)"), required=False, max_length=9)
    country = forms.CharField(label=_("Country"), required=False, max_length=2,
                              widget=forms.TextInput(attrs={"placeholder": "IT"}))
    domain = forms.IntegerField(label=_("Domain"), required=False, widget=forms.HiddenInput)
    sme = forms.ChoiceField(label=_("SME"), required=False,
                            choices=[("", _("any")), ("yes", _("yes")), ("no", _("no"))])
    trl = forms.IntegerField(label=_("TRL at least"), required=False, min_value=1, max_value=9)

    def clean_region(self):
        return clean_region_code(self.cleaned_data["region"])

    def clean_country(self):
        return (self.cleaned_data["country"] or "").strip().upper()

    def filters(self) -> Filters:
        d = self.cleaned_data
        return Filters(kinds=tuple(d["kind"]), region=d["region"], countries=(d["country"],) if d["country"] else (),
                       domains=(d["domain"],) if d["domain"] else (),
                       is_sme={"yes": True, "no": False}.get(d["sme"]), trl_min=d["trl"])


class NeedForm(forms.Form):
    text = forms.CharField(label=_("Describe your need, in Italian or English"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4, "placeholder": _(
                               "e.g. Cerchiamo un laboratorio per test di durata di imballaggi alimentari")}))
    mode = forms.ChoiceField(label=_("Whom to match"), choices=list(MODE_LABELS.items()), initial="r2b",
                             widget=forms.RadioSelect)
    region = forms.CharField(label=_("Your NUTS region (for distances)"), required=False, max_length=9)
    within = forms.CharField(label=_("Only offers from the NUTS region"), required=False, max_length=9)
    organisation = forms.IntegerField(label=_("Your organisation (id)"), required=False, min_value=1)

    def clean_region(self):
        return clean_region_code(self.cleaned_data["region"])

    def clean_within(self):
        return clean_region_code(self.cleaned_data["within"])

    def clean_organisation(self):
        pk = self.cleaned_data["organisation"]
        if pk is None:
            return None
        org = Organisation.objects.select_related("region").filter(pk=pk).first()
        if org is None:
            raise forms.ValidationError(_("no organisation has the id %(id)s"), params={"id": pk})
        return org

    def mode_choice(self) -> str:
        return self.cleaned_data["mode"] if self.cleaned_data["mode"] in MODES else "r2b"


class TeamForm(forms.Form):
    challenge = forms.CharField(label=_("The challenge"), required=False, max_length=6000,
                                widget=forms.Textarea(attrs={"rows": 4}))
    competences = forms.CharField(
        label=_("Competences needed, one a line (left empty: taken from the challenge's text)"), required=False,
        max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    regions = forms.CharField(label=_("Within the NUTS regions (comma-separated, empty: anywhere)"), required=False,
                              max_length=200)
    max_size = forms.IntegerField(label=_("Organisations a team at most"), min_value=2, max_value=5, initial=4,
                                  required=False)

    def clean_regions(self):
        return [clean_region_code(c) for c in (self.cleaned_data["regions"] or "").split(",") if c.strip()]

    def clean(self):
        data = super().clean()
        if not (data.get("challenge") or "").strip() and not (data.get("competences") or "").strip():
            raise forms.ValidationError(_("Write the challenge or list the competences it needs."))
        return data

    def competence_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in (self.cleaned_data["competences"] or "").splitlines() if line.strip(" -•\t")]


class PartnerForm(forms.Form):
    region = forms.CharField(label=_("Your NUTS region"), max_length=9,
                             widget=forms.TextInput(attrs={"placeholder": "ITH5"}))
    priority = forms.CharField(label=_("Priority: a code of the region's strategy, or a text"), required=False,
                               max_length=500)
    country = forms.CharField(label=_("Partners only from the country"), required=False, max_length=2)

    def clean_region(self):
        code = clean_region_code(self.cleaned_data["region"])
        if not code:
            raise forms.ValidationError(_("Give a NUTS region code."))
        return code

    def clean_country(self):
        return (self.cleaned_data["country"] or "").strip().upper()
