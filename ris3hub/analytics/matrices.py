"""Region x domain matrices from the registry, the indicator files or a user's CSV.

A *scheme* says what a domain is:

* ``euroscivoc``: the EuroSciVoc field of a project (``Project.concepts``), cut to a depth of the
  tree (1 = the six broad fields, 2 = the 41 fields below them, ...);
* ``thematic``: the CORDIS thematic priority of a project (``Project.thematic_priority``);
* ``topic``: the call topic of a project (``Project.topic_code``, else its call's identifier);
* ``eurito``: a Nesta EURITO preprint topic (indicator files ``eurito:*`` in unit "count");
* ``csv``: a user's long table (``panel_from_csv``).

For the project schemes a record is a participation, placed where the participation says, or
where its organisation is when the source gave no region (as on the region pages), counted once
(``weight="count"``) or by its EU contribution (``weight="eu"``: participations without one are
left out); a project classified in two
domains counts fully in each (full counting, as EconGeo's examples). Its year is the project's
start, else its signature, else its call's year. EURITO files publish every NUTS level, so only
the observations of the level asked for are taken, after mapping their NUTS version to the one in
use (RegionResolver: merged codes add up).

The counting itself is ``aggregate.aggregate`` (Ibis on DuckDB).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ris3hub import conf
from ris3hub.analytics import aggregate
from ris3hub.importers.base import InputError, RowError, parse_decimal, read_csv
from ris3hub.indicators.models import Indicator, Observation
from ris3hub.projects.models import Call, Participation, Project
from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver
from ris3hub.taxonomy.models import Concept

EUROSCIVOC = "euroscivoc"
EURITO_PREFIX = "eurito:"
EURITO_UNIT = "count"
WEIGHTS = {"count": _("participations"), "eu": _("EU contribution (euro)")}
MAX_DEPTH = 7


@dataclass(frozen=True)
class Scheme:
    code: str
    label: object  # a lazy translation
    description: object
    weights: tuple[str, ...]


SCHEMES: dict[str, Scheme] = {
    "eurito": Scheme("eurito", _("EURITO preprint topics"),
                     _("Participations in preprints by topic (Nesta EURITO: arXiv, bioRxiv, medRxiv, CORD-19)"),
                     ("count",)),
    "thematic": Scheme("thematic", _("CORDIS thematic priorities"),
                       _("Participations in EU projects by the project's thematic priority"), ("count", "eu")),
    "euroscivoc": Scheme("euroscivoc", _("EuroSciVoc fields"),
                         _("Participations in EU projects by the project's EuroSciVoc field"), ("count", "eu")),
    "topic": Scheme("topic", _("Call topics"), _("Participations in EU projects by the call topic"),
                    ("count", "eu")),
}
CSV_SCHEME = Scheme("csv", _("User file"), _("A long table region, domain, year, value"), ("count",))
ALL_SCHEMES = {**SCHEMES, "csv": CSV_SCHEME}


@dataclass(frozen=True)
class MatrixSpec:
    """Which matrix: the scheme, the NUTS level of its regions, the weight, the EuroSciVoc depth."""

    scheme: str
    level: int = 2
    weight: str = "count"
    depth: int = 2

    def __post_init__(self):
        if self.scheme not in ALL_SCHEMES:
            raise ValueError(f"'{self.scheme}' is not a scheme; choose one of {', '.join(ALL_SCHEMES)}")
        if not 0 <= self.level <= 3:
            raise ValueError(f"NUTS level {self.level} does not exist (levels are 0 to 3)")
        if self.weight not in ALL_SCHEMES[self.scheme].weights:
            raise ValueError(f"scheme {self.scheme} is weighted by {' or '.join(ALL_SCHEMES[self.scheme].weights)}, "
                             f"not '{self.weight}'")
        if not 1 <= self.depth <= MAX_DEPTH:
            raise ValueError(f"EuroSciVoc depth {self.depth} is not between 1 and {MAX_DEPTH}")

    @property
    def key(self) -> tuple:
        """What tells two matrices apart (the depth matters for EuroSciVoc only)."""
        return (self.scheme, self.level, self.weight, self.depth if self.scheme == EUROSCIVOC else None)


@dataclass
class Panel:
    """Counts of one scheme by (region, domain, year), with the domains' labels."""

    scheme: str
    level: int
    weight: str
    counts: pd.DataFrame  # columns region, domain, year (nullable), value, records
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.counts.empty or not (self.counts["value"] > 0).any()

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.counts["year"].dropna().unique())

    def label(self, domain: str) -> str:
        return self.labels.get(domain, domain)

    def matrix(self, years: tuple[int, int] | None = None) -> tuple[list[str], list[str], np.ndarray]:
        """(regions, domains, values): values summed over the years (those from..to, both included).

        Regions and domains with nothing are left out, so that every row and column has a total
        (the measures divide by them).
        """
        counts = self.counts
        if years is not None:
            counts = counts[(counts["year"] >= years[0]) & (counts["year"] <= years[1])]
        wide = counts.pivot_table(index="region", columns="domain", values="value", aggfunc="sum", fill_value=0.0)
        wide = wide.loc[wide.sum(axis=1) > 0, wide.sum(axis=0) > 0]
        return list(wide.index), list(wide.columns), wide.to_numpy(dtype=float)

    def long(self) -> pd.DataFrame:
        """time, region, domain, value rows with a year (the engines' long-table shape)."""
        dated = self.counts.dropna(subset=["year"])
        return pd.DataFrame({"time": dated["year"].astype(int), "region": dated["region"],
                             "domain": dated["domain"], "value": dated["value"]}).reset_index(drop=True)


# ---- the project schemes


def _participation_rows(version: int):
    """(region code, project id, EU contribution) of every participation placed in a region."""
    return (Participation.objects
            .filter(Q(region__version=version)
                    | Q(region__isnull=True, organisation__region__version=version))
            .annotate(code=Coalesce("region__code", "organisation__region__code"))
            .values_list("code", "project_id", "eu_contribution")
            .order_by())


def _project_years(ids: set[int]) -> dict[int, int | None]:
    years: dict[int, int | None] = {}
    rows = Project.objects.filter(pk__in=ids).values_list("id", "start", "signature_date", "call__year").order_by()
    for pk, start, signed, call_year in rows.iterator(chunk_size=5000):
        years[pk] = start.year if start else signed.year if signed else call_year
    return years


def _in_chunks(ids: list[int], size: int = 900):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _project_domains(scheme: str, ids: set[int], depth: int) -> tuple[dict[int, list[str]], dict[str, str]]:
    """Each project's domains in ``scheme`` and the domains' labels."""
    domains: dict[int, list[str]] = {}
    labels: dict[str, str] = {}
    if scheme == "thematic":
        for chunk in _in_chunks(sorted(ids)):
            for pk, value in Project.objects.filter(pk__in=chunk).exclude(thematic_priority="") \
                    .values_list("id", "thematic_priority").order_by():
                domains[pk] = [value]
                labels[value] = value
    elif scheme == "topic":
        for chunk in _in_chunks(sorted(ids)):
            rows = Project.objects.filter(pk__in=chunk).values_list("id", "topic_code", "topic_title",
                                                                    "call__identifier", "call__title").order_by()
            for pk, topic, topic_title, call, call_title in rows:
                code, title = (topic, topic_title) if topic else (call, call_title)
                if code:
                    domains[pk] = [code]
                    labels[code] = f"{code} {title}".strip() if title and title != code else code
    elif scheme == EUROSCIVOC:
        concepts = {pk: (parent, level, code, label) for pk, parent, level, code, label in
                    Concept.objects.filter(scheme__code=EUROSCIVOC)
                    .values_list("id", "parent_id", "level", "code", "label")}
        at_depth: dict[int, int | None] = {}

        def ancestor(pk: int) -> int | None:
            if pk not in at_depth:
                node = pk
                while node is not None and concepts[node][1] > depth - 1:
                    node = concepts[node][0]
                at_depth[pk] = node if node is not None and concepts[node][1] == depth - 1 else None
            return at_depth[pk]

        through = Project.concepts.through
        links = through.objects.filter(concept__scheme__code=EUROSCIVOC).values_list("project_id", "concept_id")
        found: dict[int, set[int]] = defaultdict(set)
        for project, concept in links.order_by().iterator(chunk_size=5000):
            if project in ids:
                top = ancestor(concept)
                if top is not None:
                    found[project].add(top)
        for project, tops in found.items():
            domains[project] = sorted(concepts[t][2] for t in tops)
            for t in tops:
                labels[concepts[t][2]] = concepts[t][3]
    else:
        raise ValueError(f"'{scheme}' is not a project scheme")
    return domains, labels


def project_records(scheme: str, weight: str = "count", depth: int = 2):
    """Participations as records (region, domain, year, weight) and the domains' labels."""
    version = conf.nuts_version()
    rows = list(_participation_rows(version).iterator(chunk_size=5000))
    ids = {project for _, project, _ in rows}
    domains, labels = _project_domains(scheme, ids, depth)
    years = _project_years(set(domains))
    region, domain, year, amount = [], [], [], []
    for code, project, eu in rows:
        if weight == "eu":
            if eu is None or eu <= 0:
                continue
            value = float(eu)
        else:
            value = 1.0
        for d in domains.get(project, ()):
            region.append(code)
            domain.append(d)
            year.append(years.get(project))
            amount.append(value)
    return aggregate.records_table(region, domain, year, amount), labels


# ---- EURITO indicator files


def eurito_domain(indicator_code: str) -> str:
    """The domain key of an EURITO count indicator: eurito:deep_learning_count -> deep_learning."""
    key = indicator_code.removeprefix(EURITO_PREFIX)
    return key.removesuffix("_count")


def eurito_indicators() -> dict[str, str]:
    """domain -> label of the EURITO count indicators loaded."""
    rows = Indicator.objects.filter(code__startswith=EURITO_PREFIX, unit=EURITO_UNIT).values_list("code", "topic", "label")
    return {eurito_domain(code): topic or label for code, topic, label in rows}


def eurito_records(level: int):
    """EURITO counts of NUTS ``level`` regions, mapped to the NUTS version in use."""
    labels = eurito_indicators()
    width = level + 2
    observations = (Observation.objects
                    .filter(indicator__code__startswith=EURITO_PREFIX, indicator__unit=EURITO_UNIT,
                            value__isnull=False)
                    .values_list("indicator__code", "region_code", "nuts_version", "year", "value").order_by())
    resolver: RegionResolver | None = None
    codes = dict(Region.objects.filter(version=conf.nuts_version()).values_list("id", "code"))
    mapped: dict[tuple[str, int | None], str | None] = {}
    region, domain, year, value = [], [], [], []
    for indicator, code, version, obs_year, obs_value in observations.iterator(chunk_size=10000):
        if len(code) != width:
            continue
        key = (code, version)
        if key not in mapped:
            if resolver is None:
                resolver = RegionResolver()
            try:
                target = codes.get(resolver.resolve(code, version))
            except ValueError:
                target = None
            mapped[key] = target if target is not None and len(target) == width else None
        target = mapped[key]
        if target is None:
            continue
        region.append(target)
        domain.append(eurito_domain(indicator))
        year.append(obs_year)
        value.append(float(obs_value))
    return aggregate.records_table(region, domain, year, value), labels


# ---- building panels


def build_panel(spec: MatrixSpec) -> Panel:
    """The counts of ``spec`` from the database (uncached: see ``cache.panel``)."""
    if spec.scheme == "csv":
        raise ValueError("a user's file is read with panel_from_csv, not from the database")
    if spec.scheme == "eurito":
        records, labels = eurito_records(spec.level)
    else:
        records, labels = project_records(spec.scheme, spec.weight, spec.depth)
    counts = aggregate.aggregate(records, spec.level)
    return Panel(spec.scheme, spec.level, spec.weight, counts, labels)


def data_version() -> tuple:
    """Changes whenever an import adds or removes the rows the matrices are built from."""
    stamp = []
    for queryset in (Participation.objects, Project.objects, Project.concepts.through.objects,
                     Observation.objects, Indicator.objects, Region.objects, Concept.objects):
        totals = queryset.order_by().aggregate(n=Max("id"))
        stamp += [queryset.count(), totals["n"]]
    return tuple(stamp)


# ---- a user's CSV

CSV_COLUMNS = ["region", "domain", "value"]


def panel_from_csv(path: str | Path, level: int | None = None) -> Panel:
    """A long table ``region, domain[, year], value[, label]`` as a panel.

    NUTS codes of any version are mapped to the version in use; with ``level`` the regions are
    cut to that level (codes of coarser regions are rejected), without it they must all be of one
    level. Every problem is collected and raised together (InputError): an unknown code, a value
    that is not a number or is negative, a key (region, domain, year) given twice.
    """
    path = Path(path)
    errors: list[RowError] = []
    rows = []
    seen: dict[tuple, int] = {}
    resolver = RegionResolver()
    if not resolver.known():
        raise InputError(RowError(str(path), None, None, f"no NUTS {resolver.target} regions are loaded; "
                                                         "run `ris3hub import nuts` first"))
    codes = dict(Region.objects.filter(version=resolver.target).values_list("id", "code"))
    labels: dict[str, str] = {}
    for item in read_csv(path, CSV_COLUMNS):
        if isinstance(item, RowError):
            errors.append(item)
            continue
        line, values = item
        problems = []
        raw_code = values["region"].strip().upper()
        try:
            region = codes[resolver.resolve(raw_code)]
        except ValueError as error:
            problems.append(RowError(str(path), line, "region", str(error)))
            region = None
        domain = values["domain"].strip()
        if not domain:
            problems.append(RowError(str(path), line, "domain", "empty domain"))
        year = None
        text = values.get("year", "").strip()
        if text:
            if re.fullmatch(r"\d{4}", text):
                year = int(text)
            else:
                problems.append(RowError(str(path), line, "year", f"'{text}' is not a year (four digits)"))
        try:
            amount = parse_decimal(values["value"])
            if amount is None:
                raise ValueError("empty value (write 0 for none)")
            if math.isnan(amount) or amount < 0:
                raise ValueError(f"'{values['value']}' is negative or not a number; counts are 0 or more")
        except ValueError as error:
            problems.append(RowError(str(path), line, "value", str(error)))
            amount = None
        if problems:
            errors += problems
            continue
        key = (raw_code, domain, year)
        if key in seen:
            errors.append(RowError(str(path), line, "region", f"{raw_code}, {domain}, {year or 'no year'} is "
                                                              f"given twice (also on line {seen[key]})"))
            continue
        seen[key] = line
        if values.get("label", "").strip():
            labels[domain] = values["label"].strip()
        rows.append((line, region, domain, year, amount))
    if not rows and not errors:
        errors.append(RowError(str(path), None, None, "the file has a header and no rows"))
    lengths = {len(r[1]) for r in rows}
    if level is None and len(lengths) > 1:
        errors.append(RowError(str(path), None, "region", "regions of several NUTS levels "
                                                          f"({', '.join(str(n - 2) for n in sorted(lengths))}); "
                                                          "choose one with --level"))
    elif level is not None:
        for line, region, *_ in rows:
            if len(region) < level + 2:
                errors.append(RowError(str(path), line, "region",
                                       f"{region} is a NUTS-{len(region) - 2} region, coarser than level {level}"))
    if errors:
        raise InputError(errors)
    if level is None:
        level = lengths.pop() - 2
    records = aggregate.records_table([r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
                                      [r[4] for r in rows])
    counts = aggregate.aggregate(records, level)
    return Panel("csv", level, "count", counts, {d: labels.get(d, d) for d in counts["domain"].unique()})


def domain_keys(scheme: str) -> set[str]:
    """The domains of a registry scheme that the loaded data has (thematic, topic, eurito)."""
    if scheme == "thematic":
        return set(Project.objects.exclude(thematic_priority="").order_by()
                   .values_list("thematic_priority", flat=True).distinct())
    if scheme == "topic":
        topics = set(Project.objects.exclude(topic_code="").order_by().values_list("topic_code", flat=True).distinct())
        return topics | set(Call.objects.values_list("identifier", flat=True))
    if scheme == "eurito":
        return set(eurito_indicators())
    raise ValueError(f"'{scheme}' domains are taxonomy concepts or not from the registry")
