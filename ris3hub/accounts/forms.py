"""The forms of the site login, sign-up, editor requests and account deletion."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from ris3hub.registry.models import Organisation
from ris3hub.registry.names import normalise_name


class LoginForm(AuthenticationForm):
    """Sign in with the user name or the e-mail address, whatever its case.

    People who registered for an event have an account named by their lower-cased e-mail; others may type
    the e-mail of their account instead of its name when exactly one active account has it.
    """

    username = forms.CharField(label=_("User name or e-mail"), max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if "@" not in username:
            return username
        User = get_user_model()
        lowered = username.lower()
        if User.objects.filter(username=lowered).exists():
            return lowered
        names = list(User.objects.filter(email__iexact=username, is_active=True).values_list("username", flat=True)[:2])
        return names[0] if len(names) == 1 else lowered


class SignUpForm(UserCreationForm):
    """A registered user: user name, e-mail and a password that passes the site's password validators."""

    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             help_text=_("For password resets and the notices of your organisation's reports."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email", "first_name", "last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail already exists: sign in, or reset its "
                                          "password."))
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if "@" in username:
            raise forms.ValidationError(_("Choose a user name without '@' (the e-mail goes in its own field)."))
        return super().clean_username()


def find_organisation(text: str) -> Organisation:
    """The organisation typed as its id or its exact name; a ValidationError a person can act on otherwise."""
    text = text.strip()
    if text.isdigit():
        organisation = Organisation.objects.filter(pk=int(text)).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation has the id %(id)s.") % {"id": text})
        return organisation
    matches = list(Organisation.objects.filter(normalised_name=normalise_name(text)).order_by("pk")[:6])
    if not matches:
        raise forms.ValidationError(_("No organisation is named '%(name)s' in the registry. Type its exact name, "
                                      "or its id (the number in the address of its page).") % {"name": text[:200]})
    if len(matches) > 1:
        ids = ", ".join(f"{o.pk} ({o.city or o.get_kind_display()})" for o in matches[:5])
        raise forms.ValidationError(_("Several organisations are named '%(name)s': type the id of yours: %(ids)s.")
                                    % {"name": text[:200], "ids": ids})
    return matches[0]


class EditorRequestForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"), max_length=400,
        help_text=_("Its exact name in the registry, or its id (the number in the address of its page)."))
    message = forms.CharField(
        label=_("Who you are in the organisation"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your position, so that a coordinator of its network or an administrator can check it."))

    def clean_organisation(self):
        return find_organisation(self.cleaned_data["organisation"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note to the person"), required=False, max_length=2000)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


