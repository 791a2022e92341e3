"""Saved and deleted records queue their documents for the next index update.

Bulk writes (the importers' bulk_create / bulk_update) send no signals: after an import, run
``ris3hub search-index rebuild`` (cached embeddings make it re-encode only new texts).
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from ris3hub.projects.models import Call, Participation, Project
from ris3hub.registry.models import Competence, Equipment, ExternalId, Organisation, Service
from ris3hub.strategies.models import Priority, Strategy

WATCHED = (Organisation, ExternalId, Competence, Equipment, Service, Project, Participation, Call, Priority, Strategy)
# Many-to-many links that are part of a document: Organisation.domains, Competence.concepts, ...
WATCHED_M2M = ((Organisation, "domains"), (Competence, "concepts"), (Project, "concepts"), (Priority, "concepts"))


def queue_change(model_label: str, object_id: int) -> None:
    from ris3hub.search.models import IndexChange

    IndexChange.objects.bulk_create([IndexChange(model=model_label, object_id=object_id)], ignore_conflicts=True)


def _on_save_or_delete(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture's records are indexed by a rebuild
        return
    queue_change(sender._meta.label_lower, instance.pk)
    if isinstance(instance, (Competence, Equipment, Service, ExternalId)) and kwargs.get("signal") is post_delete:
        # The organisation's own document lists its offers and known identifiers.
        queue_change(Organisation._meta.label_lower, instance.organisation_id)


def _on_m2m(sender, instance, action, reverse, pk_set, model, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    owner = model if reverse else type(instance)
    if reverse:
        for pk in pk_set or ():
            queue_change(owner._meta.label_lower, pk)
    else:
        queue_change(owner._meta.label_lower, instance.pk)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_on_save_or_delete, sender=model, dispatch_uid=f"search-save-{model._meta.label_lower}")
        post_delete.connect(_on_save_or_delete, sender=model, dispatch_uid=f"search-delete-{model._meta.label_lower}")
    for model, name in WATCHED_M2M:
        through = getattr(model, name).through
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"search-m2m-{through._meta.label_lower}")
