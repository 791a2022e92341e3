"""REST API of statistical indicators and their observations by region and year."""

from django.db.models import Count, Q
from django.db.models.functions import Length
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ris3hub.core.api_lists import LimitOffsetPagination
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError
from ris3hub.indicators.models import Indicator, Observation

router = Router(tags=["indicators"])

GEO_CODE = r"^[A-Za-z]{2}[A-Za-z0-9]{0,3}$"


class IndicatorOut(Schema):
    code: str = Field(description="dataset[:dimension=value,...]")
    dataset: str
    unit: str
    label: str
    description: str
    source: str
    source_url: str
    topic: str
    observation_count: int


class IndicatorFilters(Schema):
    search: str | None = Field(None, description="Part of the code, label or dataset")
    dataset: str | None = Field(None, description="Dataset code, e.g. nama_10r_3gdp")
    topic: str | None = Field(None, description="The domain an indicator counts")


class ObservationOut(Schema):
    region_code: str = Field(description="Geo code as published")
    nuts_version: int | None
    year: int
    value: float | None = Field(description="null where the source says ':' (not available)")
    flags: str = Field(description="Eurostat flags: p provisional, e estimated, ...")


class ObservationFilters(Schema):
    region: str | None = Field(None, pattern=GEO_CODE,
                               description="A NUTS code: observations of that region and the regions below it")
    level: int | None = Field(None, ge=0, le=3, description="NUTS level of the region codes")
    year: int | None = Field(None, ge=1900, le=2100)
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)


@router.get("/", response={200: list[IndicatorOut], **INVALID}, summary="List indicators")
@paginate(LimitOffsetPagination)
def list_indicators(request, filters: Query[IndicatorFilters]):
    queryset = Indicator.objects.annotate(observation_count=Count("observations")).order_by("code")
    if filters.search:
        word = filters.search.strip()
        queryset = queryset.filter(Q(code__icontains=word) | Q(label__icontains=word) | Q(dataset__icontains=word))
    if filters.dataset:
        queryset = queryset.filter(dataset=filters.dataset)
    if filters.topic:
        queryset = queryset.filter(topic=filters.topic)
    return queryset


@router.get("/{path:code}/observations", response={200: list[ObservationOut], **NOT_FOUND},
            summary="An indicator's observations")
@paginate(LimitOffsetPagination)
def indicator_observations(request, code: str, filters: Query[ObservationFilters]):
    """Values of one indicator by region and year, ordered by region code and year."""
    try:
        indicator = Indicator.objects.get(code=code)
    except Indicator.DoesNotExist:
        raise ApiError(404, f"no indicator {code!r}") from None
    queryset = Observation.objects.filter(indicator=indicator).order_by("region_code", "year")
    if filters.region:
        queryset = queryset.filter(region_code__startswith=filters.region.upper())
    if filters.level is not None:
        queryset = queryset.annotate(code_length=Length("region_code")).filter(code_length=filters.level + 2)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    if filters.year_from is not None:
        queryset = queryset.filter(year__gte=filters.year_from)
    if filters.year_to is not None:
        queryset = queryset.filter(year__lte=filters.year_to)
    return queryset
