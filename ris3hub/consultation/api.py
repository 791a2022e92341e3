"""REST API of consultations: published consultations and their questions for everyone; the themes
of an open question's answers for those who may see a consultation's results, signed in with an API
token with the ``read`` scope or the site's session."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from ris3hub.consultation import permissions
from ris3hub.consultation.actions import ranking_options
from ris3hub.consultation.models import Consultation, Question
from ris3hub.consultation.summary import latest_run, theme_summaries
from ris3hub.core.errors import ApiError, ErrorOut
from ris3hub.tokens.auth import SIGNED_IN, api_user, require_scope

router = Router(tags=["consultations"])


class ConsultationItem(Schema):
    slug: str
    title: str
    opens: datetime
    closes: datetime | None
    open: bool
    identity: str = Field(description="anonymous or signed_in")
    url: str = Field(description="Path of the public answer page")


class QuestionOut(Schema):
    id: int
    kind: str = Field(description="open, single, multiple or ranking")
    text: str
    required: bool
    options: list[str] = Field(description="Choices, or the priorities a ranking ranks")


class ConsultationOut(ConsultationItem):
    description: str
    consent_text: str
    questions: list[QuestionOut]


class PriorityLink(Schema):
    code: str
    title: str
    similarity: float


class ThemeOut(Schema):
    id: int
    label: str
    keywords: list[str]
    size: int
    representative_answers: list[str]
    priorities: list[PriorityLink]


class ThemesOut(Schema):
    question: int
    created: datetime | None
    answers: int
    themes: list[ThemeOut]


def _item(c: Consultation) -> dict:
    return {"slug": c.slug, "title": c.title, "opens": c.opens, "closes": c.closes, "open": c.is_open(),
            "identity": c.identity, "url": c.get_absolute_url()}


def _visible(request, slug: str) -> Consultation:
    consultation = get_object_or_404(Consultation, slug=slug)
    if not permissions.can_view(api_user(request), consultation):
        raise ApiError(404, f"no consultation {slug}")
    return consultation


@router.get("/", response=list[ConsultationItem], summary="Published consultations")
def list_consultations(request):
    return [_item(c) for c in Consultation.objects.filter(published=True)]


@router.get("/{slug}", response={200: ConsultationOut, 404: ErrorOut}, summary="A consultation and its questions")
def get_consultation(request, slug: str):
    consultation = _visible(request, slug)
    questions = [{
        "id": q.pk, "kind": q.kind, "text": q.text, "required": q.required,
        "options": [label for _, label in ranking_options(q)] if q.kind == Question.Kind.RANKING else q.option_list(),
    } for q in consultation.questions.all()]
    return {**_item(consultation), "description": consultation.description,
            "consent_text": consultation.consent_text, "questions": questions}


@router.get("/{slug}/questions/{question_id}/themes",
            response={200: ThemesOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}, auth=SIGNED_IN,
            summary="Themes of an open question's answers (analysts)")
def get_themes(request, slug: str, question_id: int):
    require_scope(request, "read")
    if not permissions.can_read_results(request.user):
        raise ApiError(403, "only analysts and administrators see the themes of a consultation's answers")
    question = get_object_or_404(Question, pk=question_id, consultation__slug=slug)
    run = latest_run(question)
    themes = theme_summaries(run) if run else []
    return {"question": question.pk, "created": run.created if run else None, "answers": run.answers if run else 0,
            "themes": [{"id": t.number, "label": t.label, "keywords": t.keywords, "size": t.size,
                        "representative_answers": t.quotes,
                        "priorities": [{"code": c, "title": title, "similarity": s} for c, title, s in t.priorities]}
                       for t in themes]}
