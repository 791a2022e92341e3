"""Partner regions: declared priorities, capability profiles, development and pairings."""

import pytest

from ris3hub.search import partners
from ris3hub.search.geo import RegionPlaces, haversine_km

pytestmark = pytest.mark.django_db


def test_development_categories_follow_cohesion_policy_thresholds():
    assert partners.development(0.6) == partners.LESS_DEVELOPED
    assert partners.development(0.75) == partners.TRANSITION
    assert partners.development(1.0) == partners.TRANSITION
    assert partners.development(1.2) == partners.MORE_DEVELOPED
    assert partners.development(None) == ""


def test_gdp_ratios_against_the_eu_average_of_the_same_year(ecosystem):
    ratios = partners.gdp_ratios(["ITH5", "ITF3", "EL52", "FR10"])
    assert ratios["ITH5"] == pytest.approx(41600 / 35400)
    assert ratios["EL52"] == pytest.approx(19000 / 35400)
    assert "FR10" not in ratios


def test_partners_for_a_priority_code_rank_similar_priorities_and_mark_pairings(ecosystem, search_dir):
    found = partners.find_partners("ITH5", "ER1", top=5)
    assert found.region.code == "ITH5" and found.development == partners.MORE_DEVELOPED
    assert found.priority_text.startswith("Agrifood")
    by_code = {p.code: p for p in found.partners}
    # Central Macedonia declares an agri-food priority; Campania an aerospace one.
    macedonia, campania = by_code["EL52"], by_code["ITF3"]
    assert macedonia.matching_priority == "Agri-food"
    assert macedonia.priority_similarity > campania.priority_similarity
    assert found.partners[0].code == "EL52"
    assert macedonia.pairing and macedonia.development == partners.LESS_DEVELOPED
    assert macedonia.distance_km == pytest.approx(haversine_km(11.0, 44.5, 23.0, 40.7), rel=1e-6)


def test_a_free_text_priority_and_a_country_filter(ecosystem, search_dir):
    found = partners.find_partners("ITH5", "space systems and aircraft", top=5, countries=["IT"])
    assert found.partners[0].code == "ITF3"
    assert all(p.country == "IT" for p in found.partners)


def test_unknown_region_is_said_plainly(ecosystem, search_dir):
    with pytest.raises(partners.PartnerError, match="ZZ99"):
        partners.find_partners("ZZ99")


def test_partner_map_draws_the_region_and_the_pairings(ecosystem, search_dir):
    found = partners.find_partners("ITH5", "ER1", top=5)
    figure = partners.partner_map(found)
    choropleth, lines = figure["data"]
    assert "ITH5" in choropleth["locations"] and "EL52" in choropleth["locations"]
    assert lines["type"] == "scattergeo" and 23.0 in lines["lon"]


def test_places_fall_back_to_the_region_above(ecosystem):
    places = RegionPlaces(2021)
    assert places.point("ITH55") == (11.34, 44.49)
    assert places.distance_km("ITH55", "ITH55") == 0
    assert places.point("XX") is None
