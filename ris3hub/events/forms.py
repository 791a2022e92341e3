"""Forms of the event pages. They check what a person typed; the actions check the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import LockedRecordFormMixin
from ris3hub.events.actions import Entry
from ris3hub.events.models import Cooperation, Event, MarketplaceEntry, ParticipationType, Registration, Session

ENTRY_FORMS = 4


class RegistrationForm(forms.Form):
    """The profile a participant registers with; account fields only for people not logged in."""

    person_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False,
                               help_text=_("To log in later and answer your meeting requests"))
    organisation_name = forms.CharField(label=_("Organisation"), max_length=400)
    participation_type = forms.ModelChoiceField(label=_("I take part as"), queryset=ParticipationType.objects.none(),
                                                empty_label=None)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Registration.Attendance.choices,
                                   widget=forms.RadioSelect, initial=Registration.Attendance.ONSITE)
    sessions = forms.ModelMultipleChoiceField(label=_("Sessions I attend"), queryset=Session.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple,
                                              help_text=_("None chosen: every session"))
    bio = forms.CharField(label=_("About you and your organisation"), widget=forms.Textarea(attrs={"rows": 4}),
                          required=False)
    consent_terms = forms.BooleanField(label=_("I agree that the organisers process these data to run the event"))
    consent_listing = forms.BooleanField(label=_("List my profile in the event's marketplace"), required=False,
                                         initial=True)
    consent_contact = forms.BooleanField(label=_("Share my email with the participants whose meetings I accept"),
                                         required=False)

    def __init__(self, *args, event: Event, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["participation_type"].queryset = event.participation_types.all()
        self.fields["sessions"].queryset = event.sessions.all()
        if user is not None and user.is_authenticated:
            del self.fields["password"]
            self.fields["email"].initial = user.email
            self.fields["person_name"].initial = user.get_full_name() or user.first_name
        else:
            self.fields["password"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password)
        return password


class ProfileForm(LockedRecordFormMixin, forms.Form):
    """What a participant may change after registering (``record=`` the registration: the optimistic lock)."""

    person_name = forms.CharField(label=_("Your name"), max_length=200)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=400)
    attendance = forms.ChoiceField(label=_("Attendance"), choices=Registration.Attendance.choices,
                                   widget=forms.RadioSelect)
    sessions = forms.ModelMultipleChoiceField(label=_("Sessions I attend"), queryset=Session.objects.none(),
                                              required=False, widget=forms.CheckboxSelectMultiple,
                                              help_text=_("None chosen: every session"))
    bio = forms.CharField(label=_("About you and your organisation"), widget=forms.Textarea(attrs={"rows": 4}),
                          required=False)
    consent_listing = forms.BooleanField(label=_("List my profile in the event's marketplace"), required=False)
    consent_contact = forms.BooleanField(label=_("Share my email with the participants whose meetings I accept"),
                                         required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = event.sessions.all()


class EntryForm(forms.Form):
    """A row of the entry formset; a row without a title is left out (emptying the title removes an entry)."""

    kind = forms.ChoiceField(label=_("Offer or request"), choices=MarketplaceEntry.Kind.choices,
                             initial=MarketplaceEntry.Kind.OFFER)
    cooperation = forms.ChoiceField(label=_("Cooperation"), choices=Cooperation.choices,
                                    initial=Cooperation.TECHNICAL)
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("An entry without a title is left out"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("description", "").strip() and not data.get("title", "").strip():
            self.add_error("title", _("Give the entry a title (or empty its description to leave it out)."))
        return data

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(data["kind"], data["title"], data["description"], data["cooperation"])


EntryFormSet = forms.formset_factory(EntryForm, extra=ENTRY_FORMS, max_num=12)


def entries_of(formset) -> list[Entry]:
    """The entries of a valid formset that have a title (rows without one are left out)."""
    return [form.entry() for form in formset if form.cleaned_data.get("title", "").strip()]


class MessageForm(forms.Form):
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              max_length=2000)


class MarketplaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Entries"), required=False,
                             choices=[("", _("offers and requests")), *MarketplaceEntry.Kind.choices])
    cooperation = forms.ChoiceField(label=_("Cooperation"), required=False,
                                    choices=[("", _("any cooperation")), *Cooperation.choices])
    participation_type = forms.ModelChoiceField(label=_("Participant type"), required=False,
                                                queryset=ParticipationType.objects.none(),
                                                empty_label=_("any type"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participation_type"].queryset = event.participation_types.all()


class ScheduleForm(forms.Form):
    time_limit = forms.IntegerField(label=_("Time limit (seconds)"), min_value=1, max_value=120, initial=10)


class ValidationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("validate", _("validate")), ("reject", _("reject"))])
    note = forms.CharField(label=_("Note to the participant"), required=False, max_length=500)


class FollowUpForm(forms.Form):
    held = forms.TypedChoiceField(label=_("Did the meeting take place?"), coerce=lambda v: v == "yes",
                                  choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect)
    agreement = forms.BooleanField(label=_("We reached an agreement"), required=False)
    agreement_type = forms.ChoiceField(label=_("Kind of agreement"), required=False,
                                       choices=[("", "—"), *Cooperation.choices])
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=500)
