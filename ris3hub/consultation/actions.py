"""Writes of the consultation app: each atomic, named for what it does, used by the views, the API,
the demo and the tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ris3hub.consultation import permissions
from ris3hub.consultation.models import (
    Answer,
    Consultation,
    Question,
    Representative,
    Response,
    Theme,
    ThemePriority,
    ThemeRun,
)

MAX_ANSWER_LENGTH = 5000
MIN_ANSWERS_FOR_THEMES = 3
PRIORITIES_PER_THEME = 2
MIN_PRIORITY_SIMILARITY = 0.25


# Slugs that are addresses of the consultation pages themselves.
RESERVED_SLUGS = {"new", "login", "logout"}


def unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "consultation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Consultation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def create_consultation(title: str, *, created_by=None, slug: str = "", **fields: Any) -> Consultation:
    consultation = Consultation(title=title, slug=slug or unique_slug(title), created_by=created_by, **fields)
    consultation.full_clean()
    consultation.save()
    return consultation


@transaction.atomic
def add_question(consultation: Consultation, text: str, kind: str = Question.Kind.OPEN, *,
                 options: Sequence[str] = (), required: bool = False, help_text: str = "",
                 ranked: int = 3) -> Question:
    position = consultation.questions.count() + 1
    question = Question(consultation=consultation, text=text, kind=kind, options="\n".join(options),
                        required=required, help_text=help_text, ranked=ranked, position=position)
    check_question(question)
    question.full_clean()
    question.save()
    return question


def check_question(question: Question) -> None:
    """A choice question needs two options; a ranking needs priorities (or options) to rank."""
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(question.option_list()) < 2:
        raise ValidationError({"options": _("A choice question needs at least two options, one a line.")})
    if question.kind == Question.Kind.RANKING and not ranking_options(question):
        raise ValidationError({"options": _("A ranking needs the consultation's strategy (its priorities are "
                                            "ranked) or at least two options, one a line.")})


@transaction.atomic
def publish(consultation: Consultation, published: bool = True) -> Consultation:
    if published and not consultation.questions.exists():
        raise ValidationError(_("A consultation without questions cannot be published."))
    consultation.published = published
    consultation.save(update_fields=["published"])
    return consultation


def ranking_options(question: Question) -> list[tuple[str, str]]:
    """(value, label) of what a ranking question ranks: the strategy's priorities (value: the
    priority id), or the question's own options when the consultation has no strategy."""
    strategy = question.consultation.strategy
    if strategy is not None:
        priorities = list(strategy.priorities.order_by("code"))
        if priorities:
            return [(str(p.pk), p.title) for p in priorities]
    return [(o, o) for o in question.option_list()]


def clean_value(question: Question, value: Any) -> tuple[str, list]:
    """The (text, choices) to store for ``value`` given to ``question``; ValidationError if invalid."""
    kind = question.kind
    if kind == Question.Kind.OPEN:
        text = (value or "").strip() if isinstance(value, str) or value is None else None
        if text is None:
            raise ValidationError(_("The answer must be text."))
        if len(text) > MAX_ANSWER_LENGTH:
            raise ValidationError(_("The answer is longer than %(n)d characters.") % {"n": MAX_ANSWER_LENGTH})
        if question.required and not text:
            raise ValidationError(_("This question needs an answer."))
        return text, []
    chosen = [] if value in (None, "") else ([value] if isinstance(value, (str, int)) else list(value))
    chosen = [str(c) for c in chosen if str(c).strip()]
    if kind == Question.Kind.RANKING:
        allowed = dict(ranking_options(question))
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("Each priority can be ranked once."))
        if len(chosen) > question.ranked:
            raise ValidationError(_("Rank at most %(n)d priorities.") % {"n": question.ranked})
    else:
        allowed = dict.fromkeys(question.option_list())
        if kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(_("Choose one option."))
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise ValidationError(_("Not an option of this question: %(v)s") % {"v": ", ".join(unknown)})
    if question.required and not chosen:
        raise ValidationError(_("This question needs an answer."))
    if kind == Question.Kind.RANKING and question.consultation.strategy_id and chosen:
        if all(c.isdigit() for c in chosen):
            return "", [int(c) for c in chosen]
    return "", chosen


@transaction.atomic
def submit_response(consultation: Consultation, values: Mapping[int, Any], *, consent: bool, user=None,
                    language: str = "", now=None) -> Response:
    """Store one response: ``values`` maps question ids to the answer (text, option, options or ranked
    priority ids). Refused (ValidationError) when the consultation cannot be answered by ``user``,
    without consent, or with an invalid answer (the errors are keyed by question id)."""
    now = now or timezone.now()
    refusal = permissions.answer_refusal(user, consultation, now)
    if refusal:
        raise ValidationError(refusal)
    if not consent:
        raise ValidationError({"consent": _("Your answers can only be stored with your consent.")})
    questions = list(consultation.questions.all())
    unknown = set(values) - {q.pk for q in questions}
    if unknown:
        raise ValidationError(_("Not questions of this consultation: %(ids)s") % {"ids": sorted(unknown)})
    cleaned, errors = {}, {}
    for question in questions:
        try:
            cleaned[question] = clean_value(question, values.get(question.pk))
        except ValidationError as error:
            errors[str(question.pk)] = error.messages
    if errors:
        raise ValidationError(errors)
    if not any(text or choices for text, choices in cleaned.values()):
        raise ValidationError(_("Answer at least one question."))
    signed = consultation.identity == Consultation.Identity.SIGNED_IN
    try:
        with transaction.atomic():
            response = Response.objects.create(
                consultation=consultation, user=user if signed else None, submitted=now, consent_given=now,
                consent_text=consultation.consent_text, language=language[:10])
    except IntegrityError:
        raise ValidationError(_("You have already answered this consultation.")) from None
    Answer.objects.bulk_create([Answer(response=response, question=q, text=text, choices=choices)
                                for q, (text, choices) in cleaned.items() if text or choices])
    return response


def _default_encoder():
    from ris3hub.search.embeddings import get_encoder

    return get_encoder()


@transaction.atomic
def run_themes(question: Question, n_themes: int | None = None, *, encoder=None, created_by=None) -> ThemeRun:
    """Group the open answers of ``question`` into themes (``n_themes``, or a number chosen from the
    answers), label them, and map each to the strategy's closest priorities."""
    from ris3hub.engines.themes import find_themes, map_to_targets

    if question.kind != Question.Kind.OPEN:
        raise ValidationError(_("Themes are found in the answers of open questions only."))
    answers = [a for a in question.answers.select_related("response").order_by("id") if a.text.strip()]
    if len(answers) < MIN_ANSWERS_FOR_THEMES:
        raise ValidationError(_("Themes need at least %(n)d answers; this question has %(m)d.")
                              % {"n": MIN_ANSWERS_FOR_THEMES, "m": len(answers)})
    if n_themes is not None and not 1 <= n_themes <= len(answers):
        raise ValidationError(_("The number of themes must be between 1 and the number of answers (%(m)d).")
                              % {"m": len(answers)})
    encoder = encoder or _default_encoder()
    result = find_themes([a.text for a in answers], encoder, n_themes=n_themes)
    run = ThemeRun.objects.create(question=question, created_by=created_by, requested=n_themes,
                                  answers=len(answers), encoder=getattr(encoder, "name", type(encoder).__name__))
    themes = [Theme.objects.create(run=run, number=t.id, label=t.label[:300], keywords=t.keywords, size=t.size)
              for t in result.themes]
    through = Theme.answers.through
    through.objects.bulk_create([through(theme_id=themes[t.id - 1].pk, answer_id=answers[i].pk)
                                 for t in result.themes for i in t.members])
    Representative.objects.bulk_create([Representative(theme=themes[t.id - 1], answer=answers[i], rank=rank)
                                        for t in result.themes for rank, i in enumerate(t.representatives, 1)])
    strategy = question.consultation.strategy
    if strategy is not None and result.themes:
        import numpy as np

        priorities = list(strategy.priorities.all())
        if priorities:
            targets = encoder.encode([priority_text(p) for p in priorities])
            centroids = np.stack([t.centroid for t in result.themes])
            mapped = map_to_targets(centroids, targets, top=PRIORITIES_PER_THEME,
                                    min_similarity=MIN_PRIORITY_SIMILARITY)
            ThemePriority.objects.bulk_create([
                ThemePriority(theme=themes[i], priority=priorities[j], similarity=similarity)
                for i, row in enumerate(mapped) for j, similarity in row])
    return run


def priority_text(priority) -> str:
    """The text of a priority its themes are compared with: its titles in both languages and the
    labels of its concepts (descriptions are often the same formula for every priority)."""
    concepts = [c.label for c in priority.concepts.all()[:12]]
    return ". ".join(part for part in (priority.title, priority.title_it, ", ".join(concepts)) if part)
