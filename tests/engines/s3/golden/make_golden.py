"""Golden fixtures of the S3 engines, produced once by the reference implementation, py-ecomplexity.

    .venv/bin/python tests/engines/s3/golden/make_golden.py

Builds two real panels from ../shared/data and writes what py-ecomplexity 0.5.3 computes on
them with its defaults (ecomplexity() and proximity()):

- EURITO preprint counts by NUTS-2 region and topic: every eurito/articles/*_count.csv row at
  region_level 2, as (year, region, topic, count); the golden tables keep the years 2014,
  2019 and 2020 (5, 16 and 35 topics) to stay small; the tests also run py-ecomplexity live
  on all twelve years.
- Horizon 2020 participations signed in 2021 (cordis/h2020-dashboard-participations-2021.csv)
  counted by NUTS-2 region (the first four characters of nuts_3_code, rows without one left
  out) and thematic priority, as (call_year, region, priority, participations).

Files: eurito-ecomplexity.csv.gz, eurito-proximity.csv.gz, h2020-ecomplexity.csv.gz,
h2020-proximity.csv.gz (floats written with 17 significant digits).
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
EURITO_COLS = {"time": "year", "loc": "region", "prod": "topic", "val": "count"}
H2020_COLS = {"time": "call_year", "loc": "region", "prod": "priority", "val": "participations"}
EURITO_GOLDEN_YEARS = [2014, 2019, 2020]


def eurito_panel(shared: Path) -> pd.DataFrame:
    """(year, region, topic, count) for NUTS-2 regions from every EURITO *_count.csv file."""
    frames = []
    for path in sorted((shared / "eurito" / "articles").glob("*_count.csv")):
        topic = path.name[: -len("_count.csv")]
        data = pd.read_csv(path, dtype={"region_id": str})
        data = data[data["region_level"] == 2]
        frames.append(pd.DataFrame({"year": data["year"], "region": data["region_id"], "topic": topic,
                                    "count": data[f"{topic}_count"]}))
    return pd.concat(frames, ignore_index=True)


def h2020_panel(shared: Path) -> pd.DataFrame:
    """(call_year, region, priority, participations) by NUTS-2 region and H2020 thematic priority."""
    data = pd.read_csv(shared / "cordis" / "h2020-dashboard-participations-2021.csv",
                       usecols=["call_year", "nuts_3_code", "thematic_priority_abbr"], dtype=str)
    data = data[data["nuts_3_code"].str.len() == 5]
    data = data.assign(call_year=data["call_year"].astype(int), region=data["nuts_3_code"].str[:4],
                       priority=data["thematic_priority_abbr"])
    counts = data.groupby(["call_year", "region", "priority"]).size().rename("participations").reset_index()
    return counts


def main() -> None:
    sys.path.insert(0, str(REPO))
    from ris3hub import conf
    from ecomplexity import ecomplexity, proximity

    shared = Path(conf.get("RIS3HUB_SHARED_DATA"))
    eurito = eurito_panel(shared)
    eurito = eurito[eurito["year"].isin(EURITO_GOLDEN_YEARS)]
    for name, panel, cols in (("eurito", eurito, EURITO_COLS), ("h2020", h2020_panel(shared), H2020_COLS)):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            table = ecomplexity(panel, cols, verbose=False, check_logsupermodularity=False)
            prox = proximity(panel, cols)
        table.to_csv(HERE / f"{name}-ecomplexity.csv.gz", index=False, float_format="%.17g")
        prox.to_csv(HERE / f"{name}-proximity.csv.gz", index=False, float_format="%.17g")
        print(f"{name}: {len(panel)} input rows, {len(table)} ecomplexity rows, {len(prox)} proximity rows")


if __name__ == "__main__":
    main()
