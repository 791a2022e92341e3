"""The organisation editor pages: its profile, and its equipment, services and competences.

Who may edit is ris3hub.accounts.roles.can_edit_organisation (its editors, the coordinators of a network
organisation, administrators); the same rule as the API. Every form carries the optimistic lock: a save
of a record someone else changed since the page was loaded is refused, nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ris3hub.accounts import roles
from ris3hub.core.locking import LockedModelForm, delete_locked, save_locked
from ris3hub.registry.forms import CompetenceForm, EquipmentForm, OrganisationForm, ServiceForm
from ris3hub.registry.models import Competence, Equipment, Organisation, Service


@dataclass(frozen=True)
class ChildKind:
    model: type[models.Model]
    form: type
    anchor: str
    singular: str
    plural: str


CHILDREN: dict[str, ChildKind] = {
    "equipment": ChildKind(Equipment, EquipmentForm, "equipment", gettext_lazy("equipment"),
                           gettext_lazy("Equipment and facilities")),
    "services": ChildKind(Service, ServiceForm, "services", gettext_lazy("service"), gettext_lazy("Services")),
    "competences": ChildKind(Competence, CompetenceForm, "competences", gettext_lazy("competence"),
                             gettext_lazy("Competences")),
}


def _editable_organisation(request, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not roles.can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("You may not edit this organisation."))
    return organisation


def _login_first(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _child_kind(kind: str) -> ChildKind:
    from django.http import Http404

    if kind not in CHILDREN:
        raise Http404(_("No such list."))
    return CHILDREN[kind]


@_login_first
@require_http_methods(["GET", "POST"])
def edit_profile(request, pk: int):
    """/organisations/<pk>/edit/: the profile fields and contact details."""
    organisation = _editable_organisation(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid() and save_locked(form):
        messages.success(request, _("The profile of %(name)s was saved.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "registry/edit_form.html", {
        "organisation": organisation, "form": form, "title": _("Edit the profile"),
        "cancel_url": organisation.get_absolute_url(),
    })


@_login_first
@require_http_methods(["GET", "POST"])
def edit_child(request, pk: int, kind: str, item: int | None = None):
    """/organisations/<pk>/<kind>/add/ and /organisations/<pk>/<kind>/<item>/edit/."""
    organisation = _editable_organisation(request, pk)
    spec = _child_kind(kind)
    instance = get_object_or_404(spec.model, pk=item, organisation=organisation) if item is not None else None
    form = spec.form(request.POST or None, instance=instance, organisation=organisation)
    if request.method == "POST" and form.is_valid() and save_locked(form):
        if instance is None:
            messages.success(request, _("Added the %(kind)s '%(name)s'.") % {"kind": spec.singular,
                                                                              "name": form.instance.name})
        else:
            messages.success(request, _("Saved the %(kind)s '%(name)s'.") % {"kind": spec.singular,
                                                                              "name": form.instance.name})
        return redirect(f"{organisation.get_absolute_url()}#{spec.anchor}")
    title = (_("Add %(kind)s") if instance is None else _("Edit %(kind)s")) % {"kind": spec.singular}
    return render(request, "registry/edit_form.html", {
        "organisation": organisation, "form": form, "title": title, "record": instance,
        "cancel_url": f"{organisation.get_absolute_url()}#{spec.anchor}",
    })


@_login_first
@require_http_methods(["GET", "POST"])
def delete_child(request, pk: int, kind: str, item: int):
    """/organisations/<pk>/<kind>/<item>/delete/: asks, then deletes (unless it changed meanwhile)."""
    organisation = _editable_organisation(request, pk)
    spec = _child_kind(kind)
    instance = get_object_or_404(spec.model, pk=item, organisation=organisation)
    form = modelform_factory(spec.model, form=LockedModelForm, fields=[])(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid() and delete_locked(form):
        messages.success(request, _("Deleted the %(kind)s '%(name)s'.") % {"kind": spec.singular,
                                                                            "name": instance.name})
        return redirect(f"{organisation.get_absolute_url()}#{spec.anchor}")
    return render(request, "registry/delete_form.html", {
        "organisation": organisation, "form": form, "record": instance, "kind": spec.singular,
        "cancel_url": f"{organisation.get_absolute_url()}#{spec.anchor}",
    })
