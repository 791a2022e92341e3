"""The labelled evaluation set is well formed and points at real records of ../shared/data."""

import json
from collections import Counter
from pathlib import Path

from ris3hub.importers.base import read_xlsx
from ris3hub.importers.spinoffs import read_spinoffs

QUERIES = Path(__file__).parent / "eval" / "queries.jsonl"


def test_the_set_has_60_queries_half_italian_a_third_across_languages(shared_data):
    queries = [json.loads(line) for line in QUERIES.read_text().splitlines() if line.strip()]
    assert len(queries) >= 60
    assert len({q["id"] for q in queries}) == len(queries)
    languages = Counter(q["lang"] for q in queries)
    assert languages["it"] == languages["en"] == len(queries) // 2
    assert sum(q["cross_language"] for q in queries) >= len(queries) / 3
    for query in queries:
        assert query["query"].strip() and query["relevant"], query["id"]
        assert len(set(query["relevant"])) == len(query["relevant"]), query["id"]

    spinoffs = {f"ks:{row.data['source_id']}"
                for row in read_spinoffs(shared_data / "actors/it-research-spinoffs-knowledge-share.json")}
    header, rows = read_xlsx(shared_data / "cordis/h2020-projects.xlsx")
    column = header.index("Project Nbr")
    projects = {f"cordis:{int(values[column]) if isinstance(values[column], float) else values[column]}"
                for _, values in rows}
    known = spinoffs | projects
    missing = [(q["id"], r) for q in queries for r in q["relevant"] if r not in known]
    assert not missing
