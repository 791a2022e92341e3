"""Registry records as searchable documents: one id, a name, a text, facets to filter on.

A document's id is ``"<kind>:<pk>"``: ``organisation:12``, ``spinoff:7``, ``project:4410``. Kinds:

- organisation, laboratory, technopole, spinoff: an Organisation (a spin-off is an organisation of
  kind "spinoff" or one known by a knowledge-share.eu id); its text is its name, descriptions,
  domains, competences and what it is looking for;
- competence, equipment, service: what an organisation offers, with that organisation's facets;
- project: title, abstract and call topic of a funded project, with the regions and countries of
  its participants;
- priority: an S3 priority of a regional strategy;
- call: a funding call (topic) with its deadline.

``source_id`` is the record's identifier in the file it came from: the knowledge-share id of a
spin-off, the CORDIS project number of a project, the PIC of an organisation that has one, the
call identifier of a call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.urls import reverse

from ris3hub.projects.models import Call, Participation, Project
from ris3hub.registry.models import Competence, Equipment, ExternalId, Organisation, OrganisationKind, Service
from ris3hub.search.kinds import KINDS, OFFER_KINDS, ORGANISATION_KINDS, SCOPES
from ris3hub.strategies.models import Priority
from ris3hub.taxonomy.models import Concept

SPINOFF_SOURCE = "knowledge-share"
LOOKING_FOR = "Looking for"  # heading of the paragraph saying what an organisation looks for


def is_looking_for(passage: str) -> bool:
    """Whether a passage is what its organisation looks for (a need, not an offer)."""
    return passage.startswith(LOOKING_FOR + ":")


@dataclass(frozen=True)
class Facets:
    regions: tuple[str, ...] = ()  # NUTS codes with every code above them (ITH55, ITH5, ITH, IT)
    countries: tuple[str, ...] = ()
    domains: tuple[int, ...] = ()  # taxonomy.Concept ids
    is_sme: bool | None = None
    trl: int | None = None
    org_kind: str = ""  # the OrganisationKind of the organisation, or of the one offering it
    organisation: int | None = None  # the organisation itself, or the one offering it
    deadline: str | None = None  # calls: ISO date


@dataclass(frozen=True)
class Document:
    id: str
    kind: str
    pk: int
    name: str
    text: str
    source_id: str = ""
    facets: Facets = field(default_factory=Facets)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        facets = data["facets"]
        return cls(**{**data, "facets": Facets(**{k: tuple(v) if isinstance(v, list) else v
                                                  for k, v in facets.items()})})


def document_id(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def document_url(kind: str, pk: int, facets: Facets | None = None) -> str:
    """The page a document is shown on."""
    if kind in ORGANISATION_KINDS:
        return reverse("registry:organisation", args=[pk])
    if kind in OFFER_KINDS and facets is not None and facets.organisation:
        return reverse("registry:organisation", args=[facets.organisation]) + f"#{kind}-{pk}"
    if kind == "project":
        number = Project.objects.filter(pk=pk).values_list("number", flat=True).first()
        return reverse("projects:project", args=[number]) if number else ""
    if kind == "priority" and facets is not None and facets.regions:
        return reverse("regions:region", args=[facets.regions[0]])
    if kind == "call":
        return reverse("search:call", args=[pk])
    return ""


def region_codes(code: str | None) -> tuple[str, ...]:
    """A NUTS code and the codes above it, most specific first: NUTS codes nest by prefix."""
    if not code:
        return ()
    return tuple(code[:n] for n in range(len(code), 1, -1))


def _join(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _labelled(heading: str, items: Iterable[str]) -> str:
    items = [i for i in dict.fromkeys(i.strip() for i in items) if i]
    return f"{heading}: " + "; ".join(items) if items else ""


class _ConceptLabels:
    """Labels (with the Italian one where given) of concepts, read once."""

    def __init__(self) -> None:
        self._labels: dict[int, str] = {}

    def load(self, ids: Iterable[int]) -> None:
        missing = set(ids) - set(self._labels)
        for pk, label, label_it in Concept.objects.filter(pk__in=missing).values_list("pk", "label", "label_it"):
            self._labels[pk] = f"{label} ({label_it})" if label_it and label_it != label else label

    def __call__(self, ids: Iterable[int]) -> list[str]:
        return [self._labels[i] for i in ids if i in self._labels]


def _m2m(through, left: str, right: str, ids: set[int] | None) -> dict[int, list[int]]:
    query = through.objects.all() if ids is None else through.objects.filter(**{f"{left}__in": ids})
    out: dict[int, list[int]] = defaultdict(list)
    for a, b in query.values_list(left, right).order_by(left, right).iterator(chunk_size=20000):
        out[a].append(b)
    return out


def _chunks(ids: set[int] | None, size: int = 900) -> Iterator[set[int] | None]:
    """``ids`` in pieces small enough for SQLite's parameter limit; None (every record) as is."""
    if ids is None:
        yield None
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield set(ordered[start:start + size])


def organisation_kind(org_kind: str, has_spinoff_id: bool) -> str:
    if org_kind == OrganisationKind.SPINOFF or has_spinoff_id:
        return "spinoff"
    if org_kind in (OrganisationKind.LABORATORY, OrganisationKind.TECHNOPOLE):
        return str(org_kind)
    return "organisation"


def organisation_documents(ids: set[int] | None = None, scope: str = "default") -> Iterator[Document]:
    """Documents of organisations (all, or those of ``ids``), in ``scope``."""
    for chunk in _chunks(ids):
        yield from _organisation_documents(chunk, scope)


def _organisation_documents(ids: set[int] | None, scope: str) -> Iterator[Document]:
    orgs = Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)
    spinoff_ids: dict[int, str] = {}
    external = ExternalId.objects.filter(source=SPINOFF_SOURCE)
    if ids is not None:
        external = external.filter(organisation_id__in=ids)
    for org_id, value in external.order_by("value").values_list("organisation_id", "value"):
        spinoff_ids.setdefault(org_id, value)
    domains = _m2m(Organisation.domains.through, "organisation_id", "concept_id", ids)
    labels = _ConceptLabels()
    labels.load({c for cs in domains.values() for c in cs})
    offers: dict[str, dict[int, list[str]]] = {}
    for kind, model in (("competence", Competence), ("equipment", Equipment), ("service", Service)):
        offers[kind] = defaultdict(list)
        rows = model.objects.all() if ids is None else model.objects.filter(organisation_id__in=ids)
        for org_id, name in rows.order_by("organisation_id", "name").values_list("organisation_id", "name"):
            offers[kind][org_id].append(name)
    fields = ("pk", "name", "short_name", "kind", "is_sme", "pic", "city", "country", "region__code",
              "description", "description_it", "trl", "looking_for")
    for o in orgs.order_by("pk").values(*fields).iterator(chunk_size=5000):
        pk = o["pk"]
        kind = organisation_kind(o["kind"], pk in spinoff_ids)
        has_text = (any(o[f] for f in ("description", "description_it", "looking_for"))
                    or any(pk in by_org for by_org in offers.values()))
        if scope != "all" and kind == "organisation" and not has_text:
            continue
        name = o["name"] + (f" ({o['short_name']})" if o["short_name"] else "")
        place = ", ".join(p for p in (o["city"], o["country"]) if p)
        text = _join(
            name + (f" — {place}" if place else ""),
            o["description"],
            o["description_it"],
            _labelled("Domains", labels(domains.get(pk, ()))),
            _labelled("Competences", offers["competence"].get(pk, ())),
            _labelled("Equipment", offers["equipment"].get(pk, ())),
            _labelled("Services", offers["service"].get(pk, ())),
            _labelled(LOOKING_FOR, [o["looking_for"]]),
        )
        yield Document(
            id=document_id(kind, pk), kind=kind, pk=pk, name=o["name"], text=text,
            source_id=spinoff_ids.get(pk) or o["pic"],
            facets=Facets(regions=region_codes(o["region__code"]), countries=(o["country"],) if o["country"] else (),
                          domains=tuple(domains.get(pk, ())), is_sme=o["is_sme"], trl=o["trl"],
                          org_kind=o["kind"], organisation=pk),
        )


def offer_documents(kind: str, ids: set[int] | None = None) -> Iterator[Document]:
    """Documents of competences, equipment or services (``kind``), with their organisation's facets."""
    for chunk in _chunks(ids):
        yield from _offer_documents(kind, chunk)


def _offer_documents(kind: str, ids: set[int] | None) -> Iterator[Document]:
    model = {"competence": Competence, "equipment": Equipment, "service": Service}[kind]
    rows = model.objects.all() if ids is None else model.objects.filter(pk__in=ids)
    extra = {"competence": (), "equipment": ("location", "conditions"), "service": ("category",)}[kind]
    concept_ids: dict[int, list[int]] = {}
    labels = _ConceptLabels()
    if kind == "competence":
        concept_ids = _m2m(Competence.concepts.through, "competence_id", "concept_id", ids)
        labels.load({c for cs in concept_ids.values() for c in cs})
    fields = ("pk", "name", "description", *extra, "organisation_id", "organisation__name", "organisation__kind",
              "organisation__is_sme", "organisation__trl", "organisation__country", "organisation__region__code")
    records = list(rows.order_by("pk").values(*fields))
    org_domains = _m2m(Organisation.domains.through, "organisation_id", "concept_id",
                       None if ids is None else {r["organisation_id"] for r in records})
    for r in records:
        pk = r["pk"]
        details = [r[f] for f in extra if f != "category"]
        if kind == "service":
            details.insert(0, str(Service.Category(r["category"]).label) if r["category"] in Service.Category.values
                           else r["category"])
        country = r["organisation__country"]
        yield Document(
            id=document_id(kind, pk), kind=kind, pk=pk, name=r["name"],
            text=_join(f"{r['name']} — {r['organisation__name']}", r["description"], *details,
                       _labelled("Domains", labels(concept_ids.get(pk, ())))),
            facets=Facets(regions=region_codes(r["organisation__region__code"]),
                          countries=(country,) if country else (),
                          domains=tuple(dict.fromkeys([*concept_ids.get(pk, ()),
                                                       *org_domains.get(r["organisation_id"], ())])),
                          is_sme=r["organisation__is_sme"], trl=r["organisation__trl"],
                          org_kind=r["organisation__kind"], organisation=r["organisation_id"]),
        )


def project_documents(ids: set[int] | None = None, scope: str = "default") -> Iterator[Document]:
    for chunk in _chunks(ids, 20000 if ids is None else 900):
        yield from _project_documents(chunk, scope)


def _project_places(ids: set[int] | None) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Region codes (with their ancestors) and countries of each project's participants."""
    regions: dict[int, set[str]] = defaultdict(set)
    countries: dict[int, set[str]] = defaultdict(set)
    rows = Participation.objects.all() if ids is None else Participation.objects.filter(project_id__in=ids)
    for project_id, code, org_code, country in rows.values_list(
            "project_id", "region__code", "organisation__region__code", "organisation__country").iterator(chunk_size=20000):
        regions[project_id].update(region_codes(code or org_code))
        if country:
            countries[project_id].add(country)
    return regions, countries


def _project_documents(ids: set[int] | None, scope: str) -> Iterator[Document]:
    projects = Project.objects.all() if ids is None else Project.objects.filter(pk__in=ids)
    if scope != "all":
        projects = projects.exclude(title="")
    regions, countries = _project_places(ids)
    concepts = _m2m(Project.concepts.through, "project_id", "concept_id", ids)
    fields = ("pk", "number", "acronym", "title", "abstract", "topic_title", "framework")
    for p in projects.order_by("pk").values(*fields).iterator(chunk_size=5000):
        pk = p["pk"]
        title = p["title"] or p["topic_title"] or p["number"]
        name = f"{p['acronym']} — {title}" if p["acronym"] else title
        yield Document(
            id=document_id("project", pk), kind="project", pk=pk, name=name,
            # The topic as the call's own title reads, so both share their encoded vectors.
            text=_join(name, p["abstract"], p["topic_title"]),
            source_id=p["number"],
            facets=Facets(regions=tuple(sorted(regions.get(pk, ()), key=lambda c: (-len(c), c))),
                          countries=tuple(sorted(countries.get(pk, ()))), domains=tuple(concepts.get(pk, ()))),
        )


def priority_documents(ids: set[int] | None = None) -> Iterator[Document]:
    for chunk in _chunks(ids):
        priorities = Priority.objects.all() if chunk is None else Priority.objects.filter(pk__in=chunk)
        concepts = _m2m(Priority.concepts.through, "priority_id", "concept_id", chunk)
        labels = _ConceptLabels()
        labels.load({c for cs in concepts.values() for c in cs})
        fields = ("pk", "code", "title", "title_it", "description", "strategy__title", "strategy__period",
                  "strategy__region__code", "strategy__region__country", "strategy__region__name_latn")
        for p in priorities.order_by("pk").values(*fields):
            pk = p["pk"]
            yield Document(
                id=document_id("priority", pk), kind="priority", pk=pk, name=p["title"],
                text=_join(p["title"], p["title_it"], p["description"],
                           f"{p['strategy__title']} ({p['strategy__period']}), {p['strategy__region__name_latn']}",
                           _labelled("Domains", labels(concepts.get(pk, ())))),
                source_id=p["code"],
                facets=Facets(regions=region_codes(p["strategy__region__code"]),
                              countries=(p["strategy__region__country"],), domains=tuple(concepts.get(pk, ()))),
            )


def call_documents(ids: set[int] | None = None) -> Iterator[Document]:
    for chunk in _chunks(ids, 20000 if ids is None else 900):
        calls = Call.objects.exclude(title="")
        if chunk is not None:
            calls = calls.filter(pk__in=chunk)
        for c in calls.order_by("pk").values("pk", "identifier", "title", "deadline", "programme__name"):
            yield Document(
                id=document_id("call", c["pk"]), kind="call", pk=c["pk"], name=c["title"],
                text=_join(c["title"], c["programme__name"] or ""), source_id=c["identifier"],
                facets=Facets(deadline=c["deadline"].isoformat() if c["deadline"] else None),
            )


def all_documents(scope: str = "default") -> Iterator[Document]:
    """Every document of the registry in ``scope`` (see SCOPES)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope '{scope}'; use one of {', '.join(SCOPES)}")
    yield from organisation_documents(scope=scope)
    for kind in OFFER_KINDS:
        yield from offer_documents(kind)
    yield from project_documents(scope=scope)
    yield from priority_documents()
    yield from call_documents()


# Which documents a saved or deleted record touches: model label -> how to find them.
def affected_records(changes: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    """The records whose documents must be rebuilt after ``changes`` ((model label, pk) pairs).

    An organisation's change reaches its competences, equipment and services (their facets come
    from it); an offer's change reaches its organisation (whose text lists it); a strategy's, its
    priorities; a participation's, its project.
    """
    by_model: dict[str, set[int]] = defaultdict(set)
    for model, pk in changes:
        by_model[model].add(pk)
    out: dict[str, set[int]] = defaultdict(set)
    out["organisation"] |= by_model.get("registry.organisation", set())
    for kind in OFFER_KINDS:
        out[kind] |= by_model.get(f"registry.{kind}", set())
    out["project"] |= by_model.get("projects.project", set())
    out["priority"] |= by_model.get("strategies.priority", set())
    out["call"] |= by_model.get("projects.call", set())
    if by_model.get("registry.externalid"):
        out["organisation"] |= set(ExternalId.objects.filter(pk__in=by_model["registry.externalid"])
                                   .values_list("organisation_id", flat=True))
    if by_model.get("strategies.strategy"):
        out["priority"] |= set(Priority.objects.filter(strategy_id__in=by_model["strategies.strategy"])
                               .values_list("pk", flat=True))
    if by_model.get("projects.participation"):
        out["project"] |= set(Participation.objects.filter(pk__in=by_model["projects.participation"])
                              .values_list("project_id", flat=True))
    for kind, model in (("competence", Competence), ("equipment", Equipment), ("service", Service)):
        if out[kind]:
            out["organisation"] |= set(model.objects.filter(pk__in=out[kind]).values_list("organisation_id", flat=True))
    if out["organisation"]:
        for kind, model in (("competence", Competence), ("equipment", Equipment), ("service", Service)):
            out[kind] |= set(model.objects.filter(organisation_id__in=out["organisation"]).values_list("pk", flat=True))
    return {k: v for k, v in out.items() if v}


def documents_of(records: dict[str, set[int]], scope: str = "default") -> Iterator[Document]:
    """The current documents of ``records`` (record group -> pks, as :func:`affected_records` gives)."""
    if records.get("organisation"):
        yield from organisation_documents(records["organisation"], scope)
    for kind in OFFER_KINDS:
        if records.get(kind):
            yield from offer_documents(kind, records[kind])
    if records.get("project"):
        yield from project_documents(records["project"], scope)
    if records.get("priority"):
        yield from priority_documents(records["priority"])
    if records.get("call"):
        yield from call_documents(records["call"])


def possible_ids(records: dict[str, set[int]]) -> set[str]:
    """Every id the documents of ``records`` may have had (an organisation's kind may have changed)."""
    ids = set()
    for group, pks in records.items():
        kinds = ORGANISATION_KINDS if group == "organisation" else (group,)
        ids |= {document_id(kind, pk) for kind in kinds for pk in pks}
    return ids

