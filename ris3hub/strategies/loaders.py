"""Loading a region's S3 strategy (``ris3hub import strategy FILE.csv|FILE.xlsx``).

One row a priority, with the columns

    region           NUTS code of the region (any version; mapped to the version in use)
    period           2014-2020 or 2021-2027
    code             the priority's code in the strategy (unique within it)
    title            its title (English or as published)
    title_it         its Italian title (optional)
    description      (optional)
    classifications  what it covers, "scheme:code" separated by ';' (optional): concepts of a
                     loaded taxonomy scheme (euroscivoc:/21/33, er-rat:ict-e-design) or domains
                     of the S3 analytics (thematic:Space, topic:SC5-01-2016, eurito:deep_learning)
    strategy_title   the strategy's title (optional; the same on every row of a strategy)
    strategy_url     where the strategy is published (optional; likewise)

A file is the whole strategy of each (region, period) it names: priorities of those strategies
that the file no longer lists are deleted, and their links follow the file. Every problem is
reported with file, line, column and reason, and then nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ris3hub.analytics.matrices import domain_keys
from ris3hub.core.loading import ImportContext
from ris3hub.importers.base import (
    InputError,
    Row,
    RowError,
    clean_text,
    read_csv,
    read_xlsx,
)
from ris3hub.importers.registry_template import parse_concepts
from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept, Scheme

REQUIRED = ["region", "period", "code", "title"]
OPTIONAL = ["title_it", "description", "classifications", "strategy_title", "strategy_url"]
DOMAIN_SCHEMES = set(PriorityDomain.Scheme.values)


def _limit(model, name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def read_strategy_rows(path: Path) -> list[Row | RowError]:
    """The rows of a strategy file (CSV in UTF-8, or the first sheet of a workbook) as text."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        header, body = read_xlsx(path)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(RowError(str(path), 1, ", ".join(missing), f"missing column(s) {', '.join(missing)}"))
        return [Row(str(path), line, {h: clean_text(v) for h, v in zip(header, values) if h})
                for line, values in body]
    if path.suffix.lower() != ".csv":
        raise InputError(RowError(str(path), None, None, "a strategy is a .csv or .xlsx file"))
    out: list[Row | RowError] = []
    for item in read_csv(path, REQUIRED):
        if isinstance(item, RowError):
            out.append(item)
        else:
            line, values = item
            out.append(Row(str(path), line, {k: clean_text(v) for k, v in values.items()}))
    return out


class _Links:
    """Checks 'scheme:code' classifications against the loaded concepts and analytics domains."""

    def __init__(self):
        self.concepts = {(s, c): pk for pk, s, c in Concept.objects.values_list("id", "scheme__code", "code")}
        self.schemes = set(Scheme.objects.values_list("code", flat=True))
        self._domains: dict[str, set[str]] = {}

    def domains(self, scheme: str) -> set[str]:
        if scheme not in self._domains:
            self._domains[scheme] = domain_keys(scheme)
        return self._domains[scheme]

    def parse(self, row: Row) -> tuple[list[int], list[tuple[str, str]]] | None:
        """(concept ids, analytics domains) of the row, or None with the problems rejected."""
        try:
            pairs = parse_concepts(row.data.get("classifications", ""))
        except ValueError as error:
            raise _Rejected(row.error("classifications", f"{error}; write scheme:code separated by ';'")) from None
        concepts: list[int] = []
        domains: list[tuple[str, str]] = []
        problems = []
        for scheme, code in pairs:
            if scheme in DOMAIN_SCHEMES:
                if code in self.domains(scheme):
                    domains.append((scheme, code))
                else:
                    problems.append(f"{scheme}:{code} is not a {scheme} domain of the loaded data")
            elif scheme in self.schemes:
                if (scheme, code) in self.concepts:
                    concepts.append(self.concepts[(scheme, code)])
                else:
                    problems.append(f"{scheme}:{code} is not a concept of the scheme {scheme}")
            else:
                known = ", ".join(sorted(self.schemes | DOMAIN_SCHEMES))
                problems.append(f"'{scheme}' is neither a loaded taxonomy scheme nor an analytics scheme "
                                f"(known: {known})")
        if problems:
            raise _Rejected(row.error("classifications", "; ".join(problems)))
        return sorted(set(concepts)), sorted(set(domains))


class _Rejected(Exception):
    def __init__(self, error: RowError):
        self.error = error


def _check(row: Row, regions: RegionResolver, codes: dict[int, str], ctx: ImportContext) -> dict[str, Any] | None:
    """The row's values, or None with each problem rejected."""
    d = row.data
    problems: list[RowError] = []
    record: dict[str, Any] = {}
    try:
        record["region_id"] = regions.resolve(d.get("region", ""))
        record["region_code"] = codes.get(record["region_id"], d.get("region", ""))
    except ValueError as error:
        problems.append(row.error("region", str(error)))
    if d.get("period", "") not in Strategy.Period.values:
        problems.append(row.error("period", f"'{d.get('period', '')}' is not a programming period; "
                                            f"write {' or '.join(Strategy.Period.values)}"))
    for column, model, name in (("code", Priority, "code"), ("title", Priority, "title"),
                                ("title_it", Priority, "title_it"), ("strategy_title", Strategy, "title"),
                                ("strategy_url", Strategy, "url")):
        value = d.get(column, "")
        if column in REQUIRED and not value:
            problems.append(row.error(column, f"the priority needs a {column}"))
        limit = _limit(model, name)
        if limit and len(value) > limit:
            problems.append(row.error(column, f"{len(value)} characters, more than the {limit} allowed"))
    url = d.get("strategy_url", "")
    if url and not url.startswith(("http://", "https://")):
        problems.append(row.error("strategy_url", f"'{url}' is not a web address (http:// or https://)"))
    for problem in problems:
        ctx.reject(problem)
    return None if problems else record


def load_strategy(paths: list[Path], ctx: ImportContext) -> None:
    regions = RegionResolver()
    if not regions.known():
        raise InputError(RowError(str(paths[0]), None, None,
                                  f"no NUTS {regions.target} regions are loaded; run `ris3hub import nuts` first"))
    codes = dict(Region.objects.filter(version=regions.target).values_list("id", "code"))
    links = _Links()
    good: list[tuple[Row, dict[str, Any], list[int], list[tuple[str, str]]]] = []
    lines: dict[tuple, list[Row]] = defaultdict(list)
    for path in paths:
        rows = read_strategy_rows(path)
        for row in ctx.rows(rows, desc=path.name, total=len(rows)):
            record = _check(row, regions, codes, ctx)
            try:
                concepts, domains = links.parse(row)
            except _Rejected as rejected:
                ctx.reject(rejected.error)
                record = None
            if record is None:
                continue
            key = (record["region_id"], row.data["period"], row.data["code"])
            lines[key].append(row)
            good.append((row, record, concepts, domains))
    for (_, period, code), rows in lines.items():
        if len(rows) > 1:
            where = ", ".join(f"{Path(r.file).name} line {r.line}" for r in rows)
            for row in rows:
                ctx.reject(row.error("code", f"priority {code} of {row.data['region']} {period} is given "
                                             f"{len(rows)} times ({where})"))
    good = [g for g in good if len(lines[(g[1]["region_id"], g[0].data["period"], g[0].data["code"])]) == 1]
    strategy_ids = _load_strategies(ctx, good)
    _load_priorities(ctx, good, strategy_ids)


def _load_strategies(ctx: ImportContext, good: list) -> dict[tuple[int, str], int]:
    """Creates or updates the strategies the rows name; their titles and addresses must agree."""
    values: dict[tuple[int, str], dict[str, str]] = {}
    where: dict[tuple[int, str], dict[str, Row]] = defaultdict(dict)
    region_names = dict(Region.objects.filter(pk__in={r["region_id"] for _, r, _, _ in good})
                        .values_list("id", "name_latn"))
    for row, record, _, _ in good:
        key = (record["region_id"], row.data["period"])
        given = {"title": row.data.get("strategy_title", ""), "url": row.data.get("strategy_url", "")}
        current = values.setdefault(key, {"title": "", "url": ""})
        for name, value in given.items():
            if not value:
                continue
            if current[name] and current[name] != value:
                first = where[key][name]
                ctx.reject(row.error(f"strategy_{name}", f"'{value}' differs from '{current[name]}' given for "
                                                         f"the same strategy on line {first.line}"))
                continue
            if not current[name]:
                current[name] = value
                where[key][name] = row
    upserter = ctx.upserter(Strategy, ("region_id", "period"))
    for (region_id, period), given in values.items():
        title = given["title"] or f"Smart Specialisation Strategy {region_names.get(region_id, '')} {period}"
        record = {"title": title}
        if given["url"]:
            record["url"] = given["url"]
        upserter.put((region_id, period), record)
    upserter.flush()
    return {key: upserter.get(key).pk for key in values}


def _load_priorities(ctx: ImportContext, good: list, strategy_ids: dict[tuple[int, str], int]) -> None:
    ids = set(strategy_ids.values())
    priorities = ctx.upserter(Priority, ("strategy_id", "code"), queryset=Priority.objects.filter(strategy_id__in=ids))
    for row, record, _, _ in good:
        strategy = strategy_ids[(record["region_id"], row.data["period"])]
        priorities.put((strategy, row.data["code"]), {
            "title": row.data["title"], "title_it": row.data.get("title_it", ""),
            "description": row.data.get("description", ""),
        })
    priorities.flush()
    listed = {(strategy_ids[(r["region_id"], row.data["period"])], row.data["code"]) for row, r, _, _ in good}
    stale = Priority.objects.filter(strategy_id__in=ids).exclude(
        pk__in=[priorities.get(key).pk for key in listed])
    deleted = stale.count()
    if deleted:
        stale.delete()
        ctx.report.counts[Priority._meta.label]["deleted"] += deleted
    _load_links(ctx, good, strategy_ids, priorities)


def _load_links(ctx: ImportContext, good: list, strategy_ids: dict, priorities) -> None:
    """Concept and analytics-domain links of each priority, exactly as the file gives them."""
    wanted_concepts: set[tuple[int, int]] = set()
    wanted_domains: set[tuple[int, str, str]] = set()
    priority_ids = set()
    for row, record, concepts, domains in good:
        pk = priorities.get((strategy_ids[(record["region_id"], row.data["period"])], row.data["code"])).pk
        priority_ids.add(pk)
        wanted_concepts |= {(pk, c) for c in concepts}
        wanted_domains |= {(pk, s, c) for s, c in domains}
    through = Priority.concepts.through
    existing = through.objects.filter(priority_id__in=priority_ids)
    concept_links = ctx.upserter(through, ("priority_id", "concept_id"), queryset=existing)
    for key in sorted(wanted_concepts):
        concept_links.put(key)
    concept_links.flush()
    gone = [pk for pk, p, c in existing.values_list("id", "priority_id", "concept_id") if (p, c) not in wanted_concepts]
    if gone:
        through.objects.filter(pk__in=gone).delete()
        ctx.report.counts[through._meta.label]["deleted"] += len(gone)
    existing_domains = PriorityDomain.objects.filter(priority_id__in=priority_ids)
    domain_links = ctx.upserter(PriorityDomain, ("priority_id", "scheme", "code"), queryset=existing_domains)
    for key in sorted(wanted_domains):
        domain_links.put(key)
    domain_links.flush()
    gone = [pk for pk, p, s, c in existing_domains.values_list("id", "priority_id", "scheme", "code")
            if (p, s, c) not in wanted_domains]
    if gone:
        PriorityDomain.objects.filter(pk__in=gone).delete()
        ctx.report.counts[PriorityDomain._meta.label]["deleted"] += len(gone)
