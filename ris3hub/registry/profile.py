"""What an organisation page and a network page show: partners, memberships, the network graph."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.html import escape

from ris3hub.core import charts
from ris3hub.projects.models import Participation
from ris3hub.registry.models import Membership, Organisation

TOP_PARTNERS = 30
TOP_PARTICIPATIONS = 100
NETWORK_KINDS = ("technopole", "cluster", "platform", "district", "dih", "innovation_centre")


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    shared_projects: int


def participations(organisation: Organisation):
    return (Participation.objects.filter(organisation=organisation)
            .select_related("project", "region").order_by("-project__start", "project__number"))


def participation_totals(organisation: Organisation) -> dict:
    return Participation.objects.filter(organisation=organisation).aggregate(
        eu=Sum("eu_contribution"), projects=Count("project", distinct=True))


def partners(organisation: Organisation, limit: int = TOP_PARTNERS) -> list[Partner]:
    """Organisations that took part in the same projects, by number of projects shared."""
    projects = Participation.objects.filter(organisation=organisation).values("project")
    rows = (Participation.objects.filter(project__in=projects).exclude(organisation=organisation)
            .values("organisation").annotate(n=Count("project", distinct=True))
            .order_by("-n", "organisation")[:limit])
    by_id = Organisation.objects.select_related("region").in_bulk([row["organisation"] for row in rows])
    return [Partner(by_id[row["organisation"]], row["n"]) for row in rows]


def memberships_as_member(organisation: Organisation):
    return organisation.memberships.select_related("network").order_by("network__name")


def members(organisation: Organisation):
    return (organisation.members.select_related("member", "member__region")
            .annotate(member_count=Count("member__members")).order_by("member__name"))


def network(organisation: Organisation) -> tuple[list[charts.Node], list[tuple[int, int]], dict[int, int]]:
    """The network as a two-level tree: its members, and the members of those members.

    A member that also belongs to another member (a laboratory in the platform and in one of the
    platform's technopoles) is drawn under that member, so the picture shows the structure; every
    edge is a recorded membership. Returns the nodes, the edges (member, network) and each
    second-level node's parent.
    """
    direct = {m.member_id: m.member for m in
              Membership.objects.filter(network=organisation).exclude(member=organisation).select_related("member")}
    below = list(Membership.objects.filter(network_id__in=direct).exclude(member=organisation)
                 .select_related("member", "network").order_by("network__name", "network_id"))
    inside_another = {m.member_id for m in below if m.member_id in direct and m.network_id != m.member_id}
    level1 = {pk: o for pk, o in direct.items() if pk not in inside_another} or direct
    nodes = {organisation.pk: _node(organisation, 0)}
    nodes.update({pk: _node(o, 1) for pk, o in level1.items()})
    edges = [(pk, organisation.pk) for pk in level1]
    parents: dict[int, int] = {}
    for membership in below:
        if membership.network_id in level1 and membership.member_id not in nodes:
            nodes[membership.member_id] = _node(membership.member, 2)
            parents[membership.member_id] = membership.network_id
            edges.append((membership.member_id, membership.network_id))
    return list(nodes.values()), edges, parents


def _node(organisation: Organisation, level: int) -> charts.Node:
    return charts.Node(organisation.pk, escape(organisation.name), str(organisation.get_kind_display()),
                       organisation.get_absolute_url(), level)


def network_figure(organisation: Organisation) -> dict | None:
    nodes, edges, parents = network(organisation)
    if len(nodes) < 2:
        return None
    return charts.network_graph(nodes, edges, parents)
