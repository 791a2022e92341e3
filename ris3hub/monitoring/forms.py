"""Forms of the monitoring pages. A report's values are checked by the round's FieldSpecs (the same
checks as an upload), not by Django field types, so that the web and the spreadsheet agree."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import LockedRecordFormMixin
from ris3hub.monitoring.reporting import FIELD_TYPES, FieldSpec, check_values
from ris3hub.monitoring.uploads import ALLOWED, MAX_BYTES
from ris3hub.security.uploads import UploadField
from ris3hub.strategies.models import Strategy

TYPE_CHOICES = [(code, _(label)) for code, label in FIELD_TYPES.items()]


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    network = forms.ModelChoiceField(label=_("Network"), queryset=None,
                                     help_text=_("Its current members each get a report to fill in"))
    strategy = forms.ModelChoiceField(label=_("Strategy"), queryset=Strategy.objects.select_related("region"),
                                      required=False,
                                      help_text=_("Its indicators read the approved values of the report fields"))
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("A year (2025) or a quarter (2025-Q3)"))
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput)
    reminder_days = forms.CharField(label=_("Reminders"), max_length=40, initial="7,1",
                                    help_text=_("Days before the deadline, comma-separated"))

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks.order_by("name")


class FieldDefinitionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, required=False,
                           help_text=_("a-z, 0-9 and _, e.g. research_contracts"))
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, initial="int", required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    help = forms.CharField(label=_("Help"), max_length=300, required=False)
    choices = forms.CharField(label=_("Choices"), max_length=500, required=False,
                              help_text=_("For a choice: the choices, separated by ';'"))

    def definition(self) -> dict | None:
        data = self.cleaned_data
        if not data or not (data.get("name") or data.get("label")):
            return None
        return {"name": data["name"].strip(), "label": data["label"].strip(), "type": data["type"],
                "required": data["required"], "help": data["help"].strip(),
                "choices": [c.strip() for c in data["choices"].split(";") if c.strip()]}


FieldDefinitionFormSet = formset_factory(FieldDefinitionForm, extra=5, max_num=40)


def _widget(spec: FieldSpec) -> forms.Widget:
    if spec.type == "int":
        return forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"})
    if spec.type == "decimal":
        return forms.TextInput(attrs={"inputmode": "decimal"})
    if spec.type == "date":
        return DateInput()
    if spec.type == "choice":
        return forms.Select(choices=[("", "—"), *((c, c) for c in spec.choices)])
    return forms.Textarea(attrs={"rows": 3})


class SubmissionForm(LockedRecordFormMixin, forms.Form):
    """The round's fields; ``complete`` (submitting) makes the required ones required; ``record=`` the
    submission (the optimistic lock: a save made from a page older than the stored report is refused)."""

    def __init__(self, *args, specs: list[FieldSpec], complete: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = specs
        self.complete = complete
        for spec in specs:
            help_text = spec.help
            self.fields[spec.name] = forms.CharField(label=spec.label, required=False, help_text=help_text,
                                                     widget=_widget(spec), strip=True)
            self.fields[spec.name].spec = spec

    def clean(self):
        data = super().clean()
        values, problems = check_values(self.specs, data, complete=self.complete)
        for name, reason in problems.items():
            self.add_error(name, reason)
        self.values = values
        return data


class UploadForm(forms.Form):
    file = UploadField(label=_("Spreadsheet"), extensions=ALLOWED, max_bytes=MAX_BYTES,
                       help_text=_("The round's template (.xlsx) or a CSV with the same columns, at most 2 MB"))


class RequestChangesForm(forms.Form):
    message = forms.CharField(label=_("What should be corrected"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)
