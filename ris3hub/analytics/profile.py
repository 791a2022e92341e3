"""A region's S3 profile: what it is specialised in, what it could become good at, how that
compares with its peers and with its declared strategy.

Everything is read from a ``measures.Space`` (the measures of every region for one matrix,
cached) and arranged as rows, so that the page, its CSV downloads, the printable report and the
``ris3hub opportunities`` command show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ris3hub import conf
from ris3hub.analytics import cache, charts, matrices
from ris3hub.analytics.matrices import ALL_SCHEMES, EUROSCIVOC, MatrixSpec
from ris3hub.analytics.measures import Space
from ris3hub.core import charts as core_charts
from ris3hub.engines.s3.opportunities import diversification_opportunities
from ris3hub.engines.s3.panel import panel_from_long
from ris3hub.engines.s3.peers import lagging_regions, similar_regions
from ris3hub.engines.s3.stress_test import stress_test
from ris3hub.engines.s3.trends import emerging_trends
from ris3hub.engines.s3.validation import S3InputError
from ris3hub.indicators.models import Observation
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.models import Region
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept, ConceptMapping

DEFAULT_ORDER = ("eurito", "thematic", "euroscivoc", "topic")
PEERS = 8

# The quadrants of ris3hub.engines.s3.opportunities (Balland et al. 2019), as the page names them.
QUADRANTS = {
    "ideal": gettext_lazy("Low risk, high gain"),
    "stretch": gettext_lazy("High risk, high gain"),
    "safe": gettext_lazy("Low risk, low gain"),
    "weak": gettext_lazy("High risk, low gain"),
}
# Relatedness density and complexity as on the rest of the page: py-ecomplexity's proximity (the
# domain space drawn) and PCI.
RELATEDNESS = "proximity"


def available_schemes() -> list[str]:
    """The registry schemes with data, in the order a page offers them (the default first)."""
    found = []
    for scheme in DEFAULT_ORDER:
        if _has_data(scheme):
            found.append(scheme)
    return found


def _has_data(scheme: str) -> bool:
    placed = Participation.objects.filter(region__isnull=False) | Participation.objects.filter(
        organisation__region__isnull=False)
    if scheme == "eurito":
        return Observation.objects.filter(indicator__code__startswith=matrices.EURITO_PREFIX,
                                          indicator__unit=matrices.EURITO_UNIT).exists()
    if scheme == "thematic":
        return placed.exclude(project__thematic_priority="").exists()
    if scheme == "topic":
        return placed.filter(Exists(Project.objects.filter(pk=OuterRef("project_id"))
                                    .exclude(topic_code="", call__isnull=True))).exists()
    if scheme == EUROSCIVOC:
        through = Project.concepts.through
        return placed.filter(Exists(through.objects.filter(project_id=OuterRef("project_id"),
                                                           concept__scheme__code=EUROSCIVOC))).exists()
    return False


@dataclass(frozen=True)
class DomainRow:
    domain: str
    label: str
    value: float  # the region's count or amount
    rca: float
    density: float  # 0 to 1: how much of what is related to the domain the region has
    pci: float  # complexity of the domain
    cog: float  # complexity outlook gain of entering it (0 where the region is specialised)
    specialised: bool


@dataclass
class Profile:
    region: Region
    spec: MatrixSpec
    space: Space
    row: int
    domain_rows: list[DomainRow] = field(default_factory=list)
    version: tuple | None = None
    memo: dict = field(default_factory=dict, repr=False)  # results computed for this request

    def remember(self, name: str, build):
        if name not in self.memo:
            self.memo[name] = build()
        return self.memo[name]

    @property
    def scheme(self):
        return ALL_SCHEMES[self.spec.scheme]

    @property
    def eci(self) -> float:
        return float(self.space.eci[self.row])

    @property
    def coi(self) -> float:
        return float(self.space.coi[self.row])

    @property
    def eci_rank(self) -> int:
        """1 for the most complex region of the matrix."""
        return int((self.space.eci > self.space.eci[self.row]).sum()) + 1

    @property
    def region_count(self) -> int:
        return len(self.space.regions)

    @property
    def specialised(self) -> list[DomainRow]:
        return sorted((r for r in self.domain_rows if r.specialised), key=lambda r: -r.rca)

    @property
    def total(self) -> float:
        return float(self.space.X[self.row].sum())


class NoData(ValueError):
    """The region has nothing in the chosen matrix."""


def build(region: Region, spec: MatrixSpec) -> Profile:
    """The profile of ``region`` in the matrix ``spec`` (whose level must be the region's)."""
    if spec.level != region.level:
        raise ValueError(f"{region.code} is a NUTS-{region.level} region; the matrix compares NUTS-{spec.level} regions")
    version = matrices.data_version()
    return build_from_space(region, spec, cache.space(spec, version), version)


def build_from_space(region: Region, spec: MatrixSpec, space: Space, version: tuple | None = None) -> Profile:
    """The profile of ``region`` in measures computed already (from the cache, or a user's file).

    ``version`` is the data version the measures were computed for: what else the page caches
    for the matrix (trends, peers, the network's layout) is kept under it."""
    row = space.row(region.code)
    if row is None:
        raise NoData(_("%(region)s has no data in %(what)s at NUTS level %(level)s.") % {
            "region": region.code, "what": ALL_SCHEMES[spec.scheme].label, "level": spec.level})
    rows = [
        DomainRow(domain=d, label=space.label(d), value=float(space.X[row, j]), rca=float(space.rca[row, j]),
                  density=float(space.density[row, j]), pci=float(space.pci[j]), cog=float(space.cog[row, j]),
                  specialised=bool(space.M[row, j]))
        for j, d in enumerate(space.domains)
    ]
    return Profile(region, spec, space, row, rows, version=version)


def _shared(p: Profile, kind: str, build):
    """What every region's page of the matrix shares (cached with the matrix's data version);
    computed afresh for measures that are not cached (a user's file)."""
    if p.version is None:
        return build()
    return cache.get(kind, p.spec.key, build, p.version)


def region_for(code: str) -> Region | None:
    return Region.objects.filter(version=conf.nuts_version(), code=code.strip().upper()).first()


def rca_across_regions(profile: Profile, domain: str) -> list[tuple[str, float, float]]:
    """(region code, RCA, value) of every region of the matrix in ``domain``."""
    j = profile.space.domains.index(domain)
    return [(code, float(profile.space.rca[i, j]), float(profile.space.X[i, j]))
            for i, code in enumerate(profile.space.regions)]


def proximity_edges(profile: Profile) -> list[tuple[str, str, float]]:
    """Every pair of domains with a positive proximity (the data behind the network)."""
    phi = np.asarray(profile.space.phi)
    domains = profile.space.domains
    n = len(domains)
    return [(domains[i], domains[j], float(phi[i, j])) for i in range(n) for j in range(i + 1, n) if phi[i, j] > 0]


@dataclass(frozen=True)
class Opportunity:
    rank: int
    domain: str
    label: str
    rca: float
    density: float
    pci: float
    cog: float
    quadrant: str
    score: float

    @property
    def quadrant_label(self) -> str:
        return str(QUADRANTS[self.quadrant])


def opportunities(p: Profile) -> list[Opportunity]:
    """The domains the region is not specialised in, ranked (ris3hub.engines.s3.opportunities)."""
    return p.remember("opportunities", lambda: _opportunities(p))


def _opportunities(p: Profile) -> list[Opportunity]:
    table = diversification_opportunities(p.space.X, p.row, domains=p.space.domains,
                                          relatedness_method=RELATEDNESS, complexity=p.space.pci)
    column = {d: j for j, d in enumerate(p.space.domains)}
    return [Opportunity(rank=int(r.rank), domain=r.domain, label=p.space.label(r.domain), rca=float(r.rca),
                        density=float(r.relatedness_density), pci=float(r.complexity),
                        cog=float(p.space.cog[p.row, column[r.domain]]), quadrant=r.quadrant, score=float(r.score))
            for r in table.itertuples()]


def split_density(p: Profile, candidates: list[Opportunity] | None = None) -> float:
    """Where the quadrants split on relatedness density: the mean over the candidates, as the engine."""
    candidates = opportunities(p) if candidates is None else candidates
    return float(np.mean([o.density for o in candidates])) if candidates else 0.0


def split_complexity(p: Profile, candidates: list[Opportunity] | None = None) -> float:
    candidates = opportunities(p) if candidates is None else candidates
    return float(np.mean([o.pci for o in candidates])) if candidates else 0.0


def scatter_points(p: Profile, candidates: list[Opportunity] | None = None) -> list[charts.Point]:
    """Every domain on the relatedness / complexity plane: the candidates with their quadrant,
    the domains the region holds already without one."""
    candidates = opportunities(p) if candidates is None else candidates
    placed = {o.domain: o for o in candidates}
    points = []
    for r in p.domain_rows:
        o = placed.get(r.domain)
        points.append(charts.Point(label=r.label, x=o.density if o else r.density, y=r.pci, rca=r.rca,
                                   quadrant=o.quadrant if o else "", quadrant_label=o.quadrant_label if o else ""))
    return points


def opportunities_document(p: Profile, rows: list[Opportunity]) -> dict:
    """The JSON of `ris3hub opportunities --json` and of the API."""
    return {
        "region": p.region.code, "name": p.region.name_latn, "scheme": p.spec.scheme, "level": p.spec.level,
        "weight": p.spec.weight, "depth": p.spec.depth if p.spec.scheme == EUROSCIVOC else None,
        "regions": len(p.space.regions), "domains": len(p.space.domains),
        "eci": p.eci, "eci_rank": p.eci_rank, "coi": p.coi,
        "specialised": [r.domain for r in p.specialised],
        "opportunities": [{"rank": o.rank, "domain": o.domain, "label": o.label, "rca": o.rca,
                           "relatedness_density": o.density, "complexity": o.pci, "cog": o.cog,
                           "quadrant": o.quadrant, "quadrant_label": o.quadrant_label} for o in rows],
    }


def network_layout(p: Profile) -> tuple[list[tuple[int, int, float]], np.ndarray]:
    """The links drawn in the domain space and the domains' positions, once per matrix."""
    def build():
        edges = charts.backbone(np.asarray(p.space.phi))
        return edges, charts.spring_layout(len(p.space.domains), edges)

    return _shared(p, "network", build)


def named_domains(p: Profile, candidates: list[Opportunity], best: int = 5, most: int = 25) -> set[int]:
    """The domains the network names on the page: the region's strongest specialisations and its
    best opportunities (at most ``most`` in all, so that the names stay readable)."""
    held = sorted((j for j, r in enumerate(p.domain_rows) if r.specialised), key=lambda j: -p.domain_rows[j].rca)
    column = {d: j for j, d in enumerate(p.space.domains)}
    chosen = [column[o.domain] for o in candidates[:best]]
    return set(chosen + held[: most - len(chosen)])


def map_figure(p: Profile, domain: str, query: str = "") -> dict:
    """Every region of the profile's level coloured by its RCA in ``domain``; a click opens its profile."""
    version, level = p.region.version, p.region.level

    def base():
        regions = Region.objects.filter(version=version, level=level).exclude(geometry="").only("code", "geometry")
        areas = [core_charts.Area(code=r.code, geometry=r.geometry, value=0.0, hover="", url="") for r in regions]
        return core_charts.choropleth(areas, colorbar_title="RCA", tickformat=".1f", height=580)

    names = cache.get("names", (version, level), lambda: dict(
        Region.objects.filter(version=version, level=level).values_list("code", "name_latn")), p.version)
    label = p.space.label(domain)
    suffix = f"?{query}" if query else ""
    values, hovers, urls = {}, {}, {}
    for code, rca, value in rca_across_regions(p, domain):
        values[code] = rca
        hovers[code] = f"{names.get(code, code)} ({code})<br>{label}<br>RCA {rca:.2f} · {value:,.0f}"
    for code in names:
        hovers.setdefault(code, f"{names[code]} ({code})<br>{label}<br>—")
        urls[code] = reverse("analytics:profile", args=[code]) + suffix
    return charts.rca_map(cache.get("map", (version, level), base, p.version), values, hovers, urls)


# ---- trends


TREND_LINES = 5


@dataclass(frozen=True)
class TrendRow:
    domain: str
    label: str
    growth: float  # continuous growth rate a year of log(1 + value)
    error: float  # its standard error
    low: float
    high: float  # the 95% confidence interval of growth
    acceleration: float
    excess: float  # growth minus the growth of all the region's activity
    emerging: bool
    overall_growth: float  # the domain's growth over all regions
    overall_emerging: bool


@dataclass(frozen=True)
class TrendSeries:
    domain: str
    label: str
    values: list[float]


@dataclass
class Trends:
    years: list[int]
    rows: list[TrendRow]
    series: list[TrendSeries]
    note: str


def _trend_tables(p: Profile):
    """(by region and domain, by domain) from ris3hub.engines.s3.trends, cached with the matrix."""
    def build():
        long = p.space.panel.long()
        engine_panel = panel_from_long(long, "time", "region", "domain", "value", drop_empty=True)
        return emerging_trends(engine_panel, by="region"), emerging_trends(engine_panel, by="domain")

    return _shared(p, "trends", build)


def trends(p: Profile) -> Trends:
    """The region's domains by growth over the years (emerging ones first), and the values of
    the fastest-growing over time."""
    return p.remember("trends", lambda: _trends(p))


def _trends(p: Profile) -> Trends:
    years = p.space.panel.years()
    if len(years) < 3:
        return Trends(years, [], [], _("Trends need three years or more; this matrix has %(n)s.") % {"n": len(years)})
    try:
        by_region, by_domain = _trend_tables(p)
    except S3InputError as error:
        return Trends(years, [], [], str(error))
    overall = by_domain.set_index("domain")
    mine = by_region[by_region["region"] == p.region.code]
    rows = [TrendRow(domain=r.domain, label=p.space.label(r.domain), growth=float(r.growth), error=float(r.growth_se),
                     low=float(r.growth_low), high=float(r.growth_high), acceleration=float(r.acceleration),
                     excess=float(r.excess_growth), emerging=bool(r.emerging),
                     overall_growth=float(overall.at[r.domain, "growth"]),
                     overall_emerging=bool(overall.at[r.domain, "emerging"]))
            for r in mine.itertuples()]
    rows.sort(key=lambda r: (not r.emerging, -r.growth))
    counts = p.space.panel.counts
    counts = counts[(counts["region"] == p.region.code) & counts["year"].notna()]
    by_year = counts.groupby(["domain", "year"])["value"].sum()
    series = []
    for r in rows[:TREND_LINES]:
        values = by_year.get(r.domain)
        series.append(TrendSeries(r.domain, r.label, [float(values.get(y, 0.0)) if values is not None else 0.0
                                                      for y in years]))
    emerging = sum(r.emerging for r in rows)
    note = _("Growth a year of each domain's activity in the region (least squares on the log of 1 + the "
             "yearly value, %(first)s-%(last)s); emerging: its 95%% interval is above 0 and it grows faster "
             "than the region's activity as a whole. %(n)s emerging.") % {
        "first": years[0], "last": years[-1], "n": emerging}
    return Trends(years, rows, series, note)


# ---- peers


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    similarity: float
    gdp_ratio: float | None  # GDP per head in PPS over the EU average
    category: str  # cohesion policy category, "" where GDP is not known


GDP_PPS_INDICATOR = "nama_10r_3gdp:unit=PPS_EU27_2020_HAB"
EU_AVERAGE_CODE = "EU27_2020"


def _similar(p: Profile):
    return _shared(p, "peers", lambda: similar_regions(p.space.X, k=min(PEERS, len(p.space.regions) - 1),
                                                       regions=p.space.regions))


def gdp_categories(codes: list[str]) -> dict[str, tuple[float, str]]:
    """Region -> (GDP per head in PPS over the EU average, cohesion category), latest year with both."""
    latest = (Observation.objects.filter(indicator__code=GDP_PPS_INDICATOR, region_code=EU_AVERAGE_CODE,
                                         value__isnull=False).order_by("-year").values_list("year", "value").first())
    if latest is None:
        return {}
    year, average = latest
    values = dict(Observation.objects.filter(indicator__code=GDP_PPS_INDICATOR, region_code__in=codes, year=year,
                                             value__isnull=False).values_list("region_code", "value"))
    if not values:
        return {}
    table = lagging_regions(values, average)
    return {r.region: (float(r.ratio), str(r.category)) for r in table.itertuples()}


def peers(p: Profile) -> list[Peer]:
    """The regions with the most similar specialisation (cosine of RCA profiles), with their GDP
    per head against the EU average (Eurostat) where known."""
    return p.remember("peers", lambda: _peers(p))


def _peers(p: Profile) -> list[Peer]:
    if len(p.space.regions) < 2:
        return []
    table = _similar(p)
    mine = table[table["region"] == p.region.code].sort_values("rank")
    codes = list(mine["peer"])
    names = dict(Region.objects.filter(version=p.region.version, code__in=codes).values_list("code", "name_latn"))
    gdp = gdp_categories([p.region.code, *codes])
    return [Peer(code=c, name=names.get(c, c), similarity=float(s), gdp_ratio=gdp.get(c, (None, ""))[0],
                 category=gdp.get(c, (None, ""))[1]) for c, s in zip(mine["peer"], mine["similarity"])]


def own_gdp(p: Profile) -> tuple[float, str] | None:
    return gdp_categories([p.region.code]).get(p.region.code)


def peer_matrix(p: Profile, peer_list: list[Peer]) -> tuple[list[str], list[str], np.ndarray]:
    """(row labels, domain labels, RCA) of the region and its peers, domains by the region's RCA."""
    rows = [p.row] + [p.space.row(peer.code) for peer in peer_list]
    order = np.argsort(-p.space.rca[p.row], kind="stable")
    labels = [f"{p.region.code} {p.region.name_latn}"] + [f"{peer.code} {peer.name}" for peer in peer_list]
    return labels, [p.space.labels[j] for j in order], np.asarray(p.space.rca)[np.ix_(rows, order)]


# ---- the declared strategy


EVIDENCE = {
    "strong": gettext_lazy("strong"),
    "moderate": gettext_lazy("moderate"),
    "weak": gettext_lazy("weak"),
    "none": gettext_lazy("not measured here"),
}
FLAGS = {
    "not_specialised": gettext_lazy("not specialised"),
    "low_relatedness": gettext_lazy("little related activity"),
    "low_complexity": gettext_lazy("low complexity"),
    "declining": gettext_lazy("declining"),
    "unmeasured": gettext_lazy("some domains not measured"),
}


@dataclass(frozen=True)
class PriorityCheck:
    code: str
    title: str
    domains: list[str]
    domain_labels: list[str]
    rca: float | None
    density: float | None
    pci: float | None
    growth: float | None
    evidence: str
    flags: list[str]

    @property
    def evidence_label(self) -> str:
        return str(EVIDENCE[self.evidence])

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAGS.get(f, f)) for f in self.flags]


REASONS = {
    "emerging": gettext_lazy("emerging"),
    "specialised": gettext_lazy("specialised"),
    "related": gettext_lazy("related"),
    "complex": gettext_lazy("complex"),
}


@dataclass(frozen=True)
class Uncovered:
    domain: str
    label: str
    rca: float
    density: float
    pci: float
    reason: str  # the engine's words, comma-separated

    @property
    def reason_label(self) -> str:
        return ", ".join(str(REASONS.get(word, word)) for word in self.reason.split(", "))


@dataclass
class StrategyCheck:
    strategy: Strategy | None
    priorities: list[PriorityCheck] = field(default_factory=list)
    uncovered: list[Uncovered] = field(default_factory=list)

    @property
    def measured(self) -> list[PriorityCheck]:
        return [c for c in self.priorities if c.evidence != "none"]

    @property
    def unmeasured(self) -> list[PriorityCheck]:
        """Priorities linked to no domain of this matrix (they may be in another scheme)."""
        return [c for c in self.priorities if c.evidence == "none"]


def priority_domains(priority: Priority, p: Profile) -> list[str]:
    """The domains of the profile's matrix that a priority covers.

    EuroSciVoc: its EuroSciVoc concepts and those its other concepts are mapped to
    (ConceptMapping), each taken at the matrix's depth (a field above it covers every field
    below it at that depth). Thematic priorities, call topics and EURITO topics: its declared
    analytics domains (PriorityDomain).
    """
    scheme = p.spec.scheme
    if scheme in PriorityDomain.Scheme.values:
        return [d.code for d in priority.domains.all() if d.scheme == scheme]
    if scheme != EUROSCIVOC:
        return []
    own = list(priority.concepts.all())
    ids = {c.pk for c in own}
    mapped = set(ConceptMapping.objects.filter(source__in=ids, target__scheme__code=EUROSCIVOC)
                 .values_list("target_id", flat=True))
    mapped |= set(ConceptMapping.objects.filter(target__in=ids, source__scheme__code=EUROSCIVOC)
                  .values_list("source_id", flat=True))
    concepts = [c for c in own if c.scheme.code == EUROSCIVOC] + list(Concept.objects.filter(pk__in=mapped))
    level = p.spec.depth - 1
    found = set()
    domains = set(p.space.domains)
    for concept in concepts:
        if concept.level >= level:
            node = concept
            while node is not None and node.level > level:
                node = node.parent
            if node is not None and node.code in domains:
                found.add(node.code)
        else:
            found |= {d for d in domains if d.startswith(concept.code + "/")}
    return sorted(found)


def strategy_check(p: Profile) -> StrategyCheck:
    """The region's declared S3 priorities (its latest strategy) against the evidence
    (ris3hub.engines.s3.stress_test), and the strong domains that no priority covers."""
    return p.remember("strategy", lambda: _strategy_check(p))


def _strategy_check(p: Profile) -> StrategyCheck:
    strategy = (Strategy.objects.filter(region=p.region).order_by("-period").first())
    if strategy is None:
        return StrategyCheck(None)
    priorities = list(strategy.priorities.prefetch_related("concepts__scheme", "concepts__parent", "domains"))
    covered = {pr.code: priority_domains(pr, p) for pr in priorities}
    measures = pd.DataFrame({
        "rca": [r.rca for r in p.domain_rows], "relatedness_density": [r.density for r in p.domain_rows],
        "complexity": [r.pci for r in p.domain_rows]}, index=p.space.domains)
    growth = {r.domain: (r.growth, r.low) for r in trends(p).rows}
    if growth:
        measures["growth"] = [growth.get(d, (np.nan, np.nan))[0] for d in p.space.domains]
        measures["growth_low"] = [growth.get(d, (np.nan, np.nan))[1] for d in p.space.domains]
    table, uncovered = stress_test(covered, measures)
    by_code = {pr.code: pr for pr in priorities}
    checks = []
    for r in table.itertuples():
        pr = by_code[r.priority]
        domains = covered[r.priority]
        checks.append(PriorityCheck(
            code=pr.code, title=localised_title(pr), domains=domains, domain_labels=[p.space.label(d) for d in domains],
            rca=_number(r.mean_rca), density=_number(r.mean_relatedness_density), pci=_number(r.mean_complexity),
            growth=_number(r.mean_growth), evidence=r.evidence,
            flags=[f for f in r.flags.split(", ") if f and (r.evidence != "none" or f != "unmeasured")]))
    gaps = [Uncovered(domain=u.domain, label=p.space.label(u.domain), rca=float(u.rca),
                      density=float(u.relatedness_density), pci=float(u.complexity), reason=u.reason)
            for u in uncovered.itertuples()]
    return StrategyCheck(strategy, checks, gaps)


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def localised_title(priority: Priority) -> str:
    if (get_language() or "en").startswith("it") and priority.title_it:
        return priority.title_it
    return priority.title
