"""Stress test of a declared S3 strategy against the measured evidence.

Each priority of a region's strategy covers some domains. Against the region's measures of
those domains (specialisation, relatedness density, complexity, trend) a priority is flagged
where the evidence is weak:

- "not_specialised": none of its domains has an RCA at or above the threshold;
- "low_relatedness": its mean relatedness density is below the median of all domains;
- "low_complexity": its mean complexity is below the median of all domains;
- "declining": its mean growth is below 0 (when a growth column is given);
- "unmeasured": some of its domains have no measures (named in `unmeasured_domains`).

Evidence is "strong" with no flag, "moderate" with one, "weak" with two or more (a priority
with no measured domain at all is "none"). Domains that no priority covers but that the
evidence favours are listed apart: specialised and of above-median complexity, or emerging
(growth interval above 0) with above-median relatedness density.

Foray, D. et al. (2012) Guide to research and innovation strategies for smart specialisation
(RIS3), European Commission; Balland, P.A. et al. (2019) Regional Studies 53(9): 1252-1268.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .validation import S3InputError

REQUIRED = ("rca", "relatedness_density", "complexity")


def stress_test(priorities: Mapping[str, Iterable], measures: pd.DataFrame, threshold: float = 1.0
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-priority evidence and flags, strong domains no priority covers).

    `priorities` maps each priority to the domains it covers. `measures` is indexed by domain
    with columns rca, relatedness_density and complexity for the region, and optionally
    growth and growth_low (from emerging_trends).

    >>> measures = pd.DataFrame({
    ...     "rca": [1.5, 0.4, 2.0, 0.2, 1.2], "relatedness_density": [0.8, 0.2, 0.7, 0.6, 0.3],
    ...     "complexity": [1.2, -0.5, 0.9, 1.4, -1.0], "growth": [0.10, -0.20, 0.05, 0.30, -0.1],
    ...     "growth_low": [0.02, -0.30, -0.01, 0.12, -0.2]}, index=["ai", "textiles", "robots", "h2", "tourism"])
    >>> table, uncovered = stress_test({"Digital": ["ai"], "Fashion": ["textiles", "silk"]}, measures)
    >>> table.set_index("priority")["evidence"].to_dict()
    {'Digital': 'strong', 'Fashion': 'weak'}
    >>> table.set_index("priority")["flags"].to_dict()["Fashion"]
    'not_specialised, low_relatedness, low_complexity, declining, unmeasured'
    >>> print(uncovered[["domain", "rca", "complexity", "reason"]].to_string(index=False))
    domain  rca  complexity                     reason
        h2  0.2         1.4 emerging, related, complex
    robots  2.0         0.9       specialised, complex
    """
    missing = [c for c in REQUIRED if c not in measures.columns]
    if missing:
        raise S3InputError(f"measures need the column(s) {', '.join(missing)}; they have {', '.join(measures.columns)}")
    if measures.index.has_duplicates:
        twice = measures.index[measures.index.duplicated()][:5]
        raise S3InputError(f"measures name some domains twice: {', '.join(map(str, twice))}")
    medians = measures[list(REQUIRED)].median()
    has_growth = "growth" in measures.columns
    rows, covered = [], set()
    for name, domains in priorities.items():
        domains = list(dict.fromkeys(domains))
        covered.update(domains)
        known = [d for d in domains if d in measures.index]
        unknown = [d for d in domains if d not in measures.index]
        part = measures.loc[known]
        flags = []
        if known:
            if not (part["rca"] >= threshold).any():
                flags.append("not_specialised")
            if part["relatedness_density"].mean() < medians["relatedness_density"]:
                flags.append("low_relatedness")
            if part["complexity"].mean() < medians["complexity"]:
                flags.append("low_complexity")
            if has_growth and part["growth"].mean() < 0:
                flags.append("declining")
        if unknown:
            flags.append("unmeasured")
        scored = [f for f in flags if f != "unmeasured"]
        evidence = "none" if not known else ("strong" if not scored else "moderate" if len(scored) == 1 else "weak")
        if known and unknown and evidence == "strong":
            evidence = "moderate"
        rows.append({"priority": name, "domains": len(domains), "measured": len(known),
                     "specialised": int((part["rca"] >= threshold).sum()) if known else 0,
                     "mean_rca": part["rca"].mean() if known else np.nan,
                     "mean_relatedness_density": part["relatedness_density"].mean() if known else np.nan,
                     "mean_complexity": part["complexity"].mean() if known else np.nan,
                     "mean_growth": part["growth"].mean() if known and has_growth else np.nan,
                     "evidence": evidence, "flags": ", ".join(flags),
                     "unmeasured_domains": ", ".join(map(str, unknown))})
    table = pd.DataFrame(rows, columns=["priority", "domains", "measured", "specialised", "mean_rca",
                                        "mean_relatedness_density", "mean_complexity", "mean_growth", "evidence",
                                        "flags", "unmeasured_domains"])
    rest = measures.loc[[d for d in measures.index if d not in covered]]
    specialised = rest["rca"] >= threshold
    complex_ = rest["complexity"] >= medians["complexity"]
    related = rest["relatedness_density"] >= medians["relatedness_density"]
    emerging = rest["growth_low"] > 0 if "growth_low" in rest.columns else pd.Series(False, index=rest.index)
    strong = (specialised & complex_) | (emerging & related)
    reasons = [", ".join(word for word, ok in (("emerging", e), ("specialised", s), ("related", r and e),
                                               ("complex", c)) if ok)
               for e, s, r, c in zip(emerging[strong], specialised[strong], related[strong], complex_[strong])]
    uncovered = rest[strong].assign(reason=reasons).rename_axis("domain").reset_index()
    uncovered = uncovered.sort_values(["complexity", "domain"], ascending=[False, True], kind="stable")
    return table, uncovered.reset_index(drop=True)
