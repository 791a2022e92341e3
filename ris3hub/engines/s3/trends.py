"""Emerging domains: growth with its uncertainty, and acceleration, overall or per region.

Each series (a domain's total over all regions, or a region's activity in a domain) is fitted
by least squares on log(1 + value) against time:

- growth: the slope b of log(1 + y_t) = a + b t + e_t, the continuous growth rate per time
  unit (exp(b) - 1 is the yearly rate), with its standard error and a Student-t confidence
  interval (T - 2 degrees of freedom);
- acceleration: 2 c of log(1 + y_t) = a + b t + c t^2 + e_t, the change of the growth rate per
  time unit, with its standard error (needs four periods or more);
- excess growth: growth minus the growth of the total it belongs to (all activity, or the
  region's activity), so that a domain rising with everything else is not called emerging;
- emerging: the confidence interval of growth is above 0 and the excess growth is positive.

Greene, W.H. (2012) Econometric analysis, 7th ed., ch. 4 (least squares and its standard
errors); the log-linear trend is the usual growth-rate estimator of bibliometric "emerging
topic" studies (e.g. Small, H., Boyack, K.W. and Klavans, R. (2014) Identifying emerging
topics in science and technology, Research Policy 43(8): 1450-1467).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .panel import Panel
from .validation import S3InputError


def emerging_trends(panel: Panel, by: str = "domain", level: float = 0.95, min_periods: int = 3) -> pd.DataFrame:
    """Growth, its confidence interval, acceleration and excess growth of every domain (or region-domain pair).

    `by="domain"`: one series per domain, summed over regions; `by="region"`: one per region
    and domain with any activity. Time values that are numbers (years) are the time axis;
    otherwise the periods are counted 0, 1, 2, ... Returns one row per series: (region,)
    domain, periods, first, last, growth, growth_se, growth_low, growth_high, acceleration,
    acceleration_se, excess_growth, emerging; sorted by growth, highest first.

    >>> import pandas as pd
    >>> from ris3hub.engines.s3 import panel_from_long
    >>> long = pd.DataFrame({"year": [2018, 2019, 2020, 2021] * 2, "region": "A",  # ai: 1 + n doubles
    ...                      "field": ["ai"] * 4 + ["steel"] * 4, "n": [3, 7, 15, 31, 50, 49, 51, 50]})
    >>> table = emerging_trends(panel_from_long(long, "year", "region", "field", "n"))
    >>> print(table[["domain", "growth", "growth_low", "acceleration", "emerging"]].round(3).to_string(index=False))
    domain  growth  growth_low  acceleration  emerging
        ai   0.693       0.693           0.0      True
     steel   0.004      -0.032           0.0     False
    """
    if by not in ("domain", "region"):
        raise S3InputError(f"by must be 'domain' or 'region', not {by!r}")
    if not 0 < level < 1:
        raise S3InputError(f"level must be between 0 and 1, not {level}")
    T = len(panel.times)
    if T < max(3, min_periods):
        raise S3InputError(f"trends need at least {max(3, min_periods)} periods; the panel has {T}")
    cube = panel.stack()  # time x region x domain
    x = np.asarray(panel.times, dtype=np.float64) if pd.api.types.is_numeric_dtype(panel.times) \
        else np.arange(T, dtype=np.float64)
    if by == "domain":
        series = cube.sum(axis=1)
        totals = np.repeat(series.sum(axis=1, keepdims=True), series.shape[1], axis=1)
        keys = {"domain": panel.prods.to_numpy()}
    else:
        series = cube.reshape(T, -1)
        totals = np.repeat(cube.sum(axis=2), cube.shape[2], axis=1)
        keys = {"region": np.repeat(panel.locs.to_numpy(), len(panel.prods)),
                "domain": np.tile(panel.prods.to_numpy(), len(panel.locs))}
    active = series.sum(axis=0) > 0
    series, totals = series[:, active], totals[:, active]
    growth, se = _slope(x, np.log1p(series))
    total_growth, _ = _slope(x, np.log1p(totals))
    acceleration, acceleration_se = _curvature(x, np.log1p(series))
    q = stats.t.ppf((1 + level) / 2, T - 2)
    table = pd.DataFrame({k: v[active] for k, v in keys.items()})
    table["periods"] = T
    table["first"] = series[0]
    table["last"] = series[-1]
    table["growth"] = growth
    table["growth_se"] = se
    table["growth_low"] = growth - q * se
    table["growth_high"] = growth + q * se
    table["acceleration"] = acceleration
    table["acceleration_se"] = acceleration_se
    table["excess_growth"] = growth - total_growth
    table["emerging"] = (table["growth_low"] > 0) & (table["excess_growth"] > 0)
    return table.sort_values("growth", ascending=False, kind="stable").reset_index(drop=True)


def _slope(x, Y) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares slope of every column of Y on x, and its standard error."""
    xc = x - x.mean()
    sxx = xc @ xc
    b = xc @ (Y - Y.mean(axis=0)) / sxx
    resid = Y - Y.mean(axis=0) - np.outer(xc, b)
    s2 = (resid**2).sum(axis=0) / (len(x) - 2)
    return b, np.sqrt(s2 / sxx)


def _curvature(x, Y) -> tuple[np.ndarray, np.ndarray]:
    """2c of the quadratic fit a + b t + c t^2 of every column of Y, and its standard error (NaN below 4 periods)."""
    n = len(x)
    if n < 4:
        return np.full(Y.shape[1], np.nan), np.full(Y.shape[1], np.nan)
    xc = (x - x.mean()) / (x.std() or 1.0)
    D = np.column_stack([np.ones(n), xc, xc**2])
    inv = np.linalg.inv(D.T @ D)
    beta = inv @ D.T @ Y
    resid = Y - D @ beta
    s2 = (resid**2).sum(axis=0) / (n - 3)
    scale = (x.std() or 1.0) ** 2
    return 2 * beta[2] / scale, 2 * np.sqrt(s2 * inv[2, 2]) / scale

