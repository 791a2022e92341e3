"""Reporting periods: a year ("2021") or a quarter ("2021-Q3"). Pure Python.

A period is placed on the time axis at its start, in years (2021-Q3 -> 2021.5), which is what the
projection fits a trend on; a target year is the last period of that year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ANNUAL = "annual"
QUARTERLY = "quarterly"
FREQUENCIES = (ANNUAL, QUARTERLY)
_PATTERN = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None = None

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}-Q{self.quarter}"

    @property
    def frequency(self) -> str:
        return ANNUAL if self.quarter is None else QUARTERLY

    @property
    def time(self) -> float:
        """The period's start in years: 2021 -> 2021.0, 2021-Q3 -> 2021.5."""
        return self.year + ((self.quarter or 1) - 1) / 4

    def next(self) -> Period:
        if self.quarter is None:
            return Period(self.year + 1)
        return Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)


def parse_period(text: str) -> Period:
    """'2021' or '2021-Q3': one spelling of each, nothing is guessed."""
    match = _PATTERN.match(str(text).strip().upper())
    if not match:
        raise ValueError(f"'{text}' is not a period: write a year (2021) or a quarter (2021-Q3)")
    year, quarter = int(match.group(1)), match.group(2)
    return Period(year, int(quarter) if quarter else None)


def period_of(day: date, frequency: str) -> Period:
    if frequency == ANNUAL:
        return Period(day.year)
    if frequency == QUARTERLY:
        return Period(day.year, (day.month - 1) // 3 + 1)
    raise ValueError(f"'{frequency}' is not a frequency; choose one of {', '.join(FREQUENCIES)}")


def last_period_of_year(year: int, frequency: str) -> Period:
    return Period(year) if frequency == ANNUAL else Period(year, 4)


def span(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last``, both included (of the same frequency)."""
    if first.frequency != last.frequency:
        raise ValueError(f"{first} and {last} are not of the same frequency")
    out, current = [], first
    while current <= last:
        out.append(current)
        current = current.next()
    return out
