"""Loading the registry template an agency fills (``ris3hub import registry PATH``).

Organisations are matched with every other source (OrganisationResolver: the registry ref,
PIC, VAT, name and city) and known afterwards by ExternalId("registry", ref). The agency's
registry is its own word on its network: a value it gives replaces the stored one; a blank
cell keeps what other sources said. In the other sheets every row is written as given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ris3hub.core.loading import ImportContext
from ris3hub.importers.base import InputError, Row, RowError
from ris3hub.importers.registry_template import SHEETS, Source, read_rows, read_sources
from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver
from ris3hub.registry.actions import membership_graph, membership_problems
from ris3hub.registry.matching import OrganisationResolver, clean_pic, clean_vat
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
from ris3hub.taxonomy.models import Concept

SOURCE = "registry"

VOCABULARIES: dict[str, Any] = {
    "organisation_kind": OrganisationKind,
    "membership_kind": Membership.Kind,
    "membership_status": Membership.Status,
    "equipment_access": Equipment.Access,
    "service_category": Service.Category,
}

# organisations columns written to Organisation fields as they are
PROFILE_COLUMNS = ("name", "kind", "short_name", "is_sme", "pic", "vat", "ror", "website", "street", "postcode",
                   "city", "country", "description", "description_it", "trl", "looking_for")


def vocabularies() -> dict[str, list[str]]:
    return {name: list(choices.values) for name, choices in VOCABULARIES.items()}


class _Registry:
    """State of one registry import: refs, regions, concepts, and the counts of the organisations."""

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.resolver = OrganisationResolver(ctx)
        self.refs: dict[str, Organisation] = {}
        self.rejected_refs: set[str] = set()
        self.stored_refs = dict(ExternalId.objects.filter(source=SOURCE).values_list("value", "organisation_id"))
        self._regions: RegionResolver | None = None
        self._region_country: dict[int, str] = {}
        self._concepts: dict[tuple[str, str], int] | None = None

    def region(self, code: str) -> tuple[int, str]:
        """The id and country of the region of a NUTS code (any version); ValueError with the reason."""
        if self._regions is None:
            self._regions = RegionResolver()
        pk = self._regions.resolve(code)
        if pk not in self._region_country:
            self._region_country[pk] = Region.objects.values_list("country", flat=True).get(pk=pk)
        return pk, self._region_country[pk]

    def concepts(self, row: Row, column: str, pairs: list[tuple[str, str]]) -> list[int] | None:
        if self._concepts is None:
            self._concepts = {(s, c): pk for pk, s, c in Concept.objects.values_list("id", "scheme__code", "code")}
        missing = [f"{s}:{c}" for s, c in pairs if (s, c) not in self._concepts]
        if missing:
            self.ctx.reject(row.error(column, f"{', '.join(missing)}: not a loaded concept (load its scheme "
                                              "first with `ris3hub import taxonomy`)"))
            return None
        return [self._concepts[p] for p in pairs]

    def organisation(self, row: Row, column: str) -> Organisation | None:
        ref = row.data[column]
        if ref in self.refs:
            return self.refs[ref]
        if ref in self.rejected_refs:
            self.ctx.reject(row.error(column, f"the organisation '{ref}' was rejected (see its row)"))
            return None
        if ref in self.stored_refs:
            org = Organisation.objects.get(pk=self.stored_refs[ref])
            self.refs[ref] = org
            return org
        self.ctx.reject(row.error(column, f"'{ref}' is not the ref of an organisation (not in the organisations "
                                          "sheet, nor loaded before)"))
        return None


def _rows(ctx: ImportContext, sources: list[Source], sheet: str, seen: dict) -> list[Row]:
    rows: list[Row] = []
    for source in (s for s in sources if s.sheet.name == sheet):
        rows += ctx.rows(read_rows(source, vocabularies(), seen), desc=f"{Path(source.label).name}: {sheet}",
                         total=len(source.items))
    return rows


def _identity_conflicts(reg: _Registry, row: Row, found: Organisation | None, record: dict[str, Any]) -> bool:
    """Rejects a row whose PIC or VAT is another organisation's; True when rejected."""
    rejected = False
    for field, index in (("pic", reg.resolver.by_pic), ("vat", reg.resolver.by_vat)):
        value = record.get(field)
        other = index.get(value) if value else None
        if other is not None and (found is None or other.pk != found.pk):
            reg.ctx.reject(row.error(field, f"{field.upper()} {value} is already the {field.upper()} of "
                                            f"{other} (id {other.pk}), another organisation than ref '{row.data['ref']}'"))
            rejected = True
    return rejected


def _load_organisations(reg: _Registry, rows: list[Row]) -> None:
    ctx = reg.ctx
    counts = ctx.report.counts[Organisation._meta.label]
    domains = ctx.upserter(Organisation.domains.through, ("organisation_id", "concept_id"))
    for row in rows:
        d = row.data
        record = {k: d[k] for k in PROFILE_COLUMNS if d.get(k) not in (None, "")}
        record["pic"] = clean_pic(record.get("pic"))
        record["vat"] = clean_vat(record.get("vat"))
        ok = True
        if d["region"]:
            try:
                record["region_id"], country = reg.region(d["region"])
            except ValueError as exc:
                ctx.reject(row.error("region", str(exc)))
                ok = False
            else:
                record.setdefault("country", country)
        concept_ids = reg.concepts(row, "domains", d["domains"]) if d["domains"] else []
        external = (SOURCE, d["ref"])
        found = reg.resolver.find(record, external)
        conflicts = _identity_conflicts(reg, row, found, record)
        if concept_ids is None or conflicts or not ok:
            reg.rejected_refs.add(d["ref"])
            continue
        before = counts["unchanged"]
        org = reg.resolver.resolve(record, external=external)
        changed = [k for k, v in record.items() if v not in (None, "") and getattr(org, k) != v]
        if changed:
            for k in changed:
                setattr(org, k, record[k])
            org.save()
            if counts["unchanged"] > before:  # the resolver found nothing to fill; the registry changed it
                counts["unchanged"] -= 1
                counts["updated"] += 1
        reg.refs[d["ref"]] = org
        for concept_id in concept_ids:
            domains.put((org.pk, concept_id))


def _load_memberships(reg: _Registry, rows: list[Row]) -> None:
    memberships = reg.ctx.upserter(Membership, ("member_id", "network_id", "kind"))
    graph = membership_graph()
    for row in rows:
        member, network = reg.organisation(row, "member_ref"), reg.organisation(row, "network_ref")
        if member is None or network is None:
            continue
        d = row.data
        key = (member.pk, network.pk, d["kind"])
        problems = membership_problems(member, network, d["kind"], d["start"], d["end"], graph)
        if problems:
            columns = {"member": "member_ref", "network": "network_ref"}
            for field, reason in problems.items():
                reg.ctx.reject(row.error(columns.get(field, field), reason))
            continue
        memberships.put(key, {"status": d["status"], "start": d["start"], "end": d["end"]})
        graph.setdefault(member.pk, set()).add(network.pk)


def _load_competences(reg: _Registry, rows: list[Row]) -> None:
    competences = reg.ctx.upserter(Competence, ("organisation_id", "name"))
    links = reg.ctx.upserter(Competence.concepts.through, ("competence_id", "concept_id"))
    pending: list[tuple[Competence, list[int]]] = []
    for row in rows:
        org = reg.organisation(row, "organisation_ref")
        concept_ids = reg.concepts(row, "concepts", row.data["concepts"]) if row.data["concepts"] else []
        if org is None or concept_ids is None:
            continue
        competence = competences.put((org.pk, row.data["name"]), {"description": row.data["description"]})
        pending.append((competence, concept_ids))
    competences.flush()
    for competence, concept_ids in pending:
        for concept_id in concept_ids:
            links.put((competence.pk, concept_id))


def _load_equipment(reg: _Registry, rows: list[Row]) -> None:
    equipment = reg.ctx.upserter(Equipment, ("organisation_id", "name"))
    for row in rows:
        org = reg.organisation(row, "organisation_ref")
        if org is not None:
            d = row.data
            equipment.put((org.pk, d["name"]), {k: d[k] for k in (
                "description", "location", "access", "conditions", "booking_contact")})


def _load_services(reg: _Registry, rows: list[Row]) -> None:
    services = reg.ctx.upserter(Service, ("organisation_id", "name"))
    for row in rows:
        org = reg.organisation(row, "organisation_ref")
        if org is not None:
            services.put((org.pk, row.data["name"]), {"category": row.data["category"],
                                                      "description": row.data["description"]})


def _load_contracts(reg: _Registry, rows: list[Row]) -> None:
    contracts = reg.ctx.upserter(ResearchContract, ("lab_id", "reference"))
    for row in rows:
        lab, company = reg.organisation(row, "lab_ref"), reg.organisation(row, "company_ref")
        if lab is None or company is None:
            continue
        if lab.pk == company.pk:
            reg.ctx.reject(row.error("company_ref", f"{lab} cannot have a contract with itself"))
            continue
        d = row.data
        contracts.put((lab.pk, d["reference"]), {"company_id": company.pk, "title": d["title"], "value": d["value"],
                                                 "date": d["date"]})


LOADERS = {
    "organisations": _load_organisations,
    "memberships": _load_memberships,
    "competences": _load_competences,
    "equipment": _load_equipment,
    "services": _load_services,
    "contracts": _load_contracts,
}


def load_registry(paths: list[Path], ctx: ImportContext) -> None:
    sources: list[Source] = []
    errors: list[RowError] = []
    for path in paths:
        try:
            sources += read_sources(path)
        except InputError as exc:
            errors += exc.errors
    if errors:
        raise InputError(errors)
    reg = _Registry(ctx)
    seen: dict[tuple, str] = {}
    for sheet in SHEETS:
        rows = _rows(ctx, sources, sheet, seen)
        LOADERS[sheet](reg, rows)
        ctx.flush()

