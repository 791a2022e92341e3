"""Loading the Italian research spin-offs of knowledge-share.eu (``ris3hub import spinoffs``).

Each record becomes an Organisation of kind "spinoff" (country IT) known by
ExternalId("knowledge-share", id); its categories and tags become concepts of the schemes
"knowledge-share-category" and "knowledge-share-tag" linked as the organisation's domains;
its parent institutions become organisations (known by ExternalId("knowledge-share-owner",
owner id)) to which the spin-off is affiliated; the items of its enabling technologies and
main applications become its competences.
"""

from __future__ import annotations

import re
from pathlib import Path

from ris3hub.core.loading import ImportContext
from ris3hub.importers.base import Row
from ris3hub.importers.spinoffs import SOURCE, read_spinoffs
from ris3hub.registry.matching import OrganisationResolver
from ris3hub.registry.models import Competence, Membership, Organisation, OrganisationKind
from ris3hub.taxonomy.loaders import ConceptWriter

OWNER_SOURCE = "knowledge-share-owner"
SCHEMES = {
    "categories": ("knowledge-share-category", "knowledge-share.eu categories"),
    "tags": ("knowledge-share-tag", "knowledge-share.eu tags"),
}
SCHEME_SOURCE = "knowledge-share.eu, the Italian universities' technology-transfer portal"
COMPETENCE_SOURCES = {
    "enabling_technologies": "Enabling technology",
    "main_applications": "Main application",
}
_ACADEMIC = re.compile(r"universit|politecnico|scuola|polytechnic|\bsissa\b|\biuss\b", re.IGNORECASE)
_ENGLISH_UNIVERSITY = re.compile(r"\bUniversity\b")


def parent_kind(name: str, organisation_type: str) -> str:
    """The OrganisationKind of a parent institution from its knowledge-share ``organizationType``."""
    if organisation_type == "research_body":
        return OrganisationKind.UNIVERSITY if _ACADEMIC.search(name) else OrganisationKind.RESEARCH
    if organisation_type in ("industrial_partner", "corporate"):
        return OrganisationKind.COMPANY
    if organisation_type == "startup":
        return OrganisationKind.SPINOFF
    return OrganisationKind.OTHER


def parent_country(name: str) -> str:
    """IT for the Italian institutions of the portal; blank for foreign ones (named in English)."""
    return "" if _ENGLISH_UNIVERSITY.search(name) else "IT"


def _competence_name(item: str) -> tuple[str, bool]:
    if len(item) <= 300:
        return item, False
    cut = item[:299].rsplit(" ", 1)[0]
    return cut + "…", True


def load_spinoffs(paths: list[Path], ctx: ImportContext) -> None:
    rows: list[Row] = []
    for path in paths:
        rows += list(ctx.rows(read_spinoffs(path), desc=f"{path.name}: reading"))
    concepts = ConceptWriter(ctx)
    schemes = {key: concepts.scheme(code, name, source=SCHEME_SOURCE) for key, (code, name) in SCHEMES.items()}
    labelled: set[tuple[str, str]] = set()  # the first label of a code wins
    for row in rows:
        for key, scheme in schemes.items():
            for code, label in row.data[key]:
                if (key, code) not in labelled:
                    labelled.add((key, code))
                    concepts.put(scheme, code, label)
    concepts.flush()

    resolver = OrganisationResolver(ctx)
    domains = ctx.upserter(Organisation.domains.through, ("organisation_id", "concept_id"))
    memberships = ctx.upserter(Membership, ("member_id", "network_id", "kind"))
    competences = ctx.upserter(Competence, ("organisation_id", "name"))
    for row in ctx.rows(rows, desc="spin-offs", total=len(rows)):
        d = row.data
        spinoff = resolver.resolve(
            {"name": d["name"], "kind": OrganisationKind.SPINOFF, "country": "IT", "description": d["description"],
             "trl": d["trl"], "looking_for": d["looking_for"][:500]},
            external=(SOURCE, d["source_id"]),
        )
        for key, scheme in schemes.items():
            for code, _ in d[key]:
                domains.put((spinoff.pk, concepts.get(scheme, code).pk))
        for parent in d["parents"]:
            record = {"name": parent["name"], "kind": parent_kind(parent["name"], parent["type"]),
                      "country": parent_country(parent["name"])}
            external = (OWNER_SOURCE, parent["source_id"]) if parent["source_id"] else None
            institution = resolver.resolve(record, external=external)
            if institution.pk != spinoff.pk:
                memberships.put((spinoff.pk, institution.pk, Membership.Kind.AFFILIATE))
        seen: set[str] = set()
        for key, label in COMPETENCE_SOURCES.items():
            heading, items = d[key]
            for item in items:
                name, cut = _competence_name(item)
                if name in seen:
                    continue
                seen.add(name)
                description = f"{label}: {heading}" if heading else label
                if cut:
                    description += f"\n{item}"
                competences.put((spinoff.pk, name), {"description": description})
