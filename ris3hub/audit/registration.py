"""Which models the audit log follows, and which it leaves out (and why).

Every model people can change is registered with django-auditlog: a save or delete through a page, the
admin, the API or an action writes a LogEntry (who, when, the fields before and after). Imports write
through bulk operations with the audit log switched off (``core.loading.run_import``); each run is
recorded once as an :class:`~ris3hub.audit.models.ImportRun` with its counts, itself audited.
"""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

# The apps whose models are followed (ris3hub's own, and Django's users and groups).
FOLLOWED_APPS = ("auth", "accounts", "tokens", "privacy", "audit", "registry", "taxonomy", "regions", "projects",
                 "strategies", "monitoring", "indicators", "search", "events", "consultation", "practices")

# Left out, with the reason: only imports and computations write them, or they are a history themselves.
NOT_FOLLOWED: dict[str, str] = {
    "auth.permission": "created by migrations only",
    "regions.region": "large table written only by the NUTS and GISCO imports (recorded as import runs)",
    "regions.nutschange": "written only by the NUTS import",
    "projects.programme": "written only by the CORDIS import",
    "projects.call": "written only by the CORDIS import",
    "projects.project": "large table written only by the CORDIS import",
    "projects.participation": "large table written only by the CORDIS import",
    "indicators.indicator": "written only by the Eurostat and EURITO imports",
    "indicators.observation": "large table written only by the Eurostat and EURITO imports",
    "analytics.storedpanel": "a cache of computed matrices",
    "search.indexchange": "the search index's work queue",
    "events.textvector": "a cache of text embeddings",
    "events.slot": "cut from a session's times when the session is saved (the session is followed)",
    "monitoring.indicatorvaluechange": "itself the history of indicator values",
    "monitoring.submissionversion": "itself the history of report submissions",
    "monitoring.remindersent": "a record of reminders sent, written once by the reminder command",
    "consultation.theme": "computed by a theme run (the run is followed)",
    "consultation.representative": "computed by a theme run",
    "consultation.themepriority": "computed by a theme run",
}

# Fields never recorded: derived, bookkeeping, or secrets.
EXCLUDED_FIELDS = {"version", "updated", "normalised_name", "password", "last_login", "key_hash", "last_used",
                   "secret", "token_hash"}


def followed_models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in FOLLOWED_APPS and label not in NOT_FOLLOWED and not model._meta.auto_created:
            yield model


def register_models() -> None:
    for model in followed_models():
        if auditlog.contains(model):
            continue
        names = {f.name for f in model._meta.get_fields()}
        m2m = [f.name for f in model._meta.many_to_many]
        auditlog.register(model, exclude_fields=sorted(EXCLUDED_FIELDS & names), m2m_fields=set(m2m))
