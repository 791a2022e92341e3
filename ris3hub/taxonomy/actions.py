"""Writes to the classification schemes: atomic, validated, named for what they do."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ris3hub.taxonomy.models import Concept, ConceptMapping, Scheme


@transaction.atomic
def do_create_scheme(code: str, name: str, description: str = "", source: str = "") -> Scheme:
    code, name = (code or "").strip(), (name or "").strip()
    if not name:
        raise ValidationError({"name": "the scheme needs a name"})
    if Scheme.objects.filter(code=code).exists():
        raise ValidationError({"code": f"a scheme with code '{code}' exists already"})
    scheme = Scheme(code=code, name=name, description=description, source=source)
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def do_add_concept(scheme: Scheme, code: str, label: str, *, label_it: str = "", description: str = "",
                   parent: Concept | None = None) -> Concept:
    """A concept of ``scheme``, under ``parent`` (a concept of the same scheme) or at the top."""
    code, label = (code or "").strip(), (label or "").strip()
    if not code:
        raise ValidationError({"code": "the concept needs a code"})
    if not label:
        raise ValidationError({"label": "the concept needs a label"})
    if parent is not None and parent.scheme_id != scheme.pk:
        raise ValidationError({"parent": f"the parent '{parent.code}' belongs to scheme {parent.scheme}, "
                                         f"not to {scheme}"})
    if scheme.concepts.filter(code=code).exists():
        raise ValidationError({"code": f"scheme {scheme.code} has a concept '{code}' already"})
    concept = Concept(scheme=scheme, code=code, label=label, label_it=label_it, description=description,
                      parent=parent, level=parent.level + 1 if parent else 0,
                      path=f"{parent.path}/{label}" if parent else label)
    concept.full_clean()
    concept.save()
    return concept


@transaction.atomic
def do_map_concepts(source: Concept, target: Concept,
                    relation: str = ConceptMapping.Relation.CLOSE) -> ConceptMapping:
    """Records that ``source`` relates to ``target`` (SKOS-like: exact, close, broad, narrow, related)."""
    if relation not in ConceptMapping.Relation.values:
        raise ValidationError({"relation": f"'{relation}' is not a relation; use one of "
                                           f"{', '.join(ConceptMapping.Relation.values)}"})
    if source.pk == target.pk:
        raise ValidationError({"target": "a concept cannot be mapped to itself"})
    if source.scheme_id == target.scheme_id:
        raise ValidationError({"target": "mappings link concepts of two different schemes; within a scheme "
                                         "use the parent"})
    if ConceptMapping.objects.filter(source=source, target=target).exists():
        raise ValidationError({"target": f"{source} is mapped to {target} already"})
    mapping = ConceptMapping(source=source, target=target, relation=relation)
    mapping.full_clean()
    mapping.save()
    return mapping
