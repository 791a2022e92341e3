"""REST API of the S3 analytics: a region's specialisation and diversification opportunities."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from ris3hub.analytics import measures
from ris3hub.analytics import profile as profiles
from ris3hub.analytics.matrices import SCHEMES, MatrixSpec
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError

router = Router(tags=["s3"])

class DomainSchemeOut(Schema):
    code: str
    label: str
    description: str
    weights: list[str]
    has_data: bool


class MatrixQuery(Schema):
    scheme: Literal["eurito", "thematic", "euroscivoc", "topic"] | None = Field(
        None, description="What a domain is (default: the first with data of eurito, thematic, euroscivoc, topic)")
    weight: Literal["count", "eu"] = Field("count", description="Count participations or weigh them by EU contribution")
    depth: int = Field(2, ge=1, le=7, description="EuroSciVoc depth (1 = the six broad fields)")


class OpportunityOut(Schema):
    rank: int
    domain: str
    label: str
    rca: float
    relatedness_density: float = Field(description="0 to 1: the share of what is related to the domain the region has")
    complexity: float = Field(description="PCI of the domain (py-ecomplexity's normalisation)")
    cog: float = Field(description="Complexity outlook gain of entering the domain")
    quadrant: str
    quadrant_label: str


class OpportunitiesOut(Schema):
    region: str
    name: str
    scheme: str
    level: int
    weight: str
    depth: int | None
    regions: int = Field(description="Regions in the matrix")
    domains: int = Field(description="Domains in the matrix")
    eci: float
    eci_rank: int
    coi: float
    specialised: list[str] = Field(description="Domains with RCA >= 1")
    opportunities: list[OpportunityOut]


class DomainOut(Schema):
    domain: str
    label: str
    value: float
    rca: float
    specialised: bool
    density: float
    complexity: float


def _profile(code: str, query: MatrixQuery) -> profiles.Profile:
    region = profiles.region_for(code)
    if region is None:
        raise ApiError(404, f"no region {code.upper()} in the NUTS version in use")
    schemes = profiles.available_schemes()
    scheme = query.scheme or (schemes[0] if schemes else None)
    if scheme is None:
        raise ApiError(404, "no data to compute S3 measures from: import CORDIS participations or EURITO files")
    weight = query.weight if query.weight in SCHEMES[scheme].weights else SCHEMES[scheme].weights[0]
    try:
        return profiles.build(region, MatrixSpec(scheme, level=region.level, weight=weight, depth=query.depth))
    except (profiles.NoData, measures.NotEnoughData) as error:
        raise ApiError(404, str(error)) from None


@router.get("/schemes", response={200: list[DomainSchemeOut], **INVALID}, summary="Schemes of domains")
def list_schemes(request):
    """What a domain can be, and whether the loaded data has any."""
    available = set(profiles.available_schemes())
    return [{"code": s.code, "label": str(s.label), "description": str(s.description), "weights": list(s.weights),
             "has_data": s.code in available} for s in SCHEMES.values()]


@router.get("/regions/{code}/opportunities", response={200: OpportunitiesOut, **NOT_FOUND},
            summary="Diversification opportunities of a region")
def region_opportunities(request, code: str, query: Query[MatrixQuery]):
    """Domains the region is not specialised in, ranked, with relatedness density, complexity and
    the quadrant of Balland et al. (2019); as `ris3hub opportunities REGION --json`."""
    p = _profile(code, query)
    return profiles.opportunities_document(p, profiles.opportunities(p))


@router.get("/regions/{code}/specialisation", response={200: list[DomainOut], **NOT_FOUND},
            summary="Specialisation of a region in every domain")
def region_specialisation(request, code: str, query: Query[MatrixQuery]):
    p = _profile(code, query)
    return [{"domain": r.domain, "label": r.label, "value": r.value, "rca": r.rca, "specialised": r.specialised,
             "density": r.density, "complexity": r.pci} for r in sorted(p.domain_rows, key=lambda r: -r.rca)]
