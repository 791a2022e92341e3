"""The projection engine on toy series, against the textbook formulas and scipy's own regression."""

import doctest

import numpy as np
import pytest
from scipy import stats

from ris3hub.engines.monitoring import projection
from ris3hub.engines.monitoring.projection import project


def test_doctests():
    assert doctest.testmod(projection).failed == 0


def test_line_and_interval_by_hand():
    # y = 10, 12, 13, 15 over 2018-2021: slope 8/5, SSE 0.2, s^2 = 0.1, se at 2027 = sqrt(0.1 * 12.5).
    p = project([2018, 2019, 2020, 2021], [10, 12, 13, 15], 2027, 30)
    assert p.slope == pytest.approx(1.6)
    assert p.expected == pytest.approx(24.5)
    half = stats.t.ppf(0.95, 2) * np.sqrt(0.1 * 12.5)
    assert (p.lower, p.upper) == (pytest.approx(24.5 - half), pytest.approx(24.5 + half))
    assert p.n == 4 and p.increasing


def test_line_matches_scipy_linregress():
    rng = np.random.default_rng(7)
    x = np.arange(2010, 2024, dtype=float)
    y = 3.5 * (x - 2010) + 20 + rng.normal(0, 2, len(x))
    p = project(x, y, 2030, 100)
    fit = stats.linregress(x, y)
    assert p.slope == pytest.approx(fit.slope)
    assert p.intercept == pytest.approx(fit.intercept)


def test_probability_is_one_half_at_the_expected_value():
    p = project([1, 2, 3, 4, 5], [2.0, 4.1, 5.9, 8.2, 9.8], 8, 0)
    at_expected = project([1, 2, 3, 4, 5], [2.0, 4.1, 5.9, 8.2, 9.8], 8, p.expected, increasing=True)
    assert at_expected.probability == pytest.approx(0.5)
    assert not at_expected.beyond_interval


def test_reachable_and_out_of_reach_targets():
    x, y = [2019, 2020, 2021, 2022], [100, 110, 118, 131]
    easy = project(x, y, 2027, 150)
    hard = project(x, y, 2027, 400)
    assert not easy.out_of_reach and easy.probability > 0.9
    assert hard.beyond_interval and hard.out_of_reach and hard.probability < 0.05
    # Just under the trend's value: in reach though close.
    close = project(x, y, 2027, easy.expected - 1)
    assert close.probability > 0.5 and not close.out_of_reach


def test_a_reduction_target():
    # Emissions falling by about 5 a year; the target is a ceiling.
    x, y = [2018, 2019, 2020, 2021, 2022], [100, 96, 90, 85, 81]
    reachable = project(x, y, 2027, 70)
    too_ambitious = project(x, y, 2027, 20)
    assert not reachable.increasing
    assert not reachable.out_of_reach
    assert too_ambitious.out_of_reach and too_ambitious.beyond_interval


def test_a_series_on_its_line_is_certain():
    p = project([1, 2, 3], [2, 4, 6], 5, 10)
    assert (p.lower, p.expected, p.upper) == (10, 10, 10)
    assert p.probability == 1.0
    assert project([1, 2, 3], [2, 4, 6], 5, 10.5).out_of_reach


def test_band_widens_away_from_the_data():
    p = project([2018, 2019, 2020, 2021], [10, 12, 13, 15], 2027, 30)
    expected, lower, upper = p.band([2021, 2024, 2027])
    widths = upper - lower
    assert widths[0] < widths[1] < widths[2]
    assert expected[2] == pytest.approx(p.expected) and upper[2] == pytest.approx(p.upper)


@pytest.mark.parametrize("x, y, reason", [
    ([2020, 2021], [1, 2], "at least 3"),
    ([2020, 2020, 2020], [1, 2, 3], "same time"),
    ([2020, 2021, 2022], [1, 2], "same length"),
])
def test_refuses_what_it_cannot_fit(x, y, reason):
    with pytest.raises(ValueError, match=reason):
        project(x, y, 2027, 10)


def test_missing_values_are_left_out():
    p = project([2018, 2019, 2020, 2021, 2022], [10, float("nan"), 12, 13, 15], 2027, 30)
    assert p.n == 4
