from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub.tokens.actions import MAX_NAME
from ris3hub.tokens.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME,
                           help_text=_("What the token is for, e.g. 'nightly sync of our equipment'"))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=[Scope.READ],
                                       help_text=_("What programs holding the token may do on your behalf"))
    expires_days = forms.IntegerField(label=_("Expires after (days)"), required=False, min_value=1, max_value=3650,
                                      initial=90, help_text=_("Empty: never expires"))
