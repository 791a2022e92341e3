"""Forms of consultations: the staff's consultation and question forms, and the public answer form
built from a consultation's questions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ris3hub.consultation.actions import RESERVED_SLUGS, check_question, ranking_options
from ris3hub.consultation.models import Consultation, Question
from ris3hub.core.locking import LockedFormMixin

ORDINALS = [_("1st"), _("2nd"), _("3rd"), _("4th"), _("5th"), _("6th"), _("7th"), _("8th"), _("9th"), _("10th")]


class ConsultationForm(LockedFormMixin, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["title", "slug", "description", "strategy", "opens", "closes", "identity", "consent_text",
                  "published"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "consent_text": forms.Textarea(attrs={"rows": 3}),
            "opens": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("The consultation's public address; made from the title when empty")
        self.fields["strategy"].queryset = self.fields["strategy"].queryset.select_related("region")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This link is the address of another page; choose another."))
        return slug

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The consultation must close after it opens."))
        return data


class QuestionForm(LockedFormMixin, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["position", "kind", "text", "help_text", "required", "options", "ranked"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "options": forms.Textarea(attrs={"rows": 3}),
                   "position": forms.NumberInput(attrs={"min": 1})}


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self.can_delete and self._should_delete_form(form) or form.errors:
                continue
            question = form.save(commit=False)
            question.consultation = self.instance
            try:
                check_question(question)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field, messages)


QuestionFormSet = inlineformset_factory(Consultation, Question, form=QuestionForm, formset=BaseQuestionFormSet,
                                        extra=2, can_delete=True)


def field_name(question: Question, place: int | None = None) -> str:
    return f"q{question.pk}" if place is None else f"q{question.pk}_{place}"


class AnswerForm(forms.Form):
    """One field per question (a ranking: one choice field per place), and the consent box."""

    def __init__(self, consultation: Consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.questions = list(consultation.questions.all())
        self.layout: list[tuple[Question, list[str]]] = []
        for q in self.questions:
            names = []
            if q.kind == Question.Kind.OPEN:
                self.fields[field_name(q)] = forms.CharField(
                    label=q.text, help_text=q.help_text, required=q.required, max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}))
                names.append(field_name(q))
            elif q.kind == Question.Kind.SINGLE:
                self.fields[field_name(q)] = forms.ChoiceField(
                    label=q.text, help_text=q.help_text, required=q.required, widget=forms.RadioSelect,
                    choices=[(o, o) for o in q.option_list()])
                names.append(field_name(q))
            elif q.kind == Question.Kind.MULTIPLE:
                self.fields[field_name(q)] = forms.MultipleChoiceField(
                    label=q.text, help_text=q.help_text, required=q.required, widget=forms.CheckboxSelectMultiple,
                    choices=[(o, o) for o in q.option_list()])
                names.append(field_name(q))
            else:
                options = ranking_options(q)
                places = min(q.ranked, len(options), len(ORDINALS))
                for place in range(places):
                    self.fields[field_name(q, place)] = forms.ChoiceField(
                        label=ORDINALS[place], required=q.required and place == 0,
                        choices=[("", "—")] + options)
                    names.append(field_name(q, place))
            self.layout.append((q, names))
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree"), required=True,
            error_messages={"required": _("Your answers can only be stored with your consent.")})

    def rows(self):
        """(question, bound fields) in order, for the template."""
        return [(q, [self[name] for name in names]) for q, names in self.layout]

    def clean(self):
        data = super().clean()
        for q, names in self.layout:
            if q.kind != Question.Kind.RANKING:
                continue
            chosen = [data.get(name) for name in names if data.get(name)]
            if len(set(chosen)) != len(chosen):
                self.add_error(names[0], _("Rank each priority once."))
        return data

    def values(self) -> dict[int, object]:
        """The answers by question id, as actions.submit_response takes them."""
        out = {}
        for q, names in self.layout:
            if q.kind == Question.Kind.RANKING:
                out[q.pk] = [self.cleaned_data[name] for name in names if self.cleaned_data.get(name)]
            else:
                out[q.pk] = self.cleaned_data.get(names[0])
        return out


class ThemeRunForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    themes = forms.IntegerField(label=_("Themes"), required=False, min_value=1, max_value=40,
                                help_text=_("Empty: chosen from the answers"))
