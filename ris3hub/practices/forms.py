"""Forms of the good-practice library and the workshop calendar."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub import conf
from ris3hub.core.locking import LockedFormMixin
from ris3hub.practices.models import GoodPractice, Workshop, WorkshopRegistration
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.taxonomy.models import Concept


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"{region.code} {region.name_latn}"


class PracticeForm(LockedFormMixin, forms.ModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), required=False, label=_("region"))
    main_institution = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("main institution"), widget=forms.NumberInput,
        help_text=_("The registry id of the organisation (shown in its page address)"))

    class Meta:
        model = GoodPractice
        fields = ["title", "summary", "description", "resources_needed", "timescale", "evidence_of_success",
                  "difficulties", "potential_for_transfer", "topics", "keywords", "region", "main_institution",
                  "start_date", "end_date", "author_name", "author_email", "expert_opinion", "published"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "resources_needed": forms.Textarea(attrs={"rows": 3}),
            "evidence_of_success": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "potential_for_transfer": forms.Textarea(attrs={"rows": 3}),
            "expert_opinion": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "topics": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (Region.objects.filter(version=conf.nuts_version(), level__lte=2)
                                          .order_by("code"))
        self.fields["main_institution"].queryset = Organisation.objects.all()
        self.fields["topics"].queryset = (Concept.objects.select_related("scheme")
                                          .order_by("scheme__name", "path", "label"))
        self.fields["topics"].required = False

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    topic = forms.ModelChoiceField(queryset=Concept.objects.none(), required=False, label=_("Topic"))
    region = RegionChoiceField(queryset=Region.objects.none(), required=False, label=_("Region"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = (Concept.objects.filter(good_practices__isnull=False).distinct()
                                         .order_by("label"))
        self.fields["region"].queryset = Region.objects.filter(good_practices__isnull=False).distinct().order_by("code")


class WorkshopForm(LockedFormMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("online link"), required=False, max_length=300, assume_scheme="https")

    class Meta:
        model = Workshop
        fields = ["title", "kind", "description", "practices", "starts", "ends", "place", "online_url", "capacity",
                  "published"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = WorkshopRegistration
        fields = ["name", "email", "organisation"]
