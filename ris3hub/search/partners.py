"""Partner regions for a region and a priority (interregional S3 partnerships).

For a region R and, optionally, a priority (the code of one of R's S3 priorities, or a text), each
other region C of the same NUTS level is scored on:

- priority similarity: the best cosine, in the text encoder's space, between the priority (or
  R's declared priorities) and C's declared priorities;
- strength in the priority: C's capability profile weighted by how close each domain is to the
  priority text (the domains' labels encoded alike);
- complementarity: how much C is stronger than R where the priority needs it,
  sum_d w_d max(0, s_C,d - s_R,d), with s a region's shares of its activity by domain and w the
  priority's weights over domains (uniform without a priority);
- development: GDP per head in PPS against the EU27 average of the same year (Eurostat
  nama_10r_3gdp, unit PPS_EU27_2020_HAB, aggregate EU27_2020), in the cohesion-policy categories
  (less developed below 75 %, transition 75-100 %, more developed above 100 %); a less developed
  and a more developed region form a lagging-to-advanced pairing.

The score is 0.6 x priority similarity (relative to the most similar region) + 0.4 x capability
(the mean of strength and complementarity, each relative to the best region); capability alone
where no other region declares priorities.

Capability profiles (region x domain counts, each source turned into shares and the sources
averaged, small counts shrunk towards the average) come from the S3 analytics' panels
(ris3hub.analytics: participations in funded projects by CORDIS thematic priority, EURITO preprints
by topic) and from the registry (organisations by domain).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils.html import escape
from django.utils.translation import gettext as _

from ris3hub import conf
from ris3hub.core import charts
from ris3hub.indicators.models import Observation
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation
from ris3hub.search.embeddings import get_encoder
from ris3hub.search.geo import RegionPlaces
from ris3hub.strategies.models import Priority

GDP_PPS_PER_HEAD = "nama_10r_3gdp:unit=PPS_EU27_2020_HAB"
EU_AGGREGATE = "EU27_2020"
LESS_DEVELOPED, TRANSITION, MORE_DEVELOPED = "less developed", "transition", "more developed"
LAGGING_BELOW, ADVANCED_ABOVE = 0.75, 1.0
TOP_STRENGTHS = 3
PANELS = (("thematic", "CORDIS"), ("eurito", "EURITO"))  # analytics schemes the profiles take in
PRIOR = 20.0
# Where strategies are declared, the score is this share of priority similarity (relative to the most
# similar region) and the rest capability (strength in the priority and complementarity, each
# relative to the best region); where none are, capability alone.
PRIORITY_WEIGHT = 0.6  # pseudo-counts of the overall distribution added to each region's counts


class PartnerError(ValueError):
    """A request the finder cannot answer (unknown region or priority), said so a person can fix it."""


@dataclass
class Profiles:
    """Region x domain shares: ``matrix[i, j]`` is region ``codes[i]``'s share in ``domains[j]``."""

    codes: list[str]
    domains: list[str]
    matrix: np.ndarray

    def row(self, code: str) -> np.ndarray | None:
        try:
            return self.matrix[self.codes.index(code)]
        except ValueError:
            return None


@dataclass
class PartnerRegion:
    code: str
    name: str
    country: str
    score: float
    priority_similarity: float | None = None
    matching_priority: str = ""
    strength: float | None = None
    complementarity: float | None = None
    profile_similarity: float | None = None
    strengths: list[str] = field(default_factory=list)
    gdp_ratio: float | None = None
    development: str = ""
    pairing: bool = False
    distance_km: float | None = None
    url: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PartnerSearch:
    region: Region
    priority_text: str
    gdp_ratio: float | None
    development: str
    partners: list[PartnerRegion]
    domains_weighted: list[tuple[str, float]]


def _shares(counts: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each region's shares by domain, shrunk towards the shares of all regions together:
    (x_cd + PRIOR * m_d) / (x_c + PRIOR), with m_d the overall share of domain d, so that a region
    known by three participations does not look specialised (additive smoothing)."""
    overall: dict[str, float] = defaultdict(float)
    for row in counts.values():
        for d, v in row.items():
            overall[d] += v
    grand = sum(overall.values())
    if grand <= 0:
        return {}
    mean = {d: v / grand for d, v in overall.items()}
    out = {}
    for code, row in counts.items():
        total = sum(row.values())
        if total > 0:
            out[code] = {d: (row.get(d, 0.0) + PRIOR * m) / (total + PRIOR) for d, m in mean.items()}
    return out


def capability_profiles(level: int) -> Profiles:
    """Region x domain shares at NUTS ``level``: the S3 analytics' panels of participations by CORDIS
    thematic priority and of EURITO preprints by topic, and the registry's organisations by domain."""
    from ris3hub.analytics import cache
    from ris3hub.analytics.matrices import MatrixSpec

    width = 2 + level
    sources: list[dict[str, dict[str, float]]] = []
    for scheme, prefix in PANELS:
        panel = cache.panel(MatrixSpec(scheme, level=level))
        if panel.empty:
            continue
        regions, domains, values = panel.matrix()
        counts: dict[str, dict[str, float]] = defaultdict(dict)
        for i, j in zip(*np.nonzero(values)):
            counts[regions[i]][f"{prefix}: {panel.label(domains[j])}"] = float(values[i, j])
        sources.append(_shares(counts))

    counts = defaultdict(lambda: defaultdict(float))
    rows = (Organisation.domains.through.objects.filter(organisation__region__isnull=False)
            .values_list("organisation__region__code", "concept__label"))
    for code, label in rows.iterator(chunk_size=20000):
        if len(code) >= width:
            counts[code[:width]][label] += 1
    sources.append(_shares(counts))

    domains = sorted({d for source in sources for row in source.values() for d in row})
    codes = sorted({c for source in sources for c in source})
    column = {d: j for j, d in enumerate(domains)}
    matrix = np.zeros((len(codes), len(domains)))
    for i, code in enumerate(codes):
        present = [source[code] for source in sources if code in source]
        for row in present:
            for d, share in row.items():
                matrix[i, column[d]] += share / len(present)
    return Profiles(codes, domains, matrix)


def development(ratio: float | None) -> str:
    """The cohesion-policy category of a GDP-per-head ratio to the EU average."""
    if ratio is None:
        return ""
    if ratio < LAGGING_BELOW:
        return LESS_DEVELOPED
    if ratio <= ADVANCED_ABOVE:
        return TRANSITION
    return MORE_DEVELOPED


def gdp_ratios(codes: list[str]) -> dict[str, float]:
    """GDP per head in PPS over the EU27 average, latest year each region has, by region code."""
    eu = dict(Observation.objects.filter(indicator__code=GDP_PPS_PER_HEAD, region_code=EU_AGGREGATE,
                                         value__isnull=False).values_list("year", "value"))
    latest: dict[str, tuple[int, float]] = {}
    rows = Observation.objects.filter(indicator__code=GDP_PPS_PER_HEAD, region_code__in=codes, value__isnull=False,
                                      year__in=list(eu)).values_list("region_code", "year", "value")
    for code, year, value in rows:
        if code not in latest or year > latest[code][0]:
            latest[code] = (year, value)
    return {code: value / eu[year] for code, (year, value) in latest.items() if eu.get(year)}


def _region(code: str) -> Region:
    code = (code or "").strip().upper()
    version = conf.nuts_version()
    region = Region.objects.filter(version=version, code=code).first()
    if region is None:
        from ris3hub.regions.resolve import RegionResolver

        try:
            region = Region.objects.get(pk=RegionResolver(version).resolve(code))
        except ValueError as error:
            raise PartnerError(f"'{code}' is not a NUTS region: {error}") from error
    return region


def _priority_texts(region: Region, priority: str) -> tuple[str, list[str]]:
    """The text the priority stands for, and the texts to compare with other regions' priorities."""
    declared = list(Priority.objects.filter(strategy__region__code=region.code)
                    .values_list("code", "title", "description"))
    if priority:
        for code, title, description in declared:
            if code.lower() == priority.strip().lower():
                text = f"{title}. {description}".strip(". ")
                return text, [text]
        return priority.strip(), [priority.strip()]
    texts = [f"{title}. {description}".strip(". ") for _c, title, description in declared]
    return "", texts


def _weights(encoder, priority_text: str, domains: list[str]) -> np.ndarray:
    """How close each domain label is to the priority: cosines above their median, summing to 1."""
    if not domains:
        return np.zeros(0)
    if not priority_text:
        return np.full(len(domains), 1.0 / len(domains))
    labels = [d.split(": ", 1)[-1] for d in domains]
    cosines = encoder.encode(labels) @ encoder.encode([priority_text])[0]
    w = np.clip(cosines - np.median(cosines), 0, None)
    return w / w.sum() if w.sum() > 0 else np.full(len(domains), 1.0 / len(domains))


def _scaled(values: dict[str, float]) -> dict[str, float]:
    if not values:
        return {}
    top = max(values.values())
    return {k: (v / top if top > 0 else 0.0) for k, v in values.items()}


def find_partners(region_code: str, priority: str = "", top: int = 10, countries: list[str] | None = None) -> PartnerSearch:
    """The ``top`` partner regions of ``region_code`` for ``priority`` (a priority code of the
    region's strategy or a text; empty: all its declared priorities), best first."""
    region = _region(region_code)
    if top < 1:
        raise PartnerError("--top must be at least 1")
    encoder = get_encoder()
    priority_text, query_texts = _priority_texts(region, priority)
    profiles = capability_profiles(region.level)
    weights = _weights(encoder, priority_text, profiles.domains)
    own = profiles.row(region.code)

    candidates = Region.objects.filter(version=region.version, level=region.level).exclude(code=region.code)
    if countries:
        candidates = candidates.filter(country__in=[c.upper() for c in countries])
    names = {c: (n, country) for c, n, country in candidates.values_list("code", "name_latn", "country")}

    # Declared priorities of the candidates, compared with the query's in the encoder's space.
    declared: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, title, description in Priority.objects.filter(
            strategy__region__version=region.version, strategy__region__level=region.level,
            strategy__region__code__in=list(names)).values_list("strategy__region__code", "title", "description"):
        declared[code].append((title, f"{title}. {description}".strip(". ")))
    priority_similarity: dict[str, tuple[float, str]] = {}
    if query_texts and declared:
        query_vectors = encoder.encode(query_texts)
        flat = [(code, title, text) for code, items in declared.items() for title, text in items]
        cosines = encoder.encode([t for _c, _t, t in flat]) @ query_vectors.T
        for (code, title, _text), row in zip(flat, cosines.max(axis=1)):
            if code not in priority_similarity or row > priority_similarity[code][0]:
                priority_similarity[code] = (float(row), title)

    strength, complement, similarity, strengths = {}, {}, {}, {}
    for i, code in enumerate(profiles.codes):
        if code not in names:
            continue
        shares = profiles.matrix[i]
        if priority_text:  # without one, the weights are uniform and every region is equally strong
            strength[code] = float(weights @ shares)
        if own is not None:
            gain = np.clip(shares - own, 0, None) * weights
            complement[code] = float(gain.sum())
            norm = np.linalg.norm(shares) * np.linalg.norm(own)
            similarity[code] = float(shares @ own / norm) if norm > 0 else 0.0
            best = np.argsort(-gain)[:TOP_STRENGTHS]
            strengths[code] = [profiles.domains[j] for j in best if gain[j] > 0]
        else:
            best = np.argsort(-(shares * weights))[:TOP_STRENGTHS]
            strengths[code] = [profiles.domains[j] for j in best if shares[j] > 0]

    strength_scaled, complement_scaled = _scaled(strength), _scaled(complement)
    scored = set(priority_similarity) | set(strength) | set(complement)
    ratios = gdp_ratios([region.code, *scored])
    own_development = development(ratios.get(region.code))
    places = RegionPlaces(region.version)
    top_similarity = max((v for v, _t in priority_similarity.values()), default=0.0)
    partners = []
    for code in scored:
        capability = [d.get(code, 0.0) for d in (strength_scaled, complement_scaled) if d]
        capability_score = float(np.mean(capability)) if capability else 0.0
        if top_similarity > 0:
            similar = max(priority_similarity.get(code, (0.0, ""))[0], 0.0) / top_similarity
            score = PRIORITY_WEIGHT * similar + (1 - PRIORITY_WEIGHT) * capability_score
        else:
            score = capability_score
        level = development(ratios.get(code))
        partners.append(PartnerRegion(
            code=code, name=names[code][0], country=names[code][1], score=score,
            priority_similarity=priority_similarity.get(code, (None, ""))[0],
            matching_priority=priority_similarity.get(code, (None, ""))[1],
            strength=strength.get(code), complementarity=complement.get(code),
            profile_similarity=similarity.get(code), strengths=strengths.get(code, []),
            gdp_ratio=ratios.get(code), development=level,
            pairing={own_development, level} == {LESS_DEVELOPED, MORE_DEVELOPED},
            distance_km=places.distance_km(region.code, code),
            url=Region(code=code).get_absolute_url(),
        ))
    partners.sort(key=lambda p: (-p.score, p.code))
    ranked = np.argsort(-weights)[:8] if priority_text else []
    return PartnerSearch(region=region, priority_text=priority_text, gdp_ratio=ratios.get(region.code),
                         development=own_development, partners=partners[:top],
                         domains_weighted=[(profiles.domains[j], float(weights[j])) for j in ranked])


def partner_map(search: PartnerSearch) -> dict:
    """The partners coloured by score, the region itself in accent, lagging-to-advanced pairings
    drawn as lines from the region."""
    codes = [p.code for p in search.partners]
    geometries = dict(Region.objects.filter(version=search.region.version, code__in=[*codes, search.region.code])
                      .values_list("code", "geometry"))
    areas = []
    for p in search.partners:
        hover = (f"<b>{escape(p.name)}</b> ({p.code})<br>{_('score')} {p.score:.2f}"
                 + (f"<br>{_(p.development)}" if p.development else "")
                 + (f"<br>{_('lagging-to-advanced pairing')}" if p.pairing else ""))
        areas.append(charts.Area(p.code, geometries.get(p.code, ""), p.score, hover, p.url))
    own = search.region
    areas.append(charts.Area(own.code, geometries.get(own.code, ""), 0.0,
                             f"<b>{escape(own.name_latn)}</b> ({own.code})", own.get_absolute_url()))
    figure = charts.choropleth(areas, colorbar_title=_("Partner score"), height=520, tickformat=".2f")
    places = RegionPlaces(own.version)
    start = places.point(own.code)
    if start is not None:
        lons, lats = [start[0]], [start[1]]
        for p in search.partners:
            end = places.point(p.code)
            if p.pairing and end is not None:
                lons += [start[0], end[0], None]
                lats += [start[1], end[1], None]
        figure["data"].append({
            "type": "scattergeo", "lon": lons, "lat": lats, "mode": "lines+markers",
            "name": _("lagging-to-advanced pairing"), "hoverinfo": "skip", "showlegend": False,
            "line": {"color": "#c2410c", "width": 2, "dash": "dot"},
            "marker": {"size": [10] + [0] * (len(lons) - 1), "color": "#c2410c", "symbol": "star"},
        })
    return figure
