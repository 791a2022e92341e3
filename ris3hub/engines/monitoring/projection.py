"""Projection of an indicator's series to its target year, and whether the target is in reach.

The trend is the ordinary least squares line through the observed points (x = time in years,
y = the indicator's value):

    y = a + b x,   b = S_xy / S_xx,   a = ȳ - b x̄,
    s² = Σ (y_i - a - b x_i)² / (n - 2)

and the value expected at the target time x₀ comes with its *prediction* interval (the interval
a new observation at x₀ falls in, not the narrower confidence interval of the line):

    ŷ₀ = a + b x₀,   se₀ = s √(1 + 1/n + (x₀ - x̄)² / S_xx),   ŷ₀ ± t_{n-2, (1+level)/2} se₀

(e.g. Montgomery, Peck & Vining, *Introduction to Linear Regression Analysis*, 5th ed., §2.5).
The probability of reaching the target is that of a new observation at x₀ being at least the
target (at most, for a target below the baseline: a reduction), under the same Student t
distribution with n - 2 degrees of freedom. A target is out of reach when that probability is
below one half; a target beyond the interval on the far side has a probability below
(1 - level) / 2, so it is always out of reach.

Pure numpy and scipy; values are not rounded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_POINTS = 3  # two points fit any line exactly: no spread, no interval


@dataclass(frozen=True)
class Projection:
    """The trend line, the value expected at the target time, its interval and the verdict."""

    slope: float
    intercept: float
    x_target: float
    expected: float
    lower: float
    upper: float
    level: float
    target: float
    increasing: bool  # the target asks for at least ``target`` (False: at most)
    probability: float  # of reaching the target at x_target
    n: int

    x_mean: float  # what the band at other times needs besides the line
    s_xx: float
    residual_sd: float
    t_quantile: float

    @property
    def beyond_interval(self) -> bool:
        """The target lies past the interval on the side the trend does not reach."""
        return self.target > self.upper if self.increasing else self.target < self.lower

    @property
    def out_of_reach(self) -> bool:
        return self.beyond_interval or self.probability < 0.5

    def band(self, xs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(expected, lower, upper) of the prediction interval at the times ``xs``."""
        xs = np.asarray(xs, dtype=float)
        expected = self.intercept + self.slope * xs
        se = self.residual_sd * np.sqrt(1 + 1 / self.n + (xs - self.x_mean) ** 2 / self.s_xx)
        return expected, expected - self.t_quantile * se, expected + self.t_quantile * se


def project(x, y, x_target: float, target: float, *, level: float = 0.9,
            increasing: bool | None = None) -> Projection:
    """Project the OLS trend of (x, y) to ``x_target`` and judge ``target`` against it.

    ``increasing`` says whether the target is a floor (at least) or a ceiling (at most); by default
    it is a floor when the target is not below the first observed value.

    >>> p = project([2018, 2019, 2020, 2021], [10.0, 12.0, 13.0, 15.0], 2027, 30.0)
    >>> round(p.slope, 2), round(p.expected, 2)
    (1.6, 24.5)
    >>> round(p.lower, 2), round(p.upper, 2)
    (21.24, 27.76)
    >>> p.beyond_interval, p.out_of_reach, p.probability < 0.05
    (True, True, True)
    >>> project([2018, 2019, 2020, 2021], [10.0, 12.0, 13.0, 15.0], 2027, 20.0).out_of_reach
    False
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if xs.shape != ys.shape or xs.ndim != 1:
        raise ValueError("x and y must be one-dimensional and of the same length")
    if not 0 < level < 1:
        raise ValueError(f"the interval level must be between 0 and 1, not {level}")
    keep = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[keep], ys[keep]
    n = len(xs)
    if n < MIN_POINTS:
        raise ValueError(f"a projection needs at least {MIN_POINTS} observed periods, this series has {n}")
    x_mean, y_mean = xs.mean(), ys.mean()
    s_xx = float(((xs - x_mean) ** 2).sum())
    if s_xx == 0:
        raise ValueError("every observation is at the same time: no trend can be fitted")
    slope = float(((xs - x_mean) * (ys - y_mean)).sum() / s_xx)
    intercept = float(y_mean - slope * x_mean)
    residuals = ys - (intercept + slope * xs)
    s = float(np.sqrt((residuals ** 2).sum() / (n - 2)))
    t = float(stats.t.ppf((1 + level) / 2, n - 2))
    expected = intercept + slope * float(x_target)
    se = s * float(np.sqrt(1 + 1 / n + (float(x_target) - x_mean) ** 2 / s_xx))
    if increasing is None:
        increasing = bool(target >= ys[np.argmin(xs)])
    if se > 0:
        z = (target - expected) / se
        probability = float(stats.t.sf(z, n - 2) if increasing else stats.t.cdf(z, n - 2))
    else:  # the points lie on the line: the trend is certain
        reached = expected >= target if increasing else expected <= target
        probability = 1.0 if reached else 0.0
    return Projection(
        slope=slope, intercept=intercept, x_target=float(x_target), expected=float(expected),
        lower=float(expected - t * se), upper=float(expected + t * se), level=level, target=float(target),
        increasing=increasing, probability=probability, n=n,
        x_mean=float(x_mean), s_xx=s_xx, residual_sd=s, t_quantile=t,
    )
