"""Writes to the registry: atomic, validated, named for what they do. Tests and pages use them.

Each action checks its input and raises django.core.exceptions.ValidationError with messages a
person can act on (keyed by field where there is one); nothing is written when it raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ris3hub.registry.matching import clean_pic, clean_vat
from ris3hub.registry.models import (
    Competence,
    Equipment,
    ExternalId,
    Membership,
    Organisation,
    OrganisationKind,
    ResearchContract,
    Service,
)
from ris3hub.registry.names import normalise_name
from ris3hub.taxonomy.models import Concept

# Memberships whose network (and member) must be of a given kind.
NETWORK_KINDS: dict[str, tuple[str, ...]] = {
    Membership.Kind.LAB_IN_TECHNOPOLE: (OrganisationKind.TECHNOPOLE,),
    Membership.Kind.IN_PLATFORM: (OrganisationKind.PLATFORM,),
    Membership.Kind.CLUSTER_MEMBER: (OrganisationKind.CLUSTER, OrganisationKind.DISTRICT),
    Membership.Kind.DISTRICT_IN_CLUSTER: (OrganisationKind.CLUSTER,),
}
MEMBER_KINDS: dict[str, tuple[str, ...]] = {
    Membership.Kind.DISTRICT_IN_CLUSTER: (OrganisationKind.DISTRICT,),
}


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _check_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: f"'{value}' is not allowed; use one of {', '.join(choices.values)}"})


def membership_problems(member: Organisation, network: Organisation, kind: str,
                        start: date | None = None, end: date | None = None,
                        graph: dict[int, set[int]] | None = None) -> dict[str, str]:
    """What is wrong with ``member`` joining ``network`` as ``kind`` ({field: reason}); empty when it can.

    ``graph`` (member id -> network ids, see :func:`membership_graph`) spares a query per step when
    many memberships are checked in a row; without it the stored memberships are read.
    """
    problems: dict[str, str] = {}
    if member.pk is not None and member.pk == network.pk:
        problems["member"] = f"{member} cannot be a member of itself"
    kinds = NETWORK_KINDS.get(kind)
    if kinds and network.kind not in kinds:
        problems["kind"] = (f"'{_label(Membership.Kind, kind)}' needs a network of kind {' or '.join(kinds)}; "
                            f"{network} is of kind {network.kind} ({_label(OrganisationKind, network.kind)})")
    kinds = MEMBER_KINDS.get(kind)
    if kinds and member.kind not in kinds:
        problems["kind"] = (f"'{_label(Membership.Kind, kind)}' needs a member of kind {' or '.join(kinds)}; "
                            f"{member} is of kind {member.kind} ({_label(OrganisationKind, member.kind)})")
    if start and end and end < start:
        problems["end"] = f"ends ({end}) before it starts ({start})"
    if member.pk is not None and network.pk is not None and member.pk != network.pk:
        if _is_within(network.pk, member.pk, graph):
            problems["network"] = f"{network} is itself (directly or not) a member of {member}"
    return problems


def membership_graph() -> dict[int, set[int]]:
    """The stored memberships as member id -> the ids of its networks."""
    graph: dict[int, set[int]] = {}
    for member_id, network_id in Membership.objects.values_list("member_id", "network_id"):
        graph.setdefault(member_id, set()).add(network_id)
    return graph


def _is_within(org_id: int, container_id: int, graph: dict[int, set[int]] | None = None) -> bool:
    """Whether ``org_id`` belongs, through memberships, to ``container_id``."""
    frontier, seen = {org_id}, {org_id}
    while frontier:
        if graph is None:
            above = set(Membership.objects.filter(member_id__in=frontier).values_list("network_id", flat=True))
        else:
            above = set().union(*(graph.get(m, set()) for m in frontier))
        if container_id in above:
            return True
        frontier = above - seen
        seen |= above
    return False


@transaction.atomic
def do_create_organisation(name: str, kind: str = OrganisationKind.OTHER, *, external: dict[str, str] | None = None,
                           domains: Iterable[Concept] = (), **fields: Any) -> Organisation:
    """A new organisation; ``external`` maps sources to its identifiers there ({"registry": "ciri-ict"})."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "the name is required"})
    _check_choice("kind", kind, OrganisationKind)
    unknown = set(fields) - {f.name for f in Organisation._meta.concrete_fields} - {"region_id"}
    if unknown:
        raise ValidationError(f"unknown field(s) {', '.join(sorted(unknown))}")
    if "pic" in fields:
        fields["pic"] = clean_pic(fields["pic"])
    if "vat" in fields:
        fields["vat"] = clean_vat(fields["vat"])
    trl = fields.get("trl")
    if trl is not None and (not isinstance(trl, int) or not 1 <= trl <= 9):
        raise ValidationError({"trl": f"TRL {trl!r} is not a whole number from 1 to 9"})
    for field in ("pic", "vat"):
        value = fields.get(field)
        if value:
            other = Organisation.objects.filter(**{field: value}).first()
            if other:
                raise ValidationError({field: f"{field.upper()} {value} is already the {field.upper()} of "
                                              f"{other} (id {other.pk})"})
    for source, value in (external or {}).items():
        taken = ExternalId.objects.filter(source=source, value=value).select_related("organisation").first()
        if taken:
            raise ValidationError({"external": f"{source} identifier {value} already belongs to "
                                               f"{taken.organisation} (id {taken.organisation_id})"})
    org = Organisation(name=name, kind=kind, **fields)
    org.normalised_name = normalise_name(name)
    org.full_clean()
    org.save()
    for source, value in (external or {}).items():
        ExternalId.objects.create(organisation=org, source=source, value=value)
    if domains:
        org.domains.set(domains)
    return org


@transaction.atomic
def do_add_member(network: Organisation, member: Organisation, kind: str = Membership.Kind.NETWORK_MEMBER,
                  status: str = Membership.Status.NOT_ACCREDITED, start: date | None = None,
                  end: date | None = None) -> Membership:
    """``member`` joins ``network`` (a lab in a technopole, a company in a cluster, ...)."""
    _check_choice("kind", kind, Membership.Kind)
    _check_choice("status", status, Membership.Status)
    problems = membership_problems(member, network, kind, start, end)
    if problems:
        raise ValidationError(problems)
    if Membership.objects.filter(member=member, network=network, kind=kind).exists():
        raise ValidationError({"member": f"{member} is already a member of {network} "
                                         f"({_label(Membership.Kind, kind)})"})
    membership = Membership(member=member, network=network, kind=kind, status=status, start=start, end=end)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def do_add_competence(organisation: Organisation, name: str, description: str = "",
                      concepts: Iterable[Concept] = ()) -> Competence:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "the competence needs a name"})
    if organisation.competences.filter(name=name).exists():
        raise ValidationError({"name": f"{organisation} already has the competence '{name}'"})
    competence = Competence(organisation=organisation, name=name, description=description)
    competence.full_clean()
    competence.save()
    if concepts:
        competence.concepts.set(concepts)
    return competence


@transaction.atomic
def do_add_equipment(organisation: Organisation, name: str, *, access: str = Equipment.Access.SERVICE,
                     description: str = "", location: str = "", conditions: str = "",
                     booking_contact: str = "") -> Equipment:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "the equipment needs a name"})
    _check_choice("access", access, Equipment.Access)
    if organisation.equipment.filter(name=name).exists():
        raise ValidationError({"name": f"{organisation} already lists the equipment '{name}'"})
    equipment = Equipment(organisation=organisation, name=name, access=access, description=description,
                          location=location, conditions=conditions, booking_contact=booking_contact)
    equipment.full_clean()
    equipment.save()
    return equipment


@transaction.atomic
def do_add_service(organisation: Organisation, category: str, name: str, description: str = "") -> Service:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "the service needs a name"})
    _check_choice("category", category, Service.Category)
    if organisation.services.filter(name=name).exists():
        raise ValidationError({"name": f"{organisation} already offers the service '{name}'"})
    service = Service(organisation=organisation, category=category, name=name, description=description)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def do_record_contract(lab: Organisation, company: Organisation, reference: str, *, title: str = "",
                       value: Decimal | float | str | None = None, date: date | None = None) -> ResearchContract:
    """A research contract of ``lab`` with ``company``; ``reference`` is unique for the lab."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": "the contract needs a reference"})
    if lab.pk == company.pk:
        raise ValidationError({"company": f"{lab} cannot have a contract with itself"})
    if value is not None:
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError({"value": f"'{value}' is not an amount"}) from None
        if value < 0:
            raise ValidationError({"value": f"the value {value} is negative"})
    if ResearchContract.objects.filter(lab=lab, reference=reference).exists():
        raise ValidationError({"reference": f"{lab} already has a contract with reference '{reference}'"})
    contract = ResearchContract(lab=lab, company=company, reference=reference, title=title, value=value, date=date)
    contract.full_clean()
    contract.save()
    return contract
