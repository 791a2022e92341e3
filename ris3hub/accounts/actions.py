"""Writes about roles and accounts: atomic, named for what they do, used by pages, commands and tests."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ris3hub.accounts.models import ORGANISATION_ROLES, Role, RoleAssignment


def _check_role(role: str, organisation) -> None:
    if role not in Role.values:
        raise ValidationError(f"role {role!r}: not one of {', '.join(Role.values)}")
    if role in ORGANISATION_ROLES and organisation is None:
        raise ValidationError(f"role {role!r}: needs the organisation it is held for")
    if role not in ORGANISATION_ROLES and organisation is not None:
        raise ValidationError(f"role {role!r}: is held for the whole platform, not for an organisation")


@transaction.atomic
def grant(user, role: str, organisation=None, by=None) -> RoleAssignment:
    """Give ``user`` the role (for ``organisation`` when an editor or coordinator); granting twice is harmless."""
    _check_role(role, organisation)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organisation=organisation, defaults={"granted_by": by})
    _forget(user)
    return assignment


@transaction.atomic
def revoke(user, role: str, organisation=None, by=None) -> int:
    """Take the role away; returns how many assignments were removed (0 when the user did not hold it)."""
    _check_role(role, organisation)
    deleted, _detail = RoleAssignment.objects.filter(user=user, role=role, organisation=organisation).delete()
    _forget(user)
    return deleted


def _forget(user) -> None:
    from ris3hub.accounts.roles import forget

    forget(user)


# ---- "I act for this organisation": requests, decided by a coordinator of one of its networks or an administrator


def can_decide_request(user, request) -> bool:
    from ris3hub.accounts import roles

    if request.user_id == getattr(user, "pk", None):
        return False  # nobody approves their own request
    organisation_id = request.organisation_id
    return (roles.is_administrator(user) or organisation_id in roles.coordinated_member_ids(user)
            or organisation_id in roles.coordinated_network_ids(user))


def requests_decidable_by(user):
    """Pending requests ``user`` may approve or refuse."""
    from ris3hub.accounts import roles
    from ris3hub.accounts.models import EditorRequest

    pending = (EditorRequest.objects.filter(status=EditorRequest.Status.PENDING)
               .select_related("user", "organisation").exclude(user_id=getattr(user, "pk", None)))
    if roles.is_administrator(user):
        return pending
    return pending.filter(organisation_id__in=roles.coordinated_member_ids(user) | roles.coordinated_network_ids(user))


@transaction.atomic
def do_request_editor(user, organisation, message: str = ""):
    """``user`` asks to become an editor of ``organisation``; a second request while one waits is refused."""
    from ris3hub.accounts.models import EditorRequest

    if RoleAssignment.objects.filter(user=user, role=Role.EDITOR, organisation=organisation).exists():
        raise ValidationError(f"you are already an editor of {organisation}")
    if EditorRequest.objects.filter(user=user, organisation=organisation,
                                    status=EditorRequest.Status.PENDING).exists():
        raise ValidationError(f"your request for {organisation} is already waiting for a decision")
    return EditorRequest.objects.create(user=user, organisation=organisation, message=message.strip())


@transaction.atomic
def do_decide_request(request, by, approve: bool, note: str = ""):
    """Approve (the requester becomes an editor of the organisation) or refuse a pending request."""
    from django.utils import timezone

    from ris3hub.accounts.models import EditorRequest

    request = EditorRequest.objects.select_for_update().select_related("user", "organisation").get(pk=request.pk)
    if request.status != EditorRequest.Status.PENDING:
        raise ValidationError(f"this request was already {request.get_status_display()}")
    if not can_decide_request(by, request):
        raise ValidationError("only a coordinator of one of the organisation's networks or an administrator "
                              "decides this request")
    request.status = EditorRequest.Status.APPROVED if approve else EditorRequest.Status.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        grant(request.user, Role.EDITOR, request.organisation, by=by)
    return request
