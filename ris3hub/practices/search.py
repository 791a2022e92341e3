"""Search of the good-practice library: every word of the query in the title, texts or keywords
(accents and case ignored), filtered by topic and region."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ris3hub.practices.models import GoodPractice

TEXT_FIELDS = ("title", "summary", "description", "keywords", "evidence_of_success", "potential_for_transfer",
               "topics__label")


def search(queryset: QuerySet[GoodPractice], query: str = "", topic: int | None = None,
           region: int | None = None) -> QuerySet[GoodPractice]:
    for word in query.split():
        match = Q()
        for field in TEXT_FIELDS:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    if topic is not None:
        queryset = queryset.filter(Q(topics=topic) | Q(topics__parent=topic))
    if region is not None:
        queryset = queryset.filter(Q(region=region) | Q(region__parent=region))
    return queryset.distinct()
