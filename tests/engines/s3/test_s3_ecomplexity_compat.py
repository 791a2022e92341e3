"""The ecomplexity drop-ins against py-ecomplexity itself: golden fixtures and live runs, real and edge-case panels."""

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import golden, make_golden, random_panel

from ris3hub.engines.s3 import S3InputError, ecomplexity_table, proximity_table
from ris3hub.engines.s3.ecomplexity_compat import RUNS_SAMPLE, _factorize

ecx = pytest.importorskip("ecomplexity")

COLS = {"time": "year", "loc": "reg", "prod": "dom", "val": "n"}
FLOATS = ["eci", "pci", "density", "coi", "cog", "rca"]
COUNTS = ["diversity", "ubiquity", "mcp"]


def reference(fn, *args, **kwargs):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def largest_difference(ours: pd.DataFrame, ref: pd.DataFrame, keys, columns) -> float:
    merged = ref.merge(ours, on=keys, how="outer", suffixes=("_ref", "_ours"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged["_merge"].value_counts()
    worst = 0.0
    for c in columns:
        a, b = merged[c + "_ours"].to_numpy(float), merged[c + "_ref"].to_numpy(float)
        assert (np.isnan(a) == np.isnan(b)).all(), c
        if (~np.isnan(a)).any():
            worst = max(worst, float(np.nanmax(np.abs(a - b))))
    return worst


@pytest.mark.parametrize("name, cols, years", [
    ("eurito", make_golden.EURITO_COLS, make_golden.EURITO_GOLDEN_YEARS),
    ("h2020", make_golden.H2020_COLS, None),
])
def test_real_panels_agree_with_the_golden_tables(request, name, cols, years):
    panel = request.getfixturevalue(f"{name}_panel")
    if years:
        panel = panel[panel[cols["time"]].isin(years)]
    ours = ecomplexity_table(panel, cols, check_logsupermodularity=False, verbose=False)
    ref = golden(f"{name}-ecomplexity")
    assert list(ours.columns) == list(ref.columns)
    keys = [cols["time"], cols["loc"], cols["prod"]]
    assert largest_difference(ours, ref, keys, FLOATS) < 1e-8
    assert largest_difference(ours, ref, keys, COUNTS) == 0
    prox = proximity_table(panel, cols)
    prox_ref = golden(f"{name}-proximity")
    assert list(prox.columns) == list(prox_ref.columns)
    assert largest_difference(prox, prox_ref, list(prox_ref.columns[:3]), ["proximity"]) < 1e-12


def test_eurito_all_years_is_the_same_table_as_ecomplexity(eurito_panel):
    cols = make_golden.EURITO_COLS
    ref = reference(ecx.ecomplexity, eurito_panel, cols, verbose=False, check_logsupermodularity=False)
    ours = ecomplexity_table(eurito_panel, cols, verbose=False, check_logsupermodularity=False)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)


VARIANTS = {
    "defaults": ({}, {}),
    "integer labels": ({"labels": "int"}, {}),
    "amounts": ({"amounts": True}, {}),
    "a region with only zeros": ({"zero_region": True}, {}),
    "duplicate keys": ({"duplicates": 4}, {}),
    "missing values": ({"nans": 4}, {}),
    "text values coerced": ({"text": True}, {}),
    "another column": ({"extra": True}, {}),
    "threshold 1.5": ({}, {"rca_mcp_threshold": 1.5}),
    "threshold 3 (empty domains)": ({}, {"rca_mcp_threshold": 3}),
    "continuous": ({}, {"continuous": True}),
    "asymmetric": ({}, {"asymmetric": True}),
    "knn": ({}, {"knn": 3}),
    "manual presence": ({"binary": True}, {"presence_test": "manual"}),
}


def variant(seed, labels="str", amounts=False, zero_region=False, duplicates=0, nans=0, text=False, extra=False,
            binary=False):
    frame = random_panel(seed)
    if labels == "int":
        frame = frame.assign(reg=frame["reg"].str[1:].astype(int), dom=frame["dom"].str[1:].astype(int) * 7)
    if amounts:
        frame = frame.assign(n=frame["n"] * 1.37 + 0.01)
    if zero_region:
        frame.loc[(frame["reg"] == frame["reg"].iloc[0]) & (frame["year"] == frame["year"].iloc[0]), "n"] = 0
    if duplicates:
        frame = pd.concat([frame, frame.sample(duplicates, random_state=seed).assign(n=lambda d: d["n"] + 1)],
                          ignore_index=True)
    if nans:
        frame["n"] = frame["n"].astype(float)
        frame.loc[frame.sample(nans, random_state=seed).index, "n"] = np.nan
    if text:
        frame["n"] = frame["n"].astype(object)
        frame.loc[frame.index % 17 == 3, "n"] = "n/a"
    if extra:
        frame["note"] = np.arange(len(frame))
    if binary:
        frame = frame.assign(n=(frame["n"] > 15).astype(int))
    return frame


@pytest.mark.parametrize("name", list(VARIANTS))
def test_edge_cases_give_the_same_table_as_ecomplexity(name):
    build, options = VARIANTS[name]
    frame = variant(sum(map(ord, name)), **build)
    ref = reference(ecx.ecomplexity, frame, COLS, verbose=False, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ecomplexity_table(frame, COLS, verbose=False, **options)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)


def test_rpop_and_both_use_the_population_table():
    frame = variant(7)
    pop = pd.DataFrame({"year": np.repeat(sorted(frame["year"].unique()), 12),
                        "reg": [f"R{r:02d}" for r in range(12)] * frame["year"].nunique(),
                        "pop": np.random.default_rng(1).integers(100, 1000, 12 * frame["year"].nunique())})
    for test, check in (("rpop", True), ("both", False)):
        ref = reference(ecx.ecomplexity, frame, COLS, presence_test=test, pop=pop, verbose=False,
                        check_logsupermodularity=check)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = ecomplexity_table(frame, COLS, presence_test=test, pop=pop, verbose=False,
                                     check_logsupermodularity=check)
        pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)


def test_a_given_proximity_edgelist_is_used():
    frame = variant(11)
    prox = reference(ecx.proximity, frame, COLS).query("year == 2010")
    edges = prox.rename(columns={"dom_1": "prod1", "dom_2": "prod2"})[["prod1", "prod2", "proximity"]]
    ref = reference(ecx.ecomplexity, frame, COLS, proximity_edgelist=edges, verbose=False)
    ours = ecomplexity_table(frame, COLS, proximity_edgelist=edges, verbose=False, check_logsupermodularity=False)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)

    # Missing pairs count as 0 (the diagonal as 1), with a warning: what py-ecomplexity intends, though
    # under pandas 3 it fails writing to a read-only array; the same table as the completed edge list.
    pair = edges["prod1"].isin(["D03", "D05"]) & edges["prod2"].isin(["D03", "D05"])
    completed = edges.assign(proximity=np.where(pair, np.where(edges["prod1"] == edges["prod2"], 1.0, 0.0),
                                                edges["proximity"]))
    ref = reference(ecx.ecomplexity, frame, COLS, proximity_edgelist=completed, verbose=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = ecomplexity_table(frame, COLS, proximity_edgelist=edges[~pair], verbose=False)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)
    assert any("Proximity matrix contains" in str(w.message) for w in caught)


@pytest.mark.parametrize("options", [{}, {"continuous": True}, {"asymmetric": True}, {"rca_mcp_threshold": 2}])
def test_proximity_table_is_ecomplexity_proximity(options):
    frame = variant(5, duplicates=2, zero_region=True)
    ref = reference(ecx.proximity, frame, COLS, **options)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = proximity_table(frame, COLS, **options)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-12)


def test_the_same_warnings_as_ecomplexity_for_empty_regions():
    frame = variant(3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ecomplexity_table(frame, COLS, rca_mcp_threshold=3, verbose=False, check_logsupermodularity=False)
    messages = {str(w.message) for w in caught}
    assert any(m.endswith("Diversity or ubiquity is 0, so ECI and PCI will be nan") for m in messages)


def test_invalid_options_are_refused_with_a_reason():
    frame = variant(1)
    with pytest.raises(S3InputError, match="presence_test must be one of"):
        ecomplexity_table(frame, COLS, presence_test="counts")
    with pytest.raises(S3InputError, match="continuous proximity needs"):
        ecomplexity_table(frame, COLS, presence_test="both", continuous=True)
    with pytest.raises(S3InputError, match="column\\(s\\) missing_col not in the data"):
        ecomplexity_table(frame, {**COLS, "val": "missing_col"})
    with pytest.raises(S3InputError, match="need pop"):
        ecomplexity_table(frame, COLS, presence_test="rpop")


@pytest.mark.parametrize("fill", [0.9, 1.0])
def test_a_large_table_in_period_and_region_order_gives_the_same_table_as_ecomplexity(fill):
    """Past RUNS_SAMPLE rows the key columns are factorized run by run, each period is a slice of
    the table and (all cells present) its matrix a reshape: the same table as py-ecomplexity."""
    frame = (random_panel(21, years=3, regions=40, domains=90, fill=fill)
             .sort_values(["year", "reg", "dom"]).reset_index(drop=True))
    assert len(frame) > RUNS_SAMPLE
    ref = reference(ecx.ecomplexity, frame, COLS, verbose=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ecomplexity_table(frame, COLS, verbose=False)
    pd.testing.assert_frame_equal(ours, ref, check_exact=False, rtol=0, atol=1e-9)
    prox = proximity_table(frame, COLS)
    pd.testing.assert_frame_equal(prox, reference(ecx.proximity, frame, COLS), check_exact=False, rtol=0, atol=1e-12)


@pytest.mark.parametrize("column", [
    pd.Series(np.repeat(np.arange(10)[::-1], 1000)),
    pd.Series(np.repeat([f"R{i}" for i in np.random.default_rng(0).permutation(500)], 30)),
    pd.Series(np.repeat(np.array([1, 2, None, 3] * 50, dtype=object), 100)),
    pd.Series(np.repeat(pd.array([1, 2, None, 3] * 50, dtype="Int64"), 100)),
    pd.Series(np.repeat(pd.array(["a", "b", None, "c"] * 50, dtype="string"), 100)),
    pd.Series(np.repeat([1.5, np.nan, 2.5, 1.5] * 50, 100)),
], ids=["int", "str", "object with None", "Int64 with NA", "string with NA", "float with NaN"])
def test_factorizing_by_runs_is_pandas_factorize(column):
    for sort in (False, True):
        codes, uniques = _factorize(column, sort)
        ref_codes, ref_uniques = pd.factorize(column, sort=sort)
        assert np.array_equal(codes, ref_codes)
        assert pd.Index(uniques).equals(pd.Index(ref_uniques))
        assert pd.Index(uniques).dtype == pd.Index(ref_uniques).dtype
