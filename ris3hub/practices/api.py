"""REST API of the good-practice library and its workshop calendar (read-only).

A practice's main institution, region, dates, author contact and expert opinion come only to a
signed-in user (the site's session, or an API token with the ``read`` scope): for others those
fields are null.
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ris3hub.core.api_lists import LimitOffsetPagination
from ris3hub.core.errors import INVALID, NOT_FOUND
from ris3hub.practices import permissions
from ris3hub.practices.models import GoodPractice, Workshop
from ris3hub.practices.search import search
from ris3hub.tokens.auth import api_user

router = Router(tags=["practices"])


class PracticeItem(Schema):
    slug: str
    title: str
    summary: str
    topics: list[str]
    url: str = Field(description="Path of the practice's page")

    @staticmethod
    def resolve_topics(obj: GoodPractice) -> list[str]:
        return [c.label for c in obj.topics.all()]

    @staticmethod
    def resolve_url(obj: GoodPractice) -> str:
        return obj.get_absolute_url()


class PracticeOut(Schema):
    slug: str
    title: str
    summary: str
    topics: list[str]
    url: str
    description: str
    resources_needed: str
    timescale: str
    evidence_of_success: str
    difficulties: str
    potential_for_transfer: str
    keywords: list[str]
    followers: int
    restricted: bool = Field(description="True when the fields below are withheld (not signed in)")
    main_institution: str | None
    region: str | None = Field(description="NUTS code")
    start_date: date | None
    end_date: date | None
    author_name: str | None
    author_email: str | None
    expert_opinion: str | None


class WorkshopOut(Schema):
    slug: str
    title: str
    kind: str
    starts: datetime
    ends: datetime
    place: str
    online_url: str
    capacity: int | None
    places_left: int | None
    practices: list[str] = Field(description="Slugs of the practices presented")

    @staticmethod
    def resolve_places_left(obj: Workshop) -> int | None:
        return obj.places_left()

    @staticmethod
    def resolve_practices(obj: Workshop) -> list[str]:
        return [p.slug for p in obj.practices.all()]


@router.get("/", response={200: list[PracticeItem], **INVALID}, summary="Good practices")
@paginate(LimitOffsetPagination)
def list_practices(request, q: str = "", topic: int | None = None, region: int | None = None):
    """``q``: words that must all appear in the title, texts, keywords or topics; ``topic``: a taxonomy
    concept id (its sub-concepts count); ``region``: a region id (its sub-regions count)."""
    practices = GoodPractice.objects.filter(published=True).prefetch_related("topics")
    return search(practices, q, topic=topic, region=region).order_by("title")


@router.get("/workshops/", response={200: list[WorkshopOut], **INVALID}, summary="Workshops and dissemination events")
@paginate(LimitOffsetPagination)
def list_workshops(request, upcoming: bool = True):
    from django.utils import timezone

    workshops = Workshop.objects.filter(published=True).prefetch_related("practices", "registrations")
    if upcoming:
        workshops = workshops.filter(ends__gte=timezone.now())
    return workshops.order_by("starts")


@router.get("/{slug}", response={200: PracticeOut, **NOT_FOUND}, summary="A good practice")
def get_practice(request, slug: str):
    practice = get_object_or_404(GoodPractice.objects.select_related("region", "main_institution")
                                 .prefetch_related("topics"), slug=slug, published=True)
    shown = permissions.can_see_restricted(api_user(request))
    out = {
        "slug": practice.slug, "title": practice.title, "summary": practice.summary,
        "topics": [c.label for c in practice.topics.all()], "url": practice.get_absolute_url(),
        "description": practice.description, "resources_needed": practice.resources_needed,
        "timescale": practice.timescale, "evidence_of_success": practice.evidence_of_success,
        "difficulties": practice.difficulties, "potential_for_transfer": practice.potential_for_transfer,
        "keywords": practice.keyword_list(), "followers": practice.follows.count(), "restricted": not shown,
    }
    restricted = {
        "main_institution": practice.main_institution.name if practice.main_institution else None,
        "region": practice.region.code if practice.region else None,
        "start_date": practice.start_date, "end_date": practice.end_date,
        "author_name": practice.author_name or None, "author_email": practice.author_email or None,
        "expert_opinion": practice.expert_opinion or None,
    }
    out.update({name: restricted[name] if shown else None for name in permissions.RESTRICTED_FIELDS})
    if not permissions.can_see_contact_details(api_user(request), practice):
        out.update({name: None for name in permissions.CONTACT_FIELDS})
    return out
