"""REST API of NUTS regions: lists, one region with its parent and children, its shape as GeoJSON."""

import json
from enum import IntEnum
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ris3hub import conf
from ris3hub.core.api_lists import LimitOffsetPagination, apply_filterset
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError
from ris3hub.regions.filtersets import RegionFilterSet
from ris3hub.regions.models import NUTS_VERSIONS, Region

router = Router(tags=["regions"])

NutsVersion = IntEnum("NutsVersion", {f"v{v}": v for v in NUTS_VERSIONS})
NutsVersion.__doc__ = "A NUTS version."

NUTS_CODE = r"^[A-Za-z]{2}[A-Za-z0-9]{0,3}$"


class RegionRef(Schema):
    """A region named by its code, as other resources point to it."""

    code: str
    name: str

    @staticmethod
    def resolve_name(obj: Region) -> str:
        return obj.name_latn


class Typologies(Schema):
    """Eurostat NUTS-3 typologies; null where not published (levels 0-2, or no value)."""

    urban_rural: str | None
    metropolitan: str | None
    coastal: str | None
    mountain: str | None
    border: str | None
    island: str | None
    capital: str | None


TYPOLOGIES = list(Typologies.model_fields)


class RegionItem(Schema):
    code: str
    version: int
    level: int
    name: str = Field(description="Name in Latin script")
    national_name: str | None = Field(description="Name in the national language(s)")
    country: str
    parent_code: str | None
    url: str = Field(description="Path of the region's page")

    @staticmethod
    def resolve_name(obj: Region) -> str:
        return obj.name_latn

    @staticmethod
    def resolve_national_name(obj: Region) -> str:
        return obj.name or None

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_url(obj: Region) -> str:
        return obj.get_absolute_url()


class LabelPoint(Schema):
    lon: float
    lat: float


class RegionOut(RegionItem):
    parent: RegionRef | None
    children: list[RegionRef]
    typologies: Typologies
    label_point: LabelPoint | None
    geometry_url: str | None = Field(description="API path of the region's GeoJSON shape; null without one")

    @staticmethod
    def resolve_children(obj: Region) -> list[Region]:
        return list(obj.children.order_by("code"))

    @staticmethod
    def resolve_typologies(obj: Region) -> dict[str, str | None]:
        return {name: getattr(obj, name) or None for name in TYPOLOGIES}

    @staticmethod
    def resolve_label_point(obj: Region) -> dict[str, float] | None:
        if obj.label_lon is None or obj.label_lat is None:
            return None
        return {"lon": obj.label_lon, "lat": obj.label_lat}

    @staticmethod
    def resolve_geometry_url(obj: Region) -> str | None:
        if not obj.geometry:
            return None
        path = reverse("api:region_geometry", kwargs={"code": obj.code})
        return path if obj.version == conf.nuts_version() else f"{path}?version={obj.version}"


class FeatureProperties(Schema):
    code: str
    version: int
    level: int
    country: str
    name: str
    national_name: str | None


class RegionFeature(Schema):
    """A GeoJSON Feature (RFC 7946): the region's polygon(s) in WGS84."""

    type: Literal["Feature"] = "Feature"
    id: str
    properties: FeatureProperties
    geometry: dict[str, Any]


class RegionFilters(Schema):
    q: str | None = Field(None, description="Code prefix or part of the name (Latin or national)")
    country: str | None = Field(None, min_length=2, max_length=2, description="Country code, e.g. IT")
    level: int | None = Field(None, ge=0, le=3, description="NUTS level 0-3")
    version: NutsVersion | None = Field(None, description="NUTS version; the one in use when not given")


class VersionParam(Schema):
    version: NutsVersion | None = Field(None, description="NUTS version; the one in use when not given")


def get_region(code: str, version: NutsVersion | None) -> Region:
    """The region ``code`` of ``version`` (default: the version in use), or a 404 naming both."""
    year = int(version) if version is not None else conf.nuts_version()
    code = code.strip().upper()
    try:
        return Region.objects.select_related("parent").get(version=year, code=code)
    except Region.DoesNotExist:
        raise ApiError(404, f"no region {code} in NUTS {year}") from None


@router.get("/", response={200: list[RegionItem], **INVALID}, summary="List regions")
@paginate(LimitOffsetPagination)
def list_regions(request, filters: Query[RegionFilters]):
    """Regions of the NUTS version in use (or ``version``), by country, level and name."""
    queryset = Region.objects.select_related("parent").order_by("code")
    return apply_filterset(RegionFilterSet, queryset, filters.dict())


@router.get("/{code}", response={200: RegionOut, **NOT_FOUND}, summary="One region")
def region_detail(request, code: str, params: Query[VersionParam]):
    """A region with its parent, children and NUTS-3 typologies."""
    return get_region(code, params.version)


@router.get("/{code}/geometry", response={200: RegionFeature, **NOT_FOUND}, summary="A region's shape")
def region_geometry(request, code: str, params: Query[VersionParam]):
    """The region's polygon as a GeoJSON Feature (GISCO 1:60 million), for maps."""
    region = get_region(code, params.version)
    if not region.geometry:
        raise ApiError(404, f"no shape for region {region.code} in NUTS {region.version}: "
                            "import the GISCO polygons (ris3hub import gisco ...)")
    return {
        "id": region.code,
        "properties": {
            "code": region.code, "version": region.version, "level": region.level, "country": region.country,
            "name": region.name_latn, "national_name": region.name or None,
        },
        "geometry": json.loads(region.geometry),
    }
