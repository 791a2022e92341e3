"""E-mails about editor requests: the people who can decide hear of a new request, the person who asked
hears the decision. Sent once the request or decision is committed (never for a rolled-back one), through
the configured backend (RIS3HUB_EMAIL_BACKEND; printed on the console in development)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q

from ris3hub.accounts.models import Role, RoleAssignment


def deciders_emails(organisation) -> list[str]:
    """Addresses of the coordinators of the organisation's networks (or of the network itself); the
    administrators' when no such coordinator has an address."""
    from ris3hub.registry.models import Membership

    networks = set(Membership.objects.filter(member=organisation).values_list("network_id", flat=True))
    networks.add(organisation.pk)
    coordinators = {a.user.email for a in RoleAssignment.objects.filter(role=Role.COORDINATOR, organisation_id__in=networks)
                    .select_related("user") if a.user.email and a.user.is_active}
    if coordinators:
        return sorted(coordinators)
    administrators = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(is_staff=True)
        | Q(pk__in=RoleAssignment.objects.filter(role=Role.ADMINISTRATOR).values("user_id")),
        is_active=True).exclude(email="")
    return sorted(set(administrators.values_list("email", flat=True)))


def _send(subject: str, body: str, to: list[str]) -> None:
    if to:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send()


def notify_request(editor_request, decide_url: str) -> None:
    """Tell those who can decide that ``editor_request`` waits (after commit)."""
    who = editor_request.user.get_username()
    organisation = editor_request.organisation
    message = f"\n\nTheir message:\n{editor_request.message}" if editor_request.message else ""
    body = (f"{who} asks to edit the profile of {organisation} on ris3hub.{message}\n\n"
            f"Approve or refuse the request at {decide_url}\n")
    to = deciders_emails(organisation)
    transaction.on_commit(lambda: _send(f"Editor request for {organisation}", body, to))


def notify_decision(editor_request, account_url: str) -> None:
    """Tell the person who asked what was decided (after commit)."""
    email = editor_request.user.email
    if not email:
        return
    approved = editor_request.status == editor_request.Status.APPROVED
    verdict = "approved: you can now edit its profile" if approved else "refused"
    note = f"\n\nNote from {editor_request.decided_by}:\n{editor_request.decision_note}" \
        if editor_request.decision_note else ""
    body = (f"Your request to edit the profile of {editor_request.organisation} was {verdict}.{note}\n\n"
            f"Your roles: {account_url}\n")
    transaction.on_commit(lambda: _send(f"Your editor request for {editor_request.organisation}", body, [email]))
