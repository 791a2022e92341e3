"""Opportunities, trends, stress test, peers and dynamics on the real EURITO panel and on toy cases."""

import numpy as np
import pandas as pd
import pytest
from conftest import TOY

from ris3hub.engines.s3 import (S3InputError, diversification_opportunities, emerging_trends, entry_exit_growth,
                                lagging_regions, panel_from_long, rca, similar_regions, stress_test)


@pytest.fixture(scope="module")
def eurito(eurito_panel):
    return panel_from_long(eurito_panel, "year", "region", "topic", "count")


def test_opportunities_of_a_real_region(eurito):
    year = eurito.year(2020)
    region = "ITH5"  # Emilia-Romagna
    table = diversification_opportunities(year.X, region, regions=year.locs, domains=year.prods)
    R = rca(year.X)[list(year.locs).index(region)]
    assert set(table["domain"]) == set(year.prods[R < 1])  # exactly the domains it is not specialised in
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["score"].is_monotonic_decreasing
    assert set(table["quadrant"]) <= {"ideal", "stretch", "safe", "weak"}
    ideal = table[table["quadrant"] == "ideal"]
    assert (ideal["relatedness_density"] >= table["relatedness_density"].mean()).all()
    assert (ideal["complexity"] >= table["complexity"].mean()).all()
    tci = diversification_opportunities(year.X, region, regions=year.locs, complexity="tci",
                                        relatedness_method="proximity", split="median")
    assert len(tci) == len(table)


def test_opportunities_refuse_unknown_regions_and_options():
    with pytest.raises(S3InputError, match="'XX' is not among the regions"):
        diversification_opportunities(TOY, "XX", regions=["A", "B", "C"])
    with pytest.raises(S3InputError, match="row index below 3"):
        diversification_opportunities(TOY, 3)
    with pytest.raises(S3InputError, match="relatedness_method must be one of"):
        diversification_opportunities(TOY, 0, relatedness_method="pearson")


def test_emerging_topics_in_eurito(eurito):
    table = emerging_trends(eurito)
    assert table["growth"].is_monotonic_decreasing
    assert (table["growth_low"] <= table["growth"]).all() and (table["growth"] <= table["growth_high"]).all()
    ai = table.set_index("domain").loc["artificial_intelligence"]
    assert ai["growth"] > 0 and ai["growth_low"] > 0  # preprints on AI grew every year 2010-2021
    assert table["emerging"].any() and not table["emerging"].all()
    per_region = emerging_trends(eurito, by="region")
    assert {"region", "domain", "acceleration", "acceleration_se", "excess_growth"} <= set(per_region.columns)
    with pytest.raises(S3InputError, match="at least 3 periods"):
        emerging_trends(panel_from_long(pd.DataFrame({"t": [1, 2], "r": "A", "d": "x", "v": [1, 2]}),
                                        "t", "r", "d", "v"))


def test_entry_exit_growth_over_eurito_years(eurito):
    table = entry_exit_growth(eurito)
    assert set(table["period"]) == set(eurito.times[1:])
    at_risk = table["rca_previous"] < 1
    assert table.loc[at_risk, "entry"].notna().all() and table.loc[~at_risk, "entry"].isna().all()
    assert table.loc[~at_risk, "exit"].notna().all() and table.loc[at_risk, "exit"].isna().all()


def test_stress_test_flags_weak_priorities_and_uncovered_strengths(eurito):
    year = eurito.year(2020)
    row = list(year.locs).index("ITH5")
    opportunities = diversification_opportunities(year.X, "ITH5", regions=year.locs, domains=year.prods)
    from ris3hub.engines.s3 import eci_pci, presence, relatedness_density, relatedness, co_occurrence
    M = presence(rca(year.X))
    measures = pd.DataFrame({"rca": rca(year.X)[row],
                             "relatedness_density": relatedness_density(M, relatedness(co_occurrence(M)))[row],
                             "complexity": eci_pci(M)[1]}, index=year.prods)
    trends = emerging_trends(eurito).set_index("domain")
    measures = measures.join(trends[["growth", "growth_low"]])
    priorities = {"Digital": ["artificial_intelligence", "deep_learning"], "Health": ["vaccines", "genetic_analysis"],
                  "Unknown": ["quantum_sailing"]}
    table, uncovered = stress_test(priorities, measures)
    assert table["priority"].tolist() == ["Digital", "Health", "Unknown"]
    assert table.set_index("priority").loc["Unknown", "evidence"] == "none"
    assert "unmeasured" in table.set_index("priority").loc["Unknown", "flags"]
    assert not set(uncovered["domain"]) & {"artificial_intelligence", "deep_learning", "vaccines", "genetic_analysis"}
    assert len(opportunities) > 0
    with pytest.raises(S3InputError, match="need the column\\(s\\) complexity"):
        stress_test(priorities, measures.drop(columns="complexity"))


def test_peers_are_the_closest_profiles(eurito):
    year = eurito.year(2020)
    peers = similar_regions(year.X, k=3, regions=year.locs)
    assert len(peers) == 3 * len(year.locs)
    assert (peers["region"] != peers["peer"]).all()
    assert peers.groupby("region")["similarity"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_lagging_regions_against_the_eu_average():
    table = lagging_regions(pd.Series({"EL63": 15000.0, "DE21": 55000.0, "ES61": 24000.0, "XX00": np.nan}), 32000)
    categories = table.set_index("region")["category"]
    assert categories.drop("XX00").to_dict() == {"EL63": "less developed", "DE21": "more developed",
                                                 "ES61": "transition"}
    assert pd.isna(categories["XX00"])
    assert table["lagging"].tolist() == [True, False, False, False]
    with pytest.raises(S3InputError, match="positive number"):
        lagging_regions({"A": 1}, 0)
