"""The audit log pages: every change for administrators, one record's history for those allowed to see it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ris3hub.accounts import roles
from ris3hub.audit import history
from ris3hub.audit.forms import AuditFilterForm
from ris3hub.audit.models import ImportRun

PER_PAGE = 50


def _require_login(request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return None


def _rows(entries):
    return [{"entry": e, "actor": history.actor_name(e), "changes": history.changes(e)} for e in entries]


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_entries(form: AuditFilterForm):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data["model"]:
        content_type = history.content_type_of(data["model"])
        entries = entries.filter(content_type=content_type) if content_type else entries.none()
    if data["object"]:
        entries = entries.filter(object_pk=data["object"].strip())
    user = data["user"].strip()
    if user.lower() == "system":
        entries = entries.filter(actor__isnull=True, actor_email__isnull=True)
    elif user:
        entries = entries.filter(Q(actor__username__iexact=user) | Q(actor__email__iexact=user)
                                 | Q(actor_email__iexact=user))
    if data["action"] != "":
        entries = entries.filter(action=int(data["action"]))
    if data["date_from"]:
        entries = entries.filter(timestamp__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        entries = entries.filter(timestamp__lt=_day_start(data["date_to"] + timedelta(days=1)))
    return entries


def audit_log(request):
    """/audit/: every recorded change, filtered by record type, record, user and date (administrators)."""
    redirect = _require_login(request)
    if redirect:
        return redirect
    if not roles.is_administrator(request.user):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    form = AuditFilterForm(request.GET or None)
    entries = filter_entries(form) if request.GET else LogEntry.objects.select_related(
        "actor", "content_type").order_by("-timestamp", "-pk")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "form": form, "page": page, "rows": _rows(page.object_list),
        "imports": ImportRun.objects.select_related("by")[:10],
    })


def object_history(request, label: str, pk: str):
    """/audit/<app.model>/<pk>/: the history of one record (an organisation's includes its equipment, ...)."""
    redirect = _require_login(request)
    if redirect:
        return redirect
    content_type = history.content_type_of(label)
    if content_type is None:
        raise Http404(_("No such record type."))
    if not history.can_view_history(request.user, content_type, pk):
        raise PermissionDenied(_("You may not read the history of this record."))
    model = content_type.model_class()
    obj = model._default_manager.filter(pk=pk).first() if model is not None and str(pk).isdigit() else None
    entries = history.entries_for(content_type, pk)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/history.html", {
        "object": obj, "label": label, "model_key": content_type.model, "pk": pk, "model_name": model._meta.verbose_name if model else label,
        "page": page, "rows": _rows(page.object_list),
        "is_administrator": roles.is_administrator(request.user),
    })
