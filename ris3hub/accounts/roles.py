"""Who may do what: the one place pages, the API, exports and commands ask about roles.

Roles (ris3hub.accounts.models.Role):

* anonymous visitors and registered users without a role read public pages only;
* an **editor** acts for one organisation: edits its profile, equipment and services, fills its reports;
* a **coordinator** runs a network organisation: validates who acts for its members, runs its events and
  reporting rounds, reads its members' reports and contact details, edits the network's own profile;
* an **analyst** reads all analytics, consultation results and exports (read only);
* an **administrator** (the managing authority) may do everything. Django superusers and staff users are
  administrators too, so that the admin site and the roles agree.

A user's roles are read once per user object and kept on it (``grant``/``revoke`` forget them on the
object they are given), so a page asking many questions costs one query.
"""

from __future__ import annotations

from ris3hub.accounts.actions import grant, revoke
from ris3hub.accounts.models import Role, RoleAssignment

__all__ = [
    "Role", "is_administrator", "is_analyst", "editable_organisation_ids", "can_edit_organisation",
    "coordinated_network_ids", "coordinated_member_ids", "can_coordinate", "can_see_contacts", "grant", "revoke",
    "role_pairs", "administrators",
]

_CACHE = "_ris3hub_roles"
_MEMBERS_CACHE = "_ris3hub_coordinated_members"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_pairs(user) -> frozenset[tuple[str, int | None]]:
    """The user's roles as (role, organisation id or None); empty for anonymous and inactive users."""
    if not _active(user):
        return frozenset()
    pairs = getattr(user, _CACHE, None)
    if pairs is None:
        pairs = frozenset(RoleAssignment.objects.filter(user_id=user.pk).values_list("role", "organisation_id"))
        setattr(user, _CACHE, pairs)
    return pairs


def forget(user) -> None:
    """Drop the roles kept on this user object (after they changed)."""
    for name in (_CACHE, _MEMBERS_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def is_administrator(user) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser or user.is_staff or (Role.ADMINISTRATOR, None) in role_pairs(user))


def is_analyst(user) -> bool:
    return is_administrator(user) or (Role.ANALYST, None) in role_pairs(user)


def _organisation_ids(user, role: str) -> set[int]:
    return {organisation_id for r, organisation_id in role_pairs(user) if r == role}


def editable_organisation_ids(user) -> set[int]:
    """Organisations the user is an editor of (administrators may edit all, but they are not listed here)."""
    return _organisation_ids(user, Role.EDITOR)


def coordinated_network_ids(user) -> set[int]:
    """Network organisations the user coordinates."""
    return _organisation_ids(user, Role.COORDINATOR)


def coordinated_member_ids(user) -> set[int]:
    """Organisations that are members of a network the user coordinates."""
    networks = coordinated_network_ids(user)
    if not networks:
        return set()
    members = getattr(user, _MEMBERS_CACHE, None)
    if members is None:
        from ris3hub.registry.models import Membership

        members = frozenset(Membership.objects.filter(network_id__in=networks).values_list("member_id", flat=True))
        setattr(user, _MEMBERS_CACHE, members)
    return set(members)


def _pk(organisation) -> int | None:
    return organisation if isinstance(organisation, int) or organisation is None else organisation.pk


def can_edit_organisation(user, organisation) -> bool:
    """Its editors, the coordinators of it when it is a network, and administrators.

    Coordinators do not edit their members' profiles: members speak for themselves; coordinators decide who
    acts for a member (the editor requests).
    """
    pk = _pk(organisation)
    if pk is None:
        return False
    return is_administrator(user) or pk in editable_organisation_ids(user) or pk in coordinated_network_ids(user)


def can_coordinate(user, network_organisation) -> bool:
    pk = _pk(network_organisation)
    return pk is not None and (is_administrator(user) or pk in coordinated_network_ids(user))


def can_see_contacts(user, organisation) -> bool:
    """Its editors, coordinators of it or of a network it belongs to, analysts and administrators."""
    pk = _pk(organisation)
    if pk is None or not _active(user):
        return False
    return (is_analyst(user) or pk in editable_organisation_ids(user) or pk in coordinated_network_ids(user)
            or pk in coordinated_member_ids(user))


def administrators():
    """Active users who are administrators (superusers, staff, or holding the role)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(is_staff=True) | Q(role_assignments__role=Role.ADMINISTRATOR),
        is_active=True).distinct()
