"""Where regions are: label points of the NUTS version in use, and distances between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ris3hub import conf
from ris3hub.regions.models import Region

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two WGS84 points.

    >>> round(haversine_km(11.34, 44.49, 9.19, 45.46))  # Bologna - Milano
    201
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    lon: float | None
    lat: float | None


class RegionPlaces:
    """Names and label points of the regions of one NUTS version, read once.

    A code without a label point of its own is placed at the nearest region above it that has one
    (NUTS codes nest by prefix).
    """

    def __init__(self, version: int | None = None):
        self.version = version or conf.nuts_version()
        self._places = {
            code: Place(code, name, lon, lat)
            for code, name, lon, lat in Region.objects.filter(version=self.version)
            .values_list("code", "name_latn", "label_lon", "label_lat").iterator()
        }

    def get(self, code: str | None) -> Place | None:
        return self._places.get(code or "")

    def point(self, code: str | None) -> tuple[float, float] | None:
        code = code or ""
        for n in range(len(code), 1, -1):
            place = self._places.get(code[:n])
            if place is not None and place.lon is not None and place.lat is not None:
                return place.lon, place.lat
        return None

    def name(self, code: str) -> str:
        place = self._places.get(code)
        return place.name if place else code

    def distance_km(self, a: str | None, b: str | None) -> float | None:
        """Km between the label points of two regions; None when either is not placed."""
        pa, pb = self.point(a), self.point(b)
        if pa is None or pb is None:
            return None
        return haversine_km(pa[0], pa[1], pb[0], pb[1])
