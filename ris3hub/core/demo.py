"""The demo database: every open-data file of ../shared/data imported in dependency order."""

from __future__ import annotations

import json
import sys
import time
from importlib import import_module
from pathlib import Path

from ris3hub import conf

# (kind, files relative to the shared data folder), in the order the data depends on each other:
# regions first (everything points at them), then classifications, then the actors and projects.
DEMO_IMPORTS: list[tuple[str, list[str]]] = [
    ("nuts", ["nuts/NUTS2013-NUTS2016.xlsx", "nuts/NUTS2016-NUTS2021.xlsx", "nuts/NUTS2021-NUTS2024.xlsx",
              "nuts/all_valid_nuts_codes.csv", "nuts/nuts_changes.csv"]),
    ("gisco", ["nuts/NUTS_RG_60M_2021_4326.geojson", "nuts/NUTS_LB_2021_4326.geojson"]),
    ("taxonomy", ["actors/er-rete-alta-tecnologia-taxonomy.json"]),
    ("cordis", [
        "cordis/cordisref-H2020programmes.csv",
        "cordis/cordisref-H2020topics.csv",
        "cordis/cordisref-organizationActivityType.csv",
        "cordis/cordisref-sicCode.csv",
        "cordis/h2020-projects.xlsx",
        "cordis/fp7-projects.xlsx",
        "cordis/h2020-organisations-2017.csv",
        "cordis/h2020-fp7-participations-2014.csv",
        "cordis/h2020-dashboard-participations-2021.csv",
        "cordis/horizon-europe-project-topics.xlsx",
        "cordis/horizon-europe-project-euroscivoc.xlsx",
    ]),
    ("eurostat", ["eurostat/nama_10r_3gdp.tsv", "eurostat/pat_ep_rtot_and_gdp.csv",
                  "eurostat/regional_rd_personnel.csv"]),
    ("eurito", ["eurito/articles/*.csv"]),
    ("spinoffs", ["actors/it-research-spinoffs-knowledge-share.json"]),
]

# Demo content of the domain apps, created after the imports, in this order: (what, dotted path of a
# function taking `progress: bool`). Each is idempotent, so a partly built demo can be completed.
DEMO_STEPS: list[tuple[str, str]] = [
    ("S3 analytics panels", "ris3hub.analytics.demo.build_demo"),
    ("brokerage event", "ris3hub.events.demo.demo_step"),
    ("consultation", "ris3hub.consultation.demo.build_demo"),
    ("good practices", "ris3hub.practices.demo.build_demo"),
    ("monitoring framework", "ris3hub.monitoring.demo.build_demo_monitoring"),
    ("search index", "ris3hub.search.indexing.build_index"),
]

# Files shipped with the package: the illustrative Emilia-Romagna network registry and the region's
# S3 2021-2027 priority areas.
PACKAGE = Path(__file__).resolve().parent.parent
PACKAGE_IMPORTS: list[tuple[str, Path]] = [
    ("registry", PACKAGE / "registry" / "template" / "example"),
    ("strategy", PACKAGE / "strategies" / "demo" / "emilia-romagna-s3-2021-2027.csv"),
]


def _marker() -> Path:
    return conf.data_dir() / "demo-built.json"


def demo_is_built() -> bool:
    from ris3hub.regions.models import Region

    return _marker().exists() and Region.objects.exists()


def demo_plan(shared: Path | None = None) -> list[tuple[str, list[Path]]]:
    shared = Path(shared or conf.get("RIS3HUB_SHARED_DATA"))
    if not shared.is_dir():
        raise FileNotFoundError(f"the open data folder {shared} does not exist; set RIS3HUB_SHARED_DATA")
    plan = []
    for kind, patterns in DEMO_IMPORTS:
        paths: list[Path] = []
        for pattern in patterns:
            matched = sorted(shared.glob(pattern))
            if not matched:
                raise FileNotFoundError(f"{shared / pattern} is missing from the open data folder")
            paths += matched
        plan.append((kind, paths))
    plan += [(kind, [path]) for kind, path in PACKAGE_IMPORTS]
    return plan


def build_demo(shared: Path | None = None, progress: bool = True) -> list[str]:
    """Import every demo file; returns the kinds that failed (empty when the demo is complete)."""
    from ris3hub.core.loading import run_import

    failures, summary = [], {}
    for kind, paths in demo_plan(shared):
        started = time.monotonic()
        print(f"importing {kind}: {len(paths)} file(s)", file=sys.stderr, flush=True)
        report = run_import(kind, paths, progress=progress)
        elapsed = time.monotonic() - started
        summary[kind] = {"seconds": round(elapsed, 1), **report.as_dict()}
        for line in report.summary_lines():
            print(f"  {line}", file=sys.stderr)
        if report.errors:
            failures.append(kind)
    for what, dotted in DEMO_STEPS if not failures else []:
        started = time.monotonic()
        print(f"building the demo {what}", file=sys.stderr, flush=True)
        module, _, name = dotted.rpartition(".")
        getattr(import_module(module), name)(progress=progress)
        summary[what] = {"seconds": round(time.monotonic() - started, 1)}
    if not failures:
        from ris3hub.core.caching import bump_data_version

        bump_data_version()  # the demo steps write in bulk too
        _marker().parent.mkdir(parents=True, exist_ok=True)
        _marker().write_text(json.dumps(summary, indent=2, default=str))
    return failures
