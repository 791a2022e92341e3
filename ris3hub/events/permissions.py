"""Who may do what on an event: the one place the pages, the API and the actions ask.

On the roles of ris3hub.accounts.roles: an organiser is an administrator, one of the event's organisers,
or a coordinator of the network organising it; a participant acts on their own registration.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ris3hub.accounts import roles
from ris3hub.events.models import Event, Registration



def is_organiser(user, event: Event) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if roles.is_administrator(user):
        return True
    if event.organising_network_id and roles.can_coordinate(user, event.organising_network_id):
        return True
    return event.organisers.filter(pk=user.pk).exists()


def registration_of(user, event: Event) -> Registration | None:
    """The user's registration to ``event``, whatever its status; None when there is none."""
    if not user.is_authenticated:
        return None
    return (Registration.objects.select_related("event", "participation_type", "organisation")
            .filter(event=event, user=user).first())


def can_use_marketplace(registration: Registration | None) -> bool:
    """Browsing others' profiles and requesting meetings needs a validated profile."""
    return registration is not None and registration.is_validated


def can_see_registration(user, registration: Registration) -> bool:
    """A participant sees their own profile, organisers see every one, others see listed validated ones."""
    if registration.user_id == getattr(user, "pk", None) or is_organiser(user, registration.event):
        return True
    return registration.is_validated and registration.consent_listing


def _event(kwargs) -> Event:
    return get_object_or_404(Event, slug=kwargs["slug"])


def organiser_required(view):
    """The view runs for organisers of the event named by ``slug``; it gets ``event`` as a keyword."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        event = _event(kwargs)
        if not is_organiser(request.user, event):
            raise PermissionDenied("only the organisers of this event may open this page")
        kwargs["event"] = event
        return view(request, *args, **kwargs)

    return wrapped


def participant_required(validated: bool = True):
    """The view runs for a logged-in participant of the event; it gets ``event`` and ``registration``.

    With ``validated`` the registration must have been validated by the organiser.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event = _event(kwargs)
            registration = registration_of(request.user, event)
            if registration is None:
                raise PermissionDenied("you are not registered to this event")
            if validated and not registration.is_validated:
                raise PermissionDenied("the organisers have not validated your registration yet")
            kwargs["event"] = event
            kwargs["registration"] = registration
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
