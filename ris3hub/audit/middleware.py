"""Who made a change: the user of the request being served, read when the log entry is written.

django-auditlog's own middleware reads ``request.user`` before the view runs, so a change made through
the API with a token (authenticated inside the view) would have no actor, and it trusts a client's
X-Forwarded-For. This one keeps the request and reads its user and REMOTE_ADDR when an entry is saved.
"""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.cid import set_cid
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

_request: ContextVar = ContextVar("ris3hub_audit_request", default=None)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_cid(request)
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def current_user():
    """The signed-in (or token-authenticated) user of the request being served, or None."""
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


@receiver(pre_save, sender=LogEntry, dispatch_uid="ris3hub_audit_actor")
def _fill_actor(sender, instance: LogEntry, **kwargs):
    request = _request.get()
    if request is None:
        return
    user = current_user()
    if instance.actor_id is None and user is not None:
        instance.actor = user
        instance.actor_email = user.email or None
    if instance.remote_addr is None:
        instance.remote_addr = request.META.get("REMOTE_ADDR") or None
