"""Pages of brokerage events: public event pages, the participant's marketplace, requests, agenda and
follow-up, the organiser's dashboard, grid, check-in and plan exports.

Each view checks who may see it through ris3hub.events.permissions and writes through the actions.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ris3hub.core.locking import save_through
from ris3hub.events import actions, exports, indicators
from ris3hub.events.checks import load_meetings, schedule_conflicts, slot_label
from ris3hub.events.forms import (
    EntryFormSet,
    FollowUpForm,
    MarketplaceFilterForm,
    MessageForm,
    ProfileForm,
    RegistrationForm,
    ScheduleForm,
    ValidationForm,
    entries_of,
)
from ris3hub.events.models import (
    CheckIn,
    Event,
    FollowUp,
    MarketplaceEntry,
    Meeting,
    MeetingRequest,
    Registration,
    ScheduleRun,
    Session,
    Slot,
)
from ris3hub.events.permissions import (
    can_see_registration,
    is_organiser,
    organiser_required,
    participant_required,
    registration_of,
)
from ris3hub.events.recommendations import recommend
from ris3hub.registry.models import Organisation
from ris3hub.registry.names import normalise_name

MARKETPLACE_PAGE = 30


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _render(request, template: str, context: dict):
    """Render an event page; the event menu needs the user's registration and whether they organise."""
    event = context.get("event")
    if event is not None:
        context.setdefault("registration", registration_of(request.user, event))
        context.setdefault("is_organiser", is_organiser(request.user, event))
    return render(request, template, context)


def _next(request, default: str) -> str:
    """The page to go back to after a form: the posted ``next`` when it is on this site, else ``default``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Public ------------------------------------------------------------------------------------------

def event_list(request):
    events = (Event.objects.filter(published=True)
              .annotate(participants=Count("registrations", filter=Q(registrations__status="validated"),
                                           distinct=True))
              .prefetch_related("sessions").order_by("-created"))
    return render(request, "events/event_list.html", {"events": events})


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("organising_network"), slug=slug)
    organiser = is_organiser(request.user, event)
    if not event.published and not organiser:
        return redirect("events:list")
    types = event.participation_types.annotate(
        taken=Count("registrations", filter=~Q(registrations__status=Registration.Status.REJECTED))).order_by("name")
    return _render(request, "events/event_detail.html", {
        "event": event, "sessions": event.sessions.prefetch_related("breaks").annotate(slot_count=Count("slots"))
        .order_by("day", "start"),
        "types": types, "registration": registration_of(request.user, event), "is_organiser": organiser,
        "participants": event.registrations.filter(status=Registration.Status.VALIDATED).count(),
        "places": event.places.count(),
    })


def _registry_organisation(request, name: str) -> Organisation | None:
    """The registry organisation the participant belongs to: the one named in ?organisation=, else the
    one organisation whose normalised name is the typed one."""
    chosen = request.GET.get("organisation") or request.POST.get("organisation")
    if chosen and chosen.isdigit():
        return Organisation.objects.filter(pk=int(chosen)).first()
    matches = list(Organisation.objects.filter(normalised_name=normalise_name(name))[:2])
    return matches[0] if len(matches) == 1 else None


def register(request, slug):
    event = get_object_or_404(Event, slug=slug)
    existing = registration_of(request.user, event)
    if existing is not None:
        messages.info(request, _("You are registered to this event."))
        return redirect("events:agenda", slug=event.slug)
    if not event.registration_open:
        messages.error(request, _("Registration to this event is closed."))
        return redirect(event)
    user = request.user if request.user.is_authenticated else None
    initial = {}
    organisation_id = request.GET.get("organisation")
    if organisation_id and organisation_id.isdigit():
        organisation = Organisation.objects.filter(pk=int(organisation_id)).first()
        if organisation:
            initial = {"organisation_name": organisation.name, "bio": organisation.description}
    form = RegistrationForm(request.POST or None, event=event, user=user, initial=initial)
    entries = EntryFormSet(request.POST or None, prefix="entries")
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        data = form.cleaned_data
        try:
            registration = actions.do_register(
                event, data["participation_type"], person_name=data["person_name"], email=data["email"],
                organisation_name=data["organisation_name"], consent_terms=data["consent_terms"], user=user,
                password=data.get("password"), organisation=_registry_organisation(request, data["organisation_name"]),
                bio=data["bio"], attendance=data["attendance"], sessions=data["sessions"],
                consent_listing=data["consent_listing"], consent_contact=data["consent_contact"],
                entries=entries_of(entries))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error)
        else:
            if user is None:
                login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            if registration.is_validated:
                messages.success(request, _("You are registered. Find the people to meet in the marketplace."))
                return redirect("events:marketplace", slug=event.slug)
            messages.success(request, _("You are registered. The organisers will validate your profile soon."))
            return redirect("events:agenda", slug=event.slug)
    return _render(request, "events/register.html", {"event": event, "form": form, "entries": entries})


# Participant --------------------------------------------------------------------------------------

@participant_required(validated=False)
def profile(request, slug, event, registration):
    """The participant's own profile and marketplace entries, to change."""
    initial = {"person_name": registration.person_name, "organisation_name": registration.organisation_name,
               "attendance": registration.attendance, "sessions": list(registration.sessions.all()),
               "bio": registration.bio, "consent_listing": registration.consent_listing,
               "consent_contact": registration.consent_contact}
    entries_initial = [{"kind": e.kind, "cooperation": e.cooperation, "title": e.title, "description": e.description}
                       for e in registration.entries.all()]
    form = ProfileForm(request.POST or None, event=event, initial=initial, record=registration)
    entries = EntryFormSet(request.POST or None, prefix="entries", initial=entries_initial)
    if request.method == "POST" and form.is_valid() and entries.is_valid():
        try:
            saved = save_through(form, actions.do_update_profile, registration, **form.action_data(),
                                 entries=entries_of(entries))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved:  # refused when the registration changed since this page was loaded: nothing overwritten
                messages.success(request, _("Your profile is saved."))
                return redirect("events:profile", slug=event.slug)
    return _render(request, "events/profile.html", {"event": event, "registration": registration, "form": form,
                                                    "entries": entries})


def _request_states(registration: Registration) -> dict[int, MeetingRequest]:
    """Other participant id -> the open request between them and ``registration``."""
    states = {}
    for request in MeetingRequest.objects.filter(Q(requester=registration) | Q(recipient=registration),
                                                 status__in=MeetingRequest.OPEN):
        other = request.recipient_id if request.requester_id == registration.pk else request.requester_id
        states[other] = request
    return states


@participant_required()
def marketplace(request, slug, event, registration):
    form = MarketplaceFilterForm(request.GET or None, event=event)
    entries = MarketplaceEntry.objects.all()
    people = (Registration.objects.filter(event=event, status=Registration.Status.VALIDATED, consent_listing=True)
              .exclude(pk=registration.pk).select_related("participation_type", "organisation"))
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["cooperation"]:
            entries = entries.filter(cooperation=data["cooperation"])
        if data["kind"] or data["cooperation"]:
            people = people.filter(pk__in=entries.values("registration"))
        if data["participation_type"]:
            people = people.filter(participation_type=data["participation_type"])
        for word in data["q"].split():
            people = people.filter(Q(organisation_name__icontains=word) | Q(person_name__icontains=word)
                                   | Q(bio__icontains=word) | Q(entries__title__icontains=word)
                                   | Q(entries__description__icontains=word)).distinct()
    people = people.prefetch_related(Prefetch("entries", queryset=entries.order_by("kind", "id"), to_attr="shown"))
    filtered = form.is_valid() and any(form.cleaned_data.values())
    page = Paginator(people, MARKETPLACE_PAGE).get_page(request.GET.get("page"))
    return _render(request, "events/marketplace.html", {
        "event": event, "registration": registration, "form": form, "people": page, "total": page.paginator.count,
        "states": _request_states(registration), "message_form": MessageForm(),
        "meetable": {t.pk for t in event.participation_types.prefetch_related("meets")
                     if registration.participation_type.may_meet(t)},
        "recommendations": [] if filtered else recommend(registration, limit=5),
        "filtered": filtered,
    })


@require_POST
@participant_required()
def request_meeting(request, slug, event, registration, pk):
    recipient = get_object_or_404(Registration, pk=pk, event=event)
    if not can_see_registration(request.user, recipient):
        raise Http404("no such participant in the marketplace")
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            sent = actions.do_request_meeting(registration, recipient, form.cleaned_data["message"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            if sent.status == MeetingRequest.Status.ACCEPTED:
                messages.success(request, _("Meeting with %(who)s added to your agenda.") % {"who": recipient})
            else:
                messages.success(request, _("Request sent to %(who)s.") % {"who": recipient})
    return redirect(_next(request, reverse("events:marketplace", args=[event.slug])))


@participant_required()
def my_requests(request, slug, event, registration):
    actions.expire_requests(event)
    related = ("requester", "recipient")
    received = registration.requests_received.select_related(*related).order_by("status", "-created")
    sent = registration.requests_sent.select_related(*related).order_by("status", "-created")
    return _render(request, "events/requests.html", {
        "event": event, "registration": registration, "received": received, "sent": sent,
        "waiting": [r for r in received if r.status == MeetingRequest.Status.REQUESTED],
        "opt_out": event.request_mode == Event.RequestMode.OPT_OUT,
    })


@require_POST
@participant_required()
def answer_request(request, slug, event, registration, pk):
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, event=event, recipient=registration)
    form = MessageForm(request.POST)
    decision = request.POST.get("decision")
    if form.is_valid() and decision in ("accept", "decline"):
        try:
            if decision == "accept":
                actions.do_accept_request(meeting_request, form.cleaned_data["message"])
                messages.success(request, _("Meeting with %(who)s accepted.") % {"who": meeting_request.requester})
            else:
                actions.do_decline_request(meeting_request, form.cleaned_data["message"])
                messages.success(request, _("Request of %(who)s declined.") % {"who": meeting_request.requester})
        except ValidationError as error:
            messages.error(request, _errors(error))
    return redirect("events:requests", slug=event.slug)


@require_POST
@participant_required()
def cancel_request(request, slug, event, registration, pk):
    meeting_request = get_object_or_404(MeetingRequest.objects.filter(Q(requester=registration)
                                                                       | Q(recipient=registration)), pk=pk, event=event)
    try:
        actions.do_cancel_request(meeting_request)
        messages.success(request, _("Request cancelled."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("events:requests", slug=event.slug)


@participant_required(validated=False)
def agenda(request, slug, event, registration):
    scheduled, waiting = exports.agenda_meetings(registration)
    rows = []
    for meeting in scheduled:
        rows.append({"meeting": meeting, "when": slot_label(meeting.slot, event),
                     "others": [r for r in meeting.participants.all() if r.pk != registration.pk]})
    return _render(request, "events/agenda.html", {
        "event": event, "registration": registration, "rows": rows,
        "waiting": [{"meeting": m, "others": [r for r in m.participants.all() if r.pk != registration.pk]}
                    for m in waiting],
        "checked_in": CheckIn.objects.filter(registration=registration).first(),
    })


@participant_required(validated=False)
def agenda_pdf(request, slug, event, registration):
    return _download(exports.agenda_pdf(registration), "application/pdf", f"agenda-{event.slug}.pdf")


@participant_required(validated=False)
def agenda_ics(request, slug, event, registration):
    return _download(exports.agenda_ics(registration), "text/calendar; charset=utf-8", f"agenda-{event.slug}.ics")


@participant_required()
def follow_up(request, slug, event, registration):
    scheduled, _waiting = exports.agenda_meetings(registration)
    answers = {f.meeting_id: f for f in FollowUp.objects.filter(registration=registration)}
    if request.method == "POST":
        meeting = get_object_or_404(Meeting, pk=request.POST.get("meeting"), event=event, participants=registration)
        form = FollowUpForm(request.POST, prefix=f"m{meeting.pk}")
        if form.is_valid():
            try:
                actions.do_record_follow_up(meeting, registration, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, _("Thank you: your answer about meeting #%(id)s is saved.") % {
                    "id": meeting.pk})
                return redirect("events:follow-up", slug=event.slug)
        else:
            messages.error(request, _("Say whether the meeting took place."))
    rows = []
    for meeting in scheduled:
        answer = answers.get(meeting.pk)
        initial = ({"held": "yes" if answer.held else "no", "agreement": answer.agreement,
                    "agreement_type": answer.agreement_type, "next_step": answer.next_step} if answer else None)
        rows.append({"meeting": meeting, "when": slot_label(meeting.slot, event), "answer": answer,
                     "others": [r for r in meeting.participants.all() if r.pk != registration.pk],
                     "form": FollowUpForm(prefix=f"m{meeting.pk}", initial=initial)})
    return _render(request, "events/follow_up.html", {"event": event, "registration": registration, "rows": rows})


# Organiser ----------------------------------------------------------------------------------------

def _latest_run(event: Event) -> ScheduleRun | None:
    return event.schedule_runs.order_by("-started").first()


@organiser_required
def dashboard(request, slug, event):
    registrations = event.registrations.select_related("participation_type", "organisation").prefetch_related("entries")
    counts = dict(registrations.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    registrations = registrations.annotate(meeting_count=Count("meetings", distinct=True),
                                           placed=Count("meetings", filter=Q(meetings__slot__isnull=False),
                                                        distinct=True)).order_by("organisation_name", "person_name")
    outcome = indicators.event_outcomes([event])[0]
    return _render(request, "events/dashboard.html", {
        "event": event, "pending": registrations.filter(status=Registration.Status.PENDING),
        "registrations": registrations, "counts": counts, "outcome": outcome, "run": _latest_run(event),
        "requests": dict(event.meeting_requests.values_list("status").annotate(n=Count("pk"))
                         .values_list("status", "n")),
        "agreements": indicators.agreements_by_type(event), "validation_form": ValidationForm(),
    })


@require_POST
@organiser_required
def validate_registration(request, slug, event, pk):
    registration = get_object_or_404(Registration, pk=pk, event=event)
    form = ValidationForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "validate"
        try:
            actions.do_validate_registration(registration, request.user, approve=approve,
                                             note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, (_("%(who)s validated.") if approve else _("%(who)s rejected.")) % {
                "who": registration})
    return redirect(_next(request, reverse("events:dashboard", args=[event.slug])))


def grid_context(event: Event) -> dict:
    """Slots down, places across, the meetings in their cells, the unplaced ones, the conflicts."""
    slots = list(Slot.objects.filter(session__event=event).select_related("session").order_by("start"))
    places = list(event.places.all())
    meetings = load_meetings(event)
    conflicts = schedule_conflicts(event, meetings)
    cells: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    unplaced = []
    for meeting in meetings:
        meeting.conflicts = conflicts.get(meeting.pk, [])
        if meeting.is_scheduled:
            cells[meeting.slot_id, meeting.place_id].append(meeting)
        else:
            unplaced.append(meeting)
    rows, session = [], None
    for slot in slots:
        rows.append({"slot": slot, "label": slot_label(slot, event), "new_session": slot.session_id != session,
                     "cells": [{"place": place, "meetings": cells.get((slot.pk, place.pk), []),
                                "usable": slot.session.mode == Session.Mode.HYBRID
                                or (slot.session.mode == Session.Mode.ONLINE) == place.virtual}
                               for place in places]})
        session = slot.session_id
    return {"rows": rows, "places": places, "unplaced": unplaced, "conflicts": conflicts,
            "conflict_meetings": [m for m in meetings if m.conflicts], "meeting_count": len(meetings)}


@organiser_required
def grid(request, slug, event):
    context = grid_context(event)
    context.update(event=event, run=_latest_run(event), schedule_form=ScheduleForm())
    return _render(request, "events/grid.html", context)


@require_POST
@organiser_required
def run_scheduler(request, slug, event):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The time limit is a number of seconds from 1 to 120."))
        return redirect("events:grid", slug=event.slug)
    try:
        run = actions.do_schedule_event(event, time_limit=form.cleaned_data["time_limit"], by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Scheduled %(scheduled)d of %(meetings)d meetings (upper bound %(bound)s, "
                                    "%(kept)d kept in place) in %(seconds).1f s.") % {
            "scheduled": run.scheduled, "meetings": run.meetings, "bound": f"{run.upper_bound:g}", "kept": run.kept,
            "seconds": run.seconds})
    return redirect("events:grid", slug=event.slug)


@require_POST
@organiser_required
def lock_meeting(request, slug, event, pk):
    meeting = get_object_or_404(Meeting, pk=pk, event=event)
    try:
        actions.do_lock_meeting(meeting, locked=request.POST.get("locked") == "1")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(reverse("events:grid", args=[event.slug]) + f"#meeting-{meeting.pk}")


@require_POST
@organiser_required
def confirm_schedule(request, slug, event):
    count = actions.do_confirm_schedule(event)
    messages.success(request, _("%(count)d scheduled meetings confirmed: later runs keep them in place.") % {
        "count": count})
    return redirect("events:grid", slug=event.slug)


@organiser_required
def plan_xlsx(request, slug, event):
    return _download(exports.plan_xlsx(event), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"plan-{slugify(event.slug)}.xlsx")


@organiser_required
def plan_pdf(request, slug, event):
    return _download(exports.plan_pdf(event), "application/pdf", f"plan-{slugify(event.slug)}.pdf")


@organiser_required
def check_in(request, slug, event):
    if request.method == "POST":
        registration = get_object_or_404(Registration, pk=request.POST.get("registration"), event=event)
        try:
            if request.POST.get("undo"):
                actions.do_undo_check_in(registration)
            else:
                actions.do_check_in(registration, request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        query = request.POST.get("q", "")
        return redirect(reverse("events:check-in", args=[event.slug]) + (f"?q={query}" if query else "")
                        + f"#registration-{registration.pk}")
    q = request.GET.get("q", "").strip()
    people = (event.registrations.filter(status=Registration.Status.VALIDATED)
              .select_related("participation_type", "check_in").annotate(meeting_count=Count("meetings"))
              .order_by("person_name", "organisation_name"))
    for word in q.split():
        people = people.filter(Q(person_name__icontains=word) | Q(organisation_name__icontains=word)
                               | Q(email__icontains=word))
    return _render(request, "events/check_in.html", {
        "event": event, "people": people, "q": q,
        "checked_in": CheckIn.objects.filter(registration__event=event).count(),
        "expected": event.registrations.filter(status=Registration.Status.VALIDATED).count(),
    })
