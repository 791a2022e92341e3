"""The S3 measures of one region x domain matrix, computed once for every region (the engines do
the arithmetic; this module only lines their inputs up and keeps the results together).

For a panel summed over its years: RCA and presence (RCA >= 1), the proximity between domains
(py-ecomplexity's minimum conditional probability), the density of each region around each
domain, ECI and PCI (py-ecomplexity's normalisation: a region's ECI is the mean PCI of its
domains), COI and COG. ``cache.space`` keeps a Space per matrix and data version.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ris3hub.analytics.matrices import Panel
from ris3hub.engines.s3.complexity import DisconnectedWarning, coi_cog, eci_pci
from ris3hub.engines.s3.relatedness import density as density_around
from ris3hub.engines.s3.relatedness import proximity
from ris3hub.engines.s3.specialisation import presence
from ris3hub.engines.s3.specialisation import rca as revealed_advantage

MIN_REGIONS = 3
MIN_DOMAINS = 3


class NotEnoughData(ValueError):
    """The matrix is too small for the measures to say anything."""


@dataclass
class Space:
    panel: Panel
    regions: list[str]
    domains: list[str]
    X: np.ndarray  # counts, regions x domains
    rca: np.ndarray
    M: np.ndarray  # presence, 0/1
    phi: np.ndarray  # proximity, domains x domains
    density: np.ndarray  # regions x domains, 0 to 1
    eci: np.ndarray
    pci: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    notes: list[str] = field(default_factory=list)
    _row: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._row = {code: i for i, code in enumerate(self.regions)}

    def row(self, region: str) -> int | None:
        return self._row.get(region)

    def label(self, domain: str) -> str:
        return self.panel.label(domain)

    @property
    def labels(self) -> list[str]:
        return [self.panel.label(d) for d in self.domains]


def compute(panel: Panel) -> Space:
    """Every measure of the panel's matrix, summed over its years."""
    regions, domains, X = panel.matrix()
    if len(regions) < MIN_REGIONS or len(domains) < MIN_DOMAINS:
        raise NotEnoughData(f"the {panel.scheme} matrix has {len(regions)} region(s) and {len(domains)} domain(s) "
                            f"with data; the measures need at least {MIN_REGIONS} of each")
    rca = revealed_advantage(X)
    M = presence(rca)
    phi = proximity(M)
    density = density_around(M, phi)
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DisconnectedWarning)
        eci, pci = eci_pci(M)
    for warning in caught:
        if issubclass(warning.category, DisconnectedWarning):
            notes.append(str(warning.message))
    coi, cog = coi_cog(M, phi, pci, density)
    return Space(panel, regions, domains, X, rca, M, phi, density, eci, pci, coi, cog, notes)
