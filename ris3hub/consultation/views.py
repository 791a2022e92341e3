"""Pages of consultations: the public answer page reached by the consultation's link, and for staff
the list, the create and edit form, the results with themes and charts, and the reports.

Each view asks ris3hub.consultation.permissions who may see or do what and writes through the
actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ris3hub.consultation import actions, charts, permissions
from ris3hub.core.locking import StaleObjectError
from ris3hub.consultation.forms import AnswerForm, ConsultationForm, QuestionFormSet, ThemeRunForm
from ris3hub.consultation.models import Consultation, Question
from ris3hub.consultation.reports import answers_xlsx, report_pdf
from ris3hub.consultation.summary import summarise



def _manager(request, slug=None, read_only=False):
    """The consultation named by ``slug`` (None without one) for an administrator (or an analyst when
    ``read_only``); else a redirect to sign in, or PermissionDenied."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    allowed = permissions.can_read_results if read_only else permissions.can_manage
    if not allowed(request.user):
        raise PermissionDenied(_("Only administrators manage consultations; analysts read their results.")
                               if read_only else _("Only administrators manage consultations."))
    return (get_object_or_404(Consultation, slug=slug) if slug else None), None


def consultation_list(request):
    manager = permissions.can_manage(request.user)
    consultations = Consultation.objects.all() if manager else Consultation.objects.filter(published=True)
    return render(request, "consultation/consultation_list.html", {
        "consultations": consultations.select_related("strategy"), "can_manage": manager,
    })


def consultation_edit(request, slug=None):
    consultation, refusal = _manager(request, slug)
    if refusal:
        return refusal
    form = ConsultationForm(request.POST or None, instance=consultation)
    formset = QuestionFormSet(request.POST or None, instance=consultation or Consultation())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = _save_consultation(request, form, formset)
        except StaleObjectError as stale:  # someone saved it since this page was loaded: nothing is overwritten
            refused = next((f for f in [form, *formset.forms] if f.instance is stale.instance), form)
            refused.refuse_stale(stale.current)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("consultation:results", slug=saved.slug)
    return render(request, "consultation/consultation_form.html", {
        "form": form, "formset": formset, "consultation": consultation,
    })


@transaction.atomic
def _save_consultation(request, form, formset) -> Consultation:
    """The consultation and its questions, all or nothing (StaleObjectError when one changed meanwhile)."""
    saved = form.save(commit=False)
    if not saved.slug:
        saved.slug = actions.unique_slug(saved.title)
    if saved.created_by_id is None:
        saved.created_by = request.user
    saved.save()
    formset.instance = saved
    formset.save()
    if saved.published and not saved.questions.exists():
        actions.publish(saved, False)
        messages.warning(request, _("Saved as a draft: a consultation without questions cannot be published."))
    return saved


def answer(request, slug):
    consultation = get_object_or_404(Consultation.objects.select_related("strategy"), slug=slug)
    if not permissions.can_view(request.user, consultation):
        raise Http404(_("No such consultation."))
    refusal = permissions.answer_refusal(request.user, consultation)
    form = AnswerForm(consultation, request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            actions.submit_response(consultation, form.values(), consent=form.cleaned_data["consent"],
                                    user=request.user if request.user.is_authenticated else None,
                                    language=get_language() or "")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, problems in error.message_dict.items():
                    target = key if key in form.fields else f"q{key}" if f"q{key}" in form.fields else None
                    form.add_error(target, problems)
            else:
                form.add_error(None, error)
        else:
            return redirect("consultation:thanks", slug=consultation.slug)
    return render(request, "consultation/answer.html", {
        "consultation": consultation, "form": form, "refusal": refusal,
        "can_manage": permissions.can_manage(request.user),
    })


def thanks(request, slug):
    consultation = get_object_or_404(Consultation, slug=slug, published=True)
    return render(request, "consultation/thanks.html", {"consultation": consultation})


def _figures(summary):
    answers, points = _("answers"), _("Borda points")
    for q in summary.questions:
        if q.themes:
            q.figure = charts.theme_sizes(q.themes, answers)
        elif q.counts:
            q.figure = charts.choice_counts(q.counts, answers)
        elif q.scores:
            q.figure = charts.ranking_scores(q.scores, points)
        else:
            q.figure = None
    return summary


def results(request, slug):
    consultation, refusal = _manager(request, slug, read_only=True)
    if refusal:
        return refusal
    summary = _figures(summarise(consultation))
    return render(request, "consultation/results.html", {
        "consultation": consultation, "summary": summary,
        "link": request.build_absolute_uri(consultation.get_absolute_url()),
        "can_manage": permissions.can_manage(request.user),
    })


@require_POST
def run_themes(request, slug):
    consultation, refusal = _manager(request, slug)
    if refusal:
        return refusal
    form = ThemeRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("consultation:results", slug=slug)
    question = get_object_or_404(Question, pk=form.cleaned_data["question"], consultation=consultation)
    try:
        run = actions.run_themes(question, form.cleaned_data["themes"], created_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)d themes found in %(m)d answers.") % {
            "n": run.themes.count(), "m": run.answers})
    return redirect(reverse("consultation:results", args=[slug]) + f"#question-{question.pk}")


def report(request, slug):
    consultation, refusal = _manager(request, slug, read_only=True)
    if refusal:
        return refusal
    return render(request, "consultation/report.html", {
        "consultation": consultation, "summary": _figures(summarise(consultation)),
    })


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def report_pdf_view(request, slug):
    consultation, refusal = _manager(request, slug, read_only=True)
    if refusal:
        return refusal
    return _download(report_pdf(summarise(consultation)), "application/pdf", f"{consultation.slug}-report.pdf")


def answers_xlsx_view(request, slug):
    consultation, refusal = _manager(request, slug, read_only=True)
    if refusal:
        return refusal
    return _download(answers_xlsx(consultation),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{consultation.slug}-answers.xlsx")
