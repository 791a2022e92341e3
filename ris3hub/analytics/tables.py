"""The data behind each chart of a profile as a table, for ``?download=<chart>`` and the report.

Each table is (columns, rows) with unrounded numbers; the CSV follows the conventions of the
other exports (UTF-8 with a byte-order mark so that spreadsheets read accents, text that a
spreadsheet would run as a formula neutralised, true/false for flags, empty for no value).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone

from ris3hub.analytics import profile as profiles
from ris3hub.core.exports import UTF8_BOM, neutralise

Table = tuple[list[str], list[tuple]]


def specialisation(p: profiles.Profile) -> Table:
    columns = ["region", "domain", "label", "value", "rca", "specialised", "density", "complexity_pci"]
    rows = [(p.region.code, r.domain, r.label, r.value, r.rca, r.specialised, r.density, r.pci)
            for r in sorted(p.domain_rows, key=lambda r: -r.rca)]
    return columns, rows


def opportunities(p: profiles.Profile) -> Table:
    columns = ["rank", "domain", "label", "rca", "relatedness_density", "complexity_pci", "cog", "quadrant"]
    rows = [(o.rank, o.domain, o.label, o.rca, o.density, o.pci, o.cog, o.quadrant)
            for o in profiles.opportunities(p)]
    return columns, rows


def network(p: profiles.Profile) -> Table:
    labels = dict(zip(p.space.domains, p.space.labels))
    return (["domain_1", "label_1", "domain_2", "label_2", "proximity"],
            [(a, labels[a], b, labels[b], phi) for a, b, phi in profiles.proximity_edges(p)])


def domain_map(p: profiles.Profile, domain: str) -> Table:
    return (["region", "domain", "rca", "value"],
            [(code, domain, rca, value) for code, rca, value in profiles.rca_across_regions(p, domain)])


def trends(p: profiles.Profile) -> Table:
    t = profiles.trends(p)
    columns = ["domain", "label", "year", "region_value", "growth", "growth_se", "growth_low", "growth_high",
               "acceleration", "excess_growth", "emerging", "overall_growth", "overall_emerging"]
    counts = p.space.panel.counts
    counts = counts[(counts["region"] == p.region.code) & counts["year"].notna()]
    by_year = counts.groupby(["domain", "year"])["value"].sum()
    rows = []
    for r in t.rows:
        for year in t.years:
            rows.append((r.domain, r.label, year, float(by_year.get((r.domain, year), 0.0)), r.growth, r.error, r.low,
                         r.high, r.acceleration, r.excess, r.emerging, r.overall_growth, r.overall_emerging))
    return columns, rows


def peers(p: profiles.Profile) -> Table:
    columns = ["rank", "region", "name", "similarity", "gdp_pps_per_head_to_eu", "cohesion_category"]
    rows = [(k, peer.code, peer.name, peer.similarity, peer.gdp_ratio, peer.category)
            for k, peer in enumerate(profiles.peers(p), start=1)]
    return columns, rows


def strategy(p: profiles.Profile) -> Table:
    check = profiles.strategy_check(p)
    columns = ["priority", "title", "domains", "mean_rca", "mean_relatedness_density", "mean_complexity_pci",
               "mean_growth", "evidence", "flags"]
    rows = [(c.code, c.title, "; ".join(c.domains), c.rca, c.density, c.pci, c.growth, c.evidence, ", ".join(c.flags))
            for c in check.priorities]
    rows += [("", f"not covered: {u.label}", u.domain, u.rca, u.density, u.pci, None, "", u.reason)
             for u in check.uncovered]
    return columns, rows


TABLES: dict[str, Callable] = {
    "specialisation": specialisation,
    "opportunities": opportunities,
    "network": network,
    "trends": trends,
    "peers": peers,
    "strategy": strategy,
}


def csv_response(name: str, table: Table, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns, rows = table
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else "true" if v is True else "false" if v is False else neutralise(v)
                         for v in row])
    response = HttpResponse(UTF8_BOM + buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{name}-{timezone.now().date().isoformat()}.csv"'
    return response
