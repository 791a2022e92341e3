"""Long tables are checked at the boundary: every problem said with its rows, nothing silently dropped."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from conftest import TOY

from ris3hub.engines.s3 import S3InputError, eci_pci, long_table, panel_from_long, rca
from ris3hub.engines.s3.validation import check_matrix


def table(rows):
    return pd.DataFrame(rows, columns=["year", "region", "field", "n"])


GOOD = [(2020, "A", "x", 3), (2020, "A", "y", 1), (2020, "B", "x", 1), (2020, "B", "y", 4),
        (2021, "A", "x", 2), (2021, "B", "y", 5), (2021, "C", "x", 1), (2021, "C", "y", 1)]


def build(rows, **kwargs):
    return panel_from_long(table(rows), "year", "region", "field", "n", **kwargs)


def test_a_panel_per_year_on_shared_labels():
    panel = build(GOOD)
    assert list(panel.times) == [2020, 2021] and list(panel.locs) == ["A", "B", "C"]
    y2020 = panel.year(2020)  # C is absent in 2020: left out of that year, not an error
    assert list(y2020.locs) == ["A", "B"] and y2020.X.tolist() == [[3, 1], [1, 4]]
    assert panel.stack().shape == (2, 3, 2)
    assert sp.issparse(build(GOOD, sparse=True).matrices[0])


def test_missing_columns_are_named():
    with pytest.raises(S3InputError, match="column\\(s\\) count not in the table; it has year, region, field, n"):
        panel_from_long(table(GOOD), "year", "region", "field", "count")


def test_negative_values_name_their_rows():
    rows = GOOD + [(2021, "D", "x", -2)]
    with pytest.raises(S3InputError, match="1 negative value\\(s\\), row\\(s\\) 8"):
        build(rows)


def test_duplicate_keys_name_the_key_and_rows():
    rows = GOOD + [(2020, "A", "x", 9)]
    with pytest.raises(S3InputError, match="1 duplicate .*\\(2020, A, x\\) at rows 0, 8"):
        build(rows)


def test_non_numbers_are_refused_with_their_value():
    frame = table(GOOD).astype({"n": object})
    frame.loc[3, "n"] = "four"
    with pytest.raises(S3InputError, match="not numbers, row\\(s\\) 3 \\('four'\\)"):
        panel_from_long(frame, "year", "region", "field", "n")


def test_missing_values_are_an_explicit_choice():
    frame = table(GOOD).astype({"n": float})
    frame.loc[1, "n"] = np.nan
    with pytest.raises(S3InputError, match="1 missing value\\(s\\), row\\(s\\) 1; choose nan='zero'"):
        panel_from_long(frame, "year", "region", "field", "n")
    zero = panel_from_long(frame, "year", "region", "field", "n", nan="zero")
    assert zero.year(2020).X.tolist() == [[3, 0], [1, 4]]
    drop = panel_from_long(frame, "year", "region", "field", "n", nan="drop")
    assert drop.year(2020).X.tolist() == [[3, 0], [1, 4]]
    with pytest.raises(S3InputError, match="nan must be one of"):
        panel_from_long(frame, "year", "region", "field", "n", nan="ignore")


def test_empty_regions_are_said_or_dropped_and_reported():
    rows = GOOD + [(2020, "C", "x", 0), (2020, "C", "y", 0)]
    with pytest.raises(S3InputError, match="region C in 2020.*drop_empty=True"):
        build(rows)
    panel = build(rows, drop_empty=True)
    assert panel.dropped.to_dict("records") == [{"time": 2020, "axis": "loc", "label": "C"}]
    assert list(panel.year(2020).locs) == ["A", "B"]


def test_an_unknown_period_is_named():
    with pytest.raises(S3InputError, match="no period 2019"):
        build(GOOD).year(2019)


def test_matrix_checks_name_positions():
    with pytest.raises(S3InputError, match="negative value\\(s\\), at \\(row, column\\) \\(1, 0\\)"):
        check_matrix([[1, 2], [-1, 3]])
    with pytest.raises(S3InputError, match="NaN or infinite"):
        rca([[1, np.nan], [1, 1]])
    with pytest.raises(S3InputError, match="1 empty column"):
        eci_pci(np.array([[1, 0], [1, 0]]))
    with pytest.raises(S3InputError, match="two-dimensional"):
        rca([1, 2, 3])
    with pytest.raises(S3InputError, match="0/1 presence matrix"):
        eci_pci(TOY)


def test_long_table_spreads_vectors_and_checks_shapes():
    out = long_table(["A", "B"], ["x", "y", "z"], matrices={"v": np.arange(6).reshape(2, 3)},
                     by_loc={"r": [1, 2]}, by_prod={"p": [7, 8, 9]})
    assert out["r"].tolist() == [1, 1, 1, 2, 2, 2] and out["p"].tolist() == [7, 8, 9, 7, 8, 9]
    with pytest.raises(S3InputError, match="expected one value per region"):
        long_table(["A", "B"], ["x"], by_loc={"r": [1, 2, 3]})
