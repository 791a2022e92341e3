"""The summary report of a consultation as PDF (ris3hub.core.pdf) and its answers as XLSX, each
answer of an open question with the theme the latest analysis put it in."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ris3hub.consultation.actions import ranking_options
from ris3hub.consultation.charts import bars_png
from ris3hub.consultation.models import Consultation, Question, Theme
from ris3hub.consultation.summary import ConsultationSummary, latest_run
from ris3hub.core.charts import KIND_COLOURS
from ris3hub.core.exports import neutralise
from ris3hub.core.pdf import Report

CONSULTATION_FOOTER = "ris3hub · public consultation report"


def report_pdf(summary: ConsultationSummary) -> bytes:
    consultation = summary.consultation
    period = consultation.opens.strftime("%d/%m/%Y")
    if consultation.closes:
        period += " – " + consultation.closes.strftime("%d/%m/%Y")
    report = Report(consultation.title, subtitle=_("Summary of the answers, %(date)s") % {
        "date": timezone.localtime().strftime("%d/%m/%Y")}, footer=CONSULTATION_FOOTER)
    facts = [(_("Open"), period), (_("Responses"), summary.responses),
             (_("Anonymous responses"), summary.anonymous)]
    if consultation.strategy:
        facts.append((_("Strategy"), consultation.strategy.title))
    report.key_values(facts)
    if consultation.description:
        report.paragraph(consultation.description)
    for number, q in enumerate(summary.questions, 1):
        report.heading(f"{number}. {q.question.text}")
        report.paragraph(_("%(n)d answers · %(kind)s") % {"n": q.answered, "kind": q.question.get_kind_display()},
                         italic=True)
        if q.counts:
            report.image(bars_png([o for o, _ in q.counts], [n for _, n in q.counts], _("answers"), KIND_COLOURS[2]),
                         width=170)
        elif q.scores:
            report.image(bars_png([label for label, _, _ in q.scores], [p for _, p, _ in q.scores],
                                  _("Borda points"), KIND_COLOURS[1]), width=170)
            report.table([_("Priority"), _("Points"), _("First places")], q.scores, widths=(120, 30, 30),
                         align_right=(1, 2))
        elif q.themes:
            report.image(bars_png([f"{t.number}. {t.label}" for t in q.themes], [t.size for t in q.themes],
                                  _("answers")), width=170)
            for theme in q.themes:
                report.heading(_("Theme %(n)d: %(label)s (%(size)d answers)") % {
                    "n": theme.number, "label": theme.label, "size": theme.size})
                report.paragraph(_("Keywords: %(k)s") % {"k": ", ".join(theme.keywords)})
                if theme.priorities:
                    report.paragraph(_("Closest priorities: %(p)s") % {
                        "p": "; ".join(f"{code} {title}" for code, title, _s in theme.priorities)})
                for quote in theme.quotes:
                    report.paragraph(f"“{quote}”", italic=True)
        elif q.kind == Question.Kind.OPEN:
            report.paragraph(_("The answers have not been grouped into themes yet."))
    return report.output()


def answers_xlsx(consultation: Consultation) -> bytes:
    """Sheet "answers": one row a response, one column an answer (and its theme for open
    questions); sheet "themes": each theme of the latest analysis of each open question."""
    questions = list(consultation.questions.all())
    runs = {q.pk: latest_run(q) for q in questions if q.kind == Question.Kind.OPEN}
    theme_of: dict[int, str] = {}
    for run in filter(None, runs.values()):
        for theme in Theme.objects.filter(run=run).prefetch_related("answers"):
            for answer in theme.answers.all():
                theme_of[answer.pk] = f"{theme.number}. {theme.label}"
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    header = [_("response"), _("submitted"), _("signed in as")]
    for number, q in enumerate(questions, 1):
        header.append(f"Q{number} {q.text}"[:120])
        if q.kind == Question.Kind.OPEN:
            header.append(f"Q{number} {_('theme')}")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = {}
    for q in questions:
        if q.kind == Question.Kind.RANKING:
            labels[q.pk] = dict(ranking_options(q))
    responses = consultation.responses.select_related("user").prefetch_related("answers").order_by("submitted", "id")
    for response in responses:
        by_question = {a.question_id: a for a in response.answers.all()}
        row = [response.pk, timezone.localtime(response.submitted).replace(tzinfo=None),
               neutralise(response.user.get_username()) if response.user else ""]  # usernames may start with + - @
        for q in questions:
            answer = by_question.get(q.pk)
            if q.kind == Question.Kind.OPEN:
                row += [neutralise(answer.text) if answer else "",
                        neutralise(theme_of.get(answer.pk, "")) if answer else ""]
            elif q.kind == Question.Kind.RANKING:
                row.append(neutralise(" > ".join(labels[q.pk].get(str(c), str(c)) for c in answer.choices))
                           if answer else "")
            else:
                row.append(neutralise("; ".join(answer.choices)) if answer else "")
        sheet.append(row)
    themes = book.create_sheet("themes")
    themes.append([_("question"), _("theme"), _("label"), _("keywords"), _("answers"), _("closest priorities")])
    for cell in themes[1]:
        cell.font = Font(bold=True)
    for q in questions:
        run = runs.get(q.pk)
        if run is None:
            continue
        for theme in Theme.objects.filter(run=run).prefetch_related("priority_links__priority").order_by("number"):
            closest = "; ".join(f"{link.priority.code} {link.priority.title}" for link in theme.priority_links.all())
            themes.append([neutralise(q.text[:200]), theme.number, neutralise(theme.label),
                           neutralise(", ".join(theme.keywords)), theme.size, neutralise(closest)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
