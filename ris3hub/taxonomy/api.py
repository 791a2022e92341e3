"""REST API of classification schemes and their concept trees."""

from typing import Any

from django.db.models import Count
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ris3hub.core.api_lists import LimitOffsetPagination
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError
from ris3hub.taxonomy.models import Concept, Scheme

router = Router(tags=["taxonomy"])


class ConceptRef(Schema):
    """A concept named by its scheme and code, as organisations and projects point to it."""

    scheme: str
    code: str
    label: str

    @staticmethod
    def resolve_scheme(obj: Concept) -> str:
        return obj.scheme.code


class SchemeOut(Schema):
    code: str
    name: str
    description: str
    source: str
    concept_count: int = Field(description="Number of concepts in the scheme")


class ConceptNode(Schema):
    code: str
    label: str
    label_it: str | None
    description: str | None
    level: int
    path: str = Field(description="Labels from the root, '/'-separated")
    children: list["ConceptNode"]


ConceptNode.model_rebuild()


def concept_tree(scheme: Scheme) -> list[dict[str, Any]]:
    """The scheme's concepts as nested dicts, roots first, children ordered by code (one query)."""
    nodes: dict[int, dict[str, Any]] = {}
    parents: dict[int, int | None] = {}
    rows = Concept.objects.filter(scheme=scheme).order_by("code").values(
        "id", "parent_id", "code", "label", "label_it", "description", "level", "path"
    )
    for row in rows:
        parents[row["id"]] = row["parent_id"]
        nodes[row["id"]] = {
            "code": row["code"], "label": row["label"], "label_it": row["label_it"] or None,
            "description": row["description"] or None, "level": row["level"], "path": row["path"],
            "children": [],
        }
    roots = []
    for concept_id, node in nodes.items():
        parent_id = parents[concept_id]
        if parent_id is None or parent_id not in nodes:
            roots.append(node)
        else:
            nodes[parent_id]["children"].append(node)
    return roots


@router.get("/schemes", response={200: list[SchemeOut], **INVALID}, summary="List classification schemes")
@paginate(LimitOffsetPagination)
def list_schemes(request):
    """Classification schemes (EuroSciVoc, NACE, CORDIS priorities, a network's platforms and tags, ...)."""
    return Scheme.objects.annotate(concept_count=Count("concepts")).order_by("code")


@router.get("/schemes/{code}/concepts", response={200: list[ConceptNode], **NOT_FOUND},
            summary="A scheme's concepts as a tree")
@paginate(LimitOffsetPagination)
def scheme_concepts(request, code: str):
    """The root concepts of a scheme, each with its descendants nested in ``children``.

    ``count``, ``limit`` and ``offset`` count root concepts.
    """
    try:
        scheme = Scheme.objects.get(code=code)
    except Scheme.DoesNotExist:
        raise ApiError(404, f"no classification scheme {code!r}") from None
    return concept_tree(scheme)
