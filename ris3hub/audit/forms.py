from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub.audit.registration import followed_models


def model_choices() -> list[tuple[str, str]]:
    models = sorted(followed_models(), key=lambda m: (m._meta.app_config.verbose_name, str(m._meta.verbose_name)))
    return [("", _("any record"))] + [
        (m._meta.label_lower, f"{m._meta.app_config.verbose_name} · {m._meta.verbose_name}") for m in models]


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    object = forms.CharField(label=_("Record id"), required=False, max_length=64)
    user = forms.CharField(label=_("User"), required=False, max_length=150,
                           help_text=_("User name or email; 'system' for commands and imports"))
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("any action")), ("0", _("created")), ("1", _("changed")),
                                        ("2", _("deleted"))])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = model_choices()

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
