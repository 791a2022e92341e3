"""Who may do what in monitoring: the one place the pages, the API and the commands ask.

On the roles of ris3hub.accounts.roles:

* a round's coordinator is an administrator, the user the round names, or a coordinator of its network;
* a round may be opened by an administrator (for any network), or by a coordinator for their network;
* a member fills the report of an organisation the user is an editor of;
* analysts read every round and report (read only: they neither fill nor review).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from ris3hub.accounts import roles
from ris3hub.monitoring.models import ReportingRound, ReportSubmission
from ris3hub.registry.models import Organisation


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def linked_organisation_ids(user) -> set[int]:
    """Organisations whose reports the user fills (those they are an editor of)."""
    return roles.editable_organisation_ids(user)


def networks_user_may_open_rounds_for(user):
    """Organisations with members whose rounds ``user`` may open."""
    if not _active(user):
        return Organisation.objects.none()
    networks = Organisation.objects.filter(members__isnull=False).distinct()
    if roles.is_administrator(user):
        return networks
    return networks.filter(pk__in=roles.coordinated_network_ids(user))


def can_open_round(user) -> bool:
    return _active(user) and (roles.is_administrator(user) or networks_user_may_open_rounds_for(user).exists())


def is_coordinator(user, round: ReportingRound) -> bool:
    return _active(user) and (round.coordinator_id == user.pk or roles.can_coordinate(user, round.network_id))


def is_member(user, submission: ReportSubmission) -> bool:
    return submission.organisation_id in linked_organisation_ids(user)


def can_view_submission(user, submission: ReportSubmission) -> bool:
    return is_coordinator(user, submission.round) or is_member(user, submission) or roles.is_analyst(user)


def can_fill(user, submission: ReportSubmission) -> bool:
    return is_member(user, submission) and submission.editable


def rounds_visible_to(user):
    """Rounds the user coordinates or has a report in; all of them for analysts and administrators."""
    if not _active(user):
        return ReportingRound.objects.none()
    if roles.is_analyst(user):
        return ReportingRound.objects.all()
    return ReportingRound.objects.filter(
        Q(coordinator=user) | Q(network_id__in=roles.coordinated_network_ids(user))
        | Q(submissions__organisation_id__in=linked_organisation_ids(user))).distinct()


def login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _active(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def coordinator_required(view):
    """The view runs for the coordinator of the round named by ``pk``; it gets ``round``."""

    @wraps(view)
    @login_required
    def wrapped(request, pk, *args, **kwargs):
        round = get_object_or_404(ReportingRound.objects.select_related("network", "strategy"), pk=pk)
        if not is_coordinator(request.user, round):
            raise PermissionDenied("only the coordinator of this round may open this page")
        return view(request, *args, round=round, **kwargs)

    return wrapped


def submission_viewer_required(view):
    """The view runs for the coordinator, a member of the submission named by ``pk`` or an analyst; it gets
    ``submission``."""

    @wraps(view)
    @login_required
    def wrapped(request, pk, *args, **kwargs):
        submission = get_object_or_404(
            ReportSubmission.objects.select_related("round__network", "round__coordinator", "organisation"), pk=pk)
        if not can_view_submission(request.user, submission):
            raise PermissionDenied("this report belongs to an organisation you do not act for")
        return view(request, *args, submission=submission, **kwargs)

    return wrapped
