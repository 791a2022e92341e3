"""Pages of the good-practice library (list with search, detail, create and edit, follow) and the
workshop calendar (month by month, detail with registration, iCalendar export).

Each view asks ris3hub.practices.permissions who may see or do what and writes through the actions.
"""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ris3hub.core.locking import LOCK_FIELD, StaleObjectError, save_locked
from ris3hub.practices import actions, permissions
from ris3hub.practices.calendar import workshops_ics
from ris3hub.practices.forms import PracticeForm, RegistrationForm, SearchForm, WorkshopForm
from ris3hub.practices.models import GoodPractice, Workshop
from ris3hub.practices.search import search
from ris3hub.practices.similar import similar_practices

PAGE_SIZE = 20


def _staff_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit(request.user):
        raise PermissionDenied(_("Only staff users edit good practices and workshops."))
    return None


def practice_list(request):
    form = SearchForm(request.GET or None)
    practices = GoodPractice.objects.all()
    if not permissions.can_edit(request.user):
        practices = practices.filter(published=True)
    if form.is_valid():
        data = form.cleaned_data
        practices = search(practices, data["q"], topic=data["topic"].pk if data["topic"] else None,
                           region=data["region"].pk if data["region"] else None)
    practices = practices.prefetch_related("topics").order_by("title")
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    upcoming = Workshop.objects.filter(published=True, ends__gte=timezone.now()).order_by("starts")[:3]
    return render(request, "practices/practice_list.html", {
        "form": form, "page": page, "upcoming": upcoming, "can_edit": permissions.can_edit(request.user),
        "query": request.GET.get("q", ""),
    })


def practice_detail(request, slug):
    practice = get_object_or_404(GoodPractice.objects.select_related("region", "main_institution"), slug=slug)
    if not permissions.can_view(request.user, practice):
        raise Http404(_("No such good practice."))
    return render(request, "practices/practice_detail.html", {
        "practice": practice,
        "restricted": permissions.can_see_restricted(request.user),
        "contacts": permissions.can_see_contact_details(request.user, practice),
        "can_edit": permissions.can_edit(request.user),
        "following": request.user.is_authenticated and practice.follows.filter(user=request.user).exists(),
        "followers": practice.follows.count(),
        "similar": similar_practices(practice),
        "workshops": practice.workshops.filter(published=True, ends__gte=timezone.now()).order_by("starts"),
    })


def practice_edit(request, slug=None):
    refusal = _staff_only(request)
    if refusal:
        return refusal
    practice = get_object_or_404(GoodPractice, slug=slug) if slug else None
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if practice is None:
                data = {k: v for k, v in form.cleaned_data.items() if k not in ("topics", LOCK_FIELD)}
                try:
                    practice = actions.create_practice(created_by=request.user, topics=form.cleaned_data["topics"],
                                                       **data)
                except ValidationError as error:
                    form.add_error(None, error)
                    return render(request, "practices/practice_form.html", {"form": form, "practice": None})
            elif not save_locked(form):  # someone saved it since this page was loaded: nothing is overwritten
                return render(request, "practices/practice_form.html", {"form": form, "practice": practice})
            else:
                practice = form.instance
        messages.success(request, _("The good practice is saved."))
        return redirect(practice.get_absolute_url())
    return render(request, "practices/practice_form.html", {"form": form, "practice": practice})


@require_POST
def practice_follow(request, slug):
    practice = get_object_or_404(GoodPractice, slug=slug, published=True)
    if not permissions.can_follow(request.user):
        return redirect_to_login(practice.get_absolute_url())
    if request.POST.get("action") == "unfollow":
        actions.unfollow(practice, request.user)
        messages.info(request, _("You no longer follow this practice."))
    else:
        actions.follow(practice, request.user)
        messages.success(request, _("You follow this practice: its workshops appear in your calendar."))
    return redirect(practice.get_absolute_url())


# Workshops ---------------------------------------------------------------------------------------

def _visible_workshops(request):
    workshops = Workshop.objects.all()
    if not permissions.can_manage_workshops(request.user):
        workshops = workshops.filter(published=True)
    return workshops.prefetch_related("practices", "registrations")


def workshop_calendar(request):
    now = timezone.now()
    show_past = request.GET.get("past") == "1"
    workshops = _visible_workshops(request)
    if show_past:
        workshops = workshops.filter(ends__lt=now).order_by("-starts")
    else:
        workshops = workshops.filter(ends__gte=now).order_by("starts")
    followed = set()
    if request.user.is_authenticated:
        followed = set(request.user.practice_follows.values_list("practice_id", flat=True))
    months = [(month, list(items)) for month, items in
              groupby(workshops, key=lambda w: timezone.localtime(w.starts).date().replace(day=1))]
    return render(request, "practices/workshop_calendar.html", {
        "months": months, "show_past": show_past, "followed": followed,
        "can_edit": permissions.can_manage_workshops(request.user),
    })


def workshop_detail(request, slug):
    workshop = get_object_or_404(_visible_workshops(request), slug=slug)
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name() or request.user.get_username(), "email": request.user.email}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.register_for_workshop(workshop, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("You are registered. Add the workshop to your calendar with the iCalendar "
                                        "file."))
            return redirect(workshop.get_absolute_url())
    return render(request, "practices/workshop_detail.html", {
        "workshop": workshop, "form": form, "places_left": workshop.places_left(),
        "over": workshop.ends <= timezone.now(), "can_edit": permissions.can_manage_workshops(request.user),
        "registrations": workshop.registrations.all() if permissions.can_manage_workshops(request.user) else None,
    })


def workshop_edit(request, slug=None):
    refusal = _staff_only(request)
    if refusal:
        return refusal
    workshop = get_object_or_404(Workshop, slug=slug) if slug else None
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(LOCK_FIELD, None)
        chosen = data.pop("practices")
        try:
            if workshop is None:
                workshop = actions.create_workshop(practices=chosen, **data)
            else:
                candidate = form.save(commit=False)
                actions.check_workshop(candidate)
                with transaction.atomic():
                    candidate.save()
                    form.save_m2m()
                workshop = candidate
        except ValidationError as error:
            form.add_error(None, error)
        except StaleObjectError as stale:  # someone saved it since this page was loaded: nothing is overwritten
            form.refuse_stale(stale.current)
        else:
            messages.success(request, _("The workshop is saved."))
            return redirect(workshop.get_absolute_url())
    return render(request, "practices/workshop_form.html", {"form": form, "workshop": workshop})


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def calendar_ics(request):
    workshops = Workshop.objects.filter(published=True).order_by("starts")
    return _ics_response(workshops_ics(workshops, request.build_absolute_uri("/")), "ris3hub-workshops.ics")


def workshop_ics(request, slug):
    workshop = get_object_or_404(Workshop, slug=slug, published=True)
    return _ics_response(workshops_ics([workshop], request.build_absolute_uri("/"), name=workshop.title),
                         f"{workshop.slug}.ics")
