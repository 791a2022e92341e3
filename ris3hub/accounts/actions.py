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
