"""What a consultation's answers say, question by question: counts of choices, Borda scores of
ranked priorities, and the themes of the latest analysis of each open question. One summary feeds
the results page, the HTML and PDF reports and the XLSX export."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ris3hub.consultation.actions import ranking_options
from ris3hub.consultation.models import Consultation, Question, Theme, ThemeRun


@dataclass
class ThemeSummary:
    number: int
    label: str
    keywords: list[str]
    size: int
    quotes: list[str]
    priorities: list[tuple[str, str, float]]  # (code, title, cosine)


@dataclass
class QuestionSummary:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)  # choice questions: (option, count)
    scores: list[tuple[str, int, int]] = field(default_factory=list)  # ranking: (label, Borda points, first places)
    run: ThemeRun | None = None
    themes: list[ThemeSummary] = field(default_factory=list)
    unthemed: int = 0  # open answers given after the latest theme analysis

    @property
    def kind(self) -> str:
        return self.question.kind


@dataclass
class ConsultationSummary:
    consultation: Consultation
    responses: int
    anonymous: int
    questions: list[QuestionSummary]


def borda(rankings: list[list], options: list[tuple[str, str]]) -> list[tuple[str, int, int]]:
    """Borda points of each option: in a ranking of r places the first gets r points, the last 1;
    with the number of first places. Best first.

    >>> borda([["a", "b"], ["b"], ["b", "a"]], [("a", "A"), ("b", "B"), ("c", "C")])
    [('B', 4, 2), ('A', 3, 1), ('C', 0, 0)]
    """
    points, firsts = Counter(), Counter()
    for ranking in rankings:
        for place, value in enumerate(ranking):
            points[str(value)] += len(ranking) - place
        if ranking:
            firsts[str(ranking[0])] += 1
    rows = [(label, points[value], firsts[value]) for value, label in options]
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))


def latest_run(question: Question) -> ThemeRun | None:
    return question.theme_runs.order_by("-created", "-id").first()


def theme_summaries(run: ThemeRun) -> list[ThemeSummary]:
    themes = (Theme.objects.filter(run=run).order_by("number")
              .prefetch_related("representative_links__answer", "priority_links__priority"))
    return [ThemeSummary(
        number=t.number, label=t.label, keywords=list(t.keywords), size=t.size,
        quotes=[link.answer.text for link in t.representative_links.all()],
        priorities=[(link.priority.code, link.priority.title, link.similarity) for link in t.priority_links.all()],
    ) for t in themes]


def summarise(consultation: Consultation) -> ConsultationSummary:
    responses = consultation.responses.count()
    anonymous = consultation.responses.filter(user__isnull=True).count()
    out = []
    for question in consultation.questions.all():
        answers = list(question.answers.values_list("text", "choices"))
        summary = QuestionSummary(question=question, answered=len(answers))
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            counted = Counter(choice for _, choices in answers for choice in choices)
            summary.counts = [(option, counted[option]) for option in question.option_list()]
        elif question.kind == Question.Kind.RANKING:
            summary.scores = borda([choices for _, choices in answers], ranking_options(question))
        else:
            summary.run = latest_run(question)
            if summary.run is not None:
                summary.themes = theme_summaries(summary.run)
                summary.unthemed = max(0, sum(1 for text, _ in answers if text.strip()) - summary.run.answers)
        out.append(summary)
    return ConsultationSummary(consultation=consultation, responses=responses, anonymous=anonymous, questions=out)
