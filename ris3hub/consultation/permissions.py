"""Who may do what with consultations: the one place the pages, the API and the actions ask.

On the roles of ris3hub.accounts.roles: administrators create, edit and analyse consultations; analysts
read their results, reports and answers (read only); anyone answers a published, open consultation through
its link (signed in when the consultation asks for it).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ris3hub.accounts import roles
from ris3hub.consultation.models import Consultation


def can_manage(user) -> bool:
    """Create and edit consultations, see their answers and results, run the theme analysis."""
    return roles.is_administrator(user)


def can_read_results(user) -> bool:
    """See the results, reports and answers of every consultation, drafts included (read only)."""
    return roles.is_analyst(user)


def can_view(user, consultation: Consultation) -> bool:
    """See the consultation's page: published ones for everyone, drafts for managers."""
    return consultation.published or can_read_results(user)


def answer_refusal(user, consultation: Consultation, now=None) -> str | None:
    """Why ``user`` may not answer ``consultation`` now, or None when they may."""
    if not consultation.published:
        return _("This consultation is not published.")
    if not consultation.is_open(now):
        return _("This consultation is closed.") if consultation.opens <= (now or _now()) else \
            _("This consultation is not open yet.")
    if consultation.identity == Consultation.Identity.SIGNED_IN:
        if not (user and user.is_authenticated):
            return _("Sign in to answer this consultation.")
        if consultation.responses.filter(user=user).exists():
            return _("You have already answered this consultation.")
    return None


def _now():
    from django.utils import timezone

    return timezone.now()
