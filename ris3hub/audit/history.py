"""Reading the audit log: entries of an object (and of the records that belong to it), rows to show."""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from ris3hub.accounts import roles

# Records whose log entries carry ``additional_data.organisation`` (see the registry models'
# get_additional_data): an organisation's history includes them, even after they are deleted.
ORGANISATION_KEYS = ("organisation", "network", "company")


@dataclass
class Change:
    field: str
    before: str
    after: str


def model_label(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


def content_type_of(label: str) -> ContentType | None:
    """The content type named ``app_label.model`` (as in the audit page's filter), or None."""
    app_label, _sep, model = (label or "").lower().partition(".")
    if not app_label or not model:
        return None
    return ContentType.objects.filter(app_label=app_label, model=model).first()


def entries_for(content_type: ContentType, object_pk: str) -> models.QuerySet:
    """Entries of the object; for an organisation also those of its competences, equipment, services, ..."""
    query = Q(content_type=content_type, object_pk=str(object_pk))
    if model_label(content_type) == "registry.organisation" and str(object_pk).isdigit():
        for key in ORGANISATION_KEYS:
            query |= Q(**{f"additional_data__{key}": int(object_pk)})
    return LogEntry.objects.filter(query).select_related("actor", "content_type").order_by("-timestamp", "-pk")


def can_view_history(user, content_type: ContentType, object_pk: str) -> bool:
    """Administrators see every history; an organisation's editors see their organisation's."""
    if roles.is_administrator(user):
        return True
    if model_label(content_type) == "registry.organisation" and str(object_pk).isdigit():
        return roles.can_edit_organisation(user, int(object_pk))
    return False


def _short(value) -> str:
    text = "—" if value in (None, "", "None") else str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def changes(entry: LogEntry) -> list[Change]:
    """The fields an entry changed, with their values before and after, as people read them."""
    raw = entry.changes_dict or {}
    model = entry.content_type.model_class()
    try:
        display = entry.changes_display_dict
    except Exception:  # a value the display code cannot parse: fall back to the stored text
        display = {}
    rows = []
    for name, values in raw.items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            objects = ", ".join(str(o) for o in values.get("objects", []))
            if values.get("operation") == "delete":
                rows.append(Change(label, objects, _("(removed)")))
            else:
                rows.append(Change(label, "", _("added: %(objects)s") % {"objects": objects}))
            continue
        shown = display.get(label, values) if field is not None else values
        if not isinstance(shown, (list, tuple)) or len(shown) != 2:
            shown = values
        before, after = (shown[0], shown[1]) if len(shown) == 2 else ("", "")
        rows.append(Change(label, _short(before), _short(after)))
    return rows


def actor_name(entry: LogEntry) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name() or entry.actor.get_username()
    if entry.actor_email:
        return entry.actor_email
    return _("system (command line or import)")
