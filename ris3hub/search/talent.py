"""Talent: positions, internships and doctoral offers of network members matched to young
graduates' profiles (the "AREA S3" desks that bring graduates to companies).

A match must suit both sides: the position must ask for what the graduate offers (degree and
skills against the position's skills), and the graduate must want what the position is (their
summary of interests against the position's title and description). The engine's reciprocal
scores combine the two preferences by their harmonic mean (ris3hub.engines.matching.reciprocal);
a graduate who asks for one kind of position (an internship, say) is not offered another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ris3hub.engines.matching.reciprocal import reciprocal_scores
from ris3hub.search.embeddings import get_encoder
from ris3hub.search.geo import RegionPlaces
from ris3hub.search.models import GraduateProfile, Position


@dataclass(frozen=True)
class TalentMatch:
    graduate: GraduateProfile
    position: Position
    score: float
    fit: float  # cosine of the graduate's degree and skills to the skills asked for
    interest: float  # cosine of the graduate's interests to the position
    distance_km: float | None

    def as_json(self) -> dict:
        return {"graduate": self.graduate.pk, "graduate_name": self.graduate.name, "position": self.position.pk,
                "position_title": self.position.title, "organisation": self.position.organisation.name,
                "kind": self.position.kind, "score": round(self.score, 4), "fit": round(self.fit, 3),
                "interest": round(self.interest, 3),
                "distance_km": None if self.distance_km is None else round(self.distance_km, 1)}


def _region(position: Position) -> str:
    if position.region_id:
        return position.region.code
    return position.organisation.region.code if position.organisation.region_id else ""


def talent_matches(graduates: list[GraduateProfile] | None = None, positions: list[Position] | None = None,
                   top: int = 5) -> list[TalentMatch]:
    """For each graduate, the ``top`` positions by reciprocal score, best first."""
    graduates = list(GraduateProfile.objects.select_related("region")) if graduates is None else graduates
    positions = (list(Position.objects.select_related("organisation__region", "region"))
                 if positions is None else positions)
    if not graduates or not positions:
        return []
    encoder = get_encoder()
    offers_g = encoder.encode([f"{g.degree}\n{g.skills}".strip() or g.name for g in graduates])
    needs_g = encoder.encode([(g.summary or g.text()) for g in graduates])
    offers_p = encoder.encode([f"{p.title}\n{p.description}".strip() for p in positions])
    needs_p = encoder.encode([(p.skills or p.text()) for p in positions])
    scores = reciprocal_scores(offers_g, offers_p, a_needs=needs_g, b_needs=needs_p)
    fit = offers_g @ needs_p.T
    interest = needs_g @ offers_p.T
    places = RegionPlaces()
    out = []
    for i, graduate in enumerate(graduates):
        ranked = [j for j in np.argsort(-scores[i], kind="stable")
                  if not graduate.wants or positions[j].kind == graduate.wants][:top]
        for j in ranked:
            position = positions[j]
            out.append(TalentMatch(graduate, position, float(scores[i, j]), float(fit[i, j]), float(interest[i, j]),
                                   places.distance_km(graduate.region.code if graduate.region_id else "",
                                                      _region(position)) if graduate.region_id else None))
    return out
