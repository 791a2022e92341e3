"""Who may do what with good practices and workshops: the one place the pages, the API and the
actions ask.

On the roles of ris3hub.accounts.roles: administrators create and edit practices and workshops;
signed-in users see a practice's restricted fields and follow practices; the author's e-mail (a contact
detail) is shown by role, as an organisation's contacts are (ris3hub.accounts.roles.can_see_contacts of the
practice's main institution); anyone reads the public fields and registers for a workshop.
"""

from __future__ import annotations

from ris3hub.accounts import roles

# Fields of a good practice shown to signed-in users only.
RESTRICTED_FIELDS = ("main_institution", "region", "start_date", "end_date", "author_name", "author_email",
                     "expert_opinion")


# Restricted fields that are contact details: shown by role only.
CONTACT_FIELDS = ("author_email",)


def can_edit(user) -> bool:
    return roles.is_administrator(user)


def can_see_contact_details(user, practice) -> bool:
    """The author's e-mail: for those who see the main institution's contacts (analysts and administrators
    when the practice names none)."""
    if practice.main_institution_id:
        return roles.can_see_contacts(user, practice.main_institution_id)
    return roles.is_analyst(user)


def can_see_restricted(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_follow(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view(user, practice) -> bool:
    return practice.published or can_edit(user)


def can_manage_workshops(user) -> bool:
    return can_edit(user)
