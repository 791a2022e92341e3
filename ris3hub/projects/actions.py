"""Writes to projects and participations: atomic, validated, named for what they do.

Each action checks its input and raises django.core.exceptions.ValidationError with messages a
person can act on (keyed by field where there is one); nothing is written when it raises.
Tests and pages use these; the CORDIS importer writes in bulk through the import context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ris3hub.projects.models import Call, Participation, Programme, Project
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.taxonomy.models import Concept

_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,19}$")


def _amount(field: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: f"'{value}' is not an amount in euro"}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({field: f"'{value}' is not an amount in euro (it must be 0 or more)"})
    return amount.quantize(Decimal("0.01"))


def _role(value: str) -> str:
    if value not in Participation.Role.values:
        raise ValidationError({"role": f"'{value}' is not a role; use one of {', '.join(Participation.Role.values)}"})
    return value


@transaction.atomic
def do_create_project(number: str, title: str, *, framework: str = "", acronym: str = "", abstract: str = "",
                      programme: Programme | None = None, call: Call | None = None, start: date | None = None,
                      end: date | None = None, total_cost: Any = None, eu_contribution: Any = None,
                      topic_code: str = "", topic_title: str = "", type_of_action: str = "",
                      thematic_priority: str = "") -> Project:
    """A new project; its number (CORDIS number or the funder's id) must be new."""
    number = (number or "").strip()
    problems: dict[str, str] = {}
    if not _NUMBER.match(number):
        problems["number"] = f"'{number}' is not a project number (letters, digits, . _ / -; at most 20)"
    elif Project.objects.filter(number=number).exists():
        problems["number"] = f"project {number} already exists"
    if not (title or "").strip() and not (acronym or "").strip():
        problems["title"] = "a project needs a title or an acronym"
    if start and end and end < start:
        problems["end"] = f"ends ({end}) before it starts ({start})"
    if problems:
        raise ValidationError(problems)
    project = Project(
        number=number, title=(title or "").strip(), framework=framework, acronym=(acronym or "").strip(),
        abstract=abstract, programme=programme, call=call, start=start, end=end,
        total_cost=_amount("total_cost", total_cost), eu_contribution=_amount("eu_contribution", eu_contribution),
        topic_code=topic_code, topic_title=topic_title, type_of_action=type_of_action,
        thematic_priority=thematic_priority,
    )
    project.full_clean(exclude=None if project.title else ["title"])
    project.save()
    return project


@transaction.atomic
def do_add_participation(project: Project, organisation: Organisation, role: str = Participation.Role.PARTICIPANT,
                         eu_contribution: Any = None, *, net_eu_contribution: Any = None, total_cost: Any = None,
                         region: Region | None = None) -> Participation:
    """``organisation`` takes part in ``project``; the region defaults to the organisation's."""
    role = _role(role)
    if Participation.objects.filter(project=project, organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} already takes part in {project}"})
    if role == Participation.Role.COORDINATOR:
        coordinator = project.participations.filter(role=Participation.Role.COORDINATOR).first()
        if coordinator is not None:
            raise ValidationError({"role": f"{project} is already coordinated by {coordinator.organisation}"})
    return Participation.objects.create(
        project=project, organisation=organisation, role=role,
        eu_contribution=_amount("eu_contribution", eu_contribution),
        net_eu_contribution=_amount("net_eu_contribution", net_eu_contribution),
        total_cost=_amount("total_cost", total_cost),
        region=region if region is not None else organisation.region,
    )


@transaction.atomic
def do_change_participation(participation: Participation, *, role: str | None = None,
                            eu_contribution: Any = ..., region: Region | None | Any = ...) -> Participation:
    """Changes the role, EU contribution or region of a participation (arguments left out stay)."""
    fields = []
    if role is not None and role != participation.role:
        role = _role(role)
        if role == Participation.Role.COORDINATOR:
            other = (participation.project.participations.filter(role=Participation.Role.COORDINATOR)
                     .exclude(pk=participation.pk).first())
            if other is not None:
                raise ValidationError(
                    {"role": f"{participation.project} is already coordinated by {other.organisation}"})
        participation.role = role
        fields.append("role")
    if eu_contribution is not ...:
        participation.eu_contribution = _amount("eu_contribution", eu_contribution)
        fields.append("eu_contribution")
    if region is not ...:
        participation.region = region
        fields.append("region")
    if fields:
        participation.save(update_fields=fields)
    return participation


@transaction.atomic
def do_remove_participation(project: Project, organisation: Organisation) -> None:
    deleted, _ = Participation.objects.filter(project=project, organisation=organisation).delete()
    if not deleted:
        raise ValidationError({"organisation": f"{organisation} does not take part in {project}"})


@transaction.atomic
def do_classify_project(project: Project, concepts: Iterable[Concept]) -> list[Concept]:
    """Adds the concepts (EuroSciVoc fields, topics, a region's own scheme) to the project's
    classification; returns those that were new."""
    concepts = list(concepts)
    known = set(project.concepts.values_list("pk", flat=True))
    new = [c for c in concepts if c.pk not in known]
    project.concepts.add(*new)
    return new
