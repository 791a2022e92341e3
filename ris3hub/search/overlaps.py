"""Overlaps: services and projects of different districts, clusters or platforms that duplicate
each other, so a coordinator sees where parallel initiatives could be joined.

An item belongs to the networks (clusters, technology districts, thematic platforms, technopoles)
that offer it or whose members offer it or take part in it. Two items of disjoint networks are
an overlap when their texts are near-duplicates in the encoder's space (cosine at least
``threshold``; the multilingual encoder makes an Italian and an English description of the same
service meet).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ris3hub.projects.models import Participation
from ris3hub.registry.models import Membership, Organisation, OrganisationKind, Service
from ris3hub.search.documents import offer_documents, project_documents
from ris3hub.search.embeddings import get_encoder

NETWORK_KINDS = (OrganisationKind.CLUSTER, OrganisationKind.DISTRICT, OrganisationKind.PLATFORM,
                 OrganisationKind.TECHNOPOLE)
THRESHOLD = 0.75


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    networks: frozenset[int]
    text: str


@dataclass(frozen=True)
class Overlap:
    a: Item
    b: Item
    similarity: float


def networks_of() -> dict[int, set[int]]:
    """Organisation id -> the networks it is, or belongs to."""
    out: dict[int, set[int]] = defaultdict(set)
    for pk in Organisation.objects.filter(kind__in=NETWORK_KINDS).values_list("pk", flat=True):
        out[pk].add(pk)
    for member, network in Membership.objects.filter(network__kind__in=NETWORK_KINDS).values_list("member_id",
                                                                                                  "network_id"):
        out[member].add(network)
    return out


def network_items() -> list[Item]:
    """The services and projects of networks and of their members."""
    networks = networks_of()
    items = []
    services = set(Service.objects.filter(organisation_id__in=list(networks)).values_list("pk", flat=True))
    for doc in offer_documents("service", services) if services else ():
        items.append(Item(doc.id, doc.name, frozenset(networks[doc.facets.organisation]), doc.text))
    by_project: dict[int, set[int]] = defaultdict(set)
    for project, org in Participation.objects.filter(organisation_id__in=list(networks)).values_list(
            "project_id", "organisation_id"):
        by_project[project] |= networks[org]
    for doc in project_documents(set(by_project), scope="all") if by_project else ():
        items.append(Item(doc.id, doc.name, frozenset(by_project[doc.pk]), doc.text))
    return items


def find_overlaps(threshold: float = THRESHOLD, items: list[Item] | None = None) -> list[Overlap]:
    """Pairs of items of disjoint networks whose texts are at least ``threshold`` similar, closest first."""
    if not 0 < threshold <= 1:
        raise ValueError(f"the threshold is a cosine between 0 and 1, not {threshold}")
    items = network_items() if items is None else items
    if len(items) < 2:
        return []
    vectors = get_encoder().encode([i.text for i in items])
    similarity = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(similarity >= threshold, k=1))
    pairs = [Overlap(items[i], items[j], float(similarity[i, j])) for i, j in zip(rows, cols)
             if not items[i].networks & items[j].networks]
    return sorted(pairs, key=lambda p: -p.similarity)
