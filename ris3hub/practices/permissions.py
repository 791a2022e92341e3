"""Who may do what with good practices and workshops: the one place the pages, the API and the
actions ask.

For now on Django's auth alone: staff users create and edit practices and workshops; signed-in
users see a practice's restricted fields and follow practices; anyone reads the public fields and
registers for a workshop. A roles system can extend these functions without touching the views.
"""

from __future__ import annotations

# Fields of a good practice shown to signed-in users only.
RESTRICTED_FIELDS = ("main_institution", "region", "start_date", "end_date", "author_name", "author_email",
                     "expert_opinion")


def can_edit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_see_restricted(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_follow(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view(user, practice) -> bool:
    return practice.published or can_edit(user)


def can_manage_workshops(user) -> bool:
    return can_edit(user)
