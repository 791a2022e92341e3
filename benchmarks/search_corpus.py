"""The texts the search evaluation runs on: the Italian spin-offs and the Horizon 2020 projects.

Record ids are the ones of tests/engines/matching/eval/queries.jsonl: "ks:<knowledge-share id>"
and "cordis:<project number>". A spin-off reads as its name, abstract and description, its
enabling technologies, applications, categories and tags (fields apart by blank lines, so no
passage spans two of them); a project as its title and acronym, then its call topic.
The 131 projects of the 2021 dashboard are all in h2020-projects.xlsx; their topic texts agree.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ris3hub import conf
from ris3hub.importers.base import InputError, RowError, read_xlsx
from ris3hub.importers.spinoffs import read_spinoffs

SPINOFFS = "actors/it-research-spinoffs-knowledge-share.json"
PROJECTS = "cordis/h2020-projects.xlsx"
EVAL_DIR = REPO / "tests" / "engines" / "matching" / "eval"


@dataclass(frozen=True)
class Doc:
    record_id: str
    kind: str
    title: str
    text: str


def shared_data() -> Path:
    return Path(conf.get("RIS3HUB_SHARED_DATA"))


def spinoff_text(data: dict) -> str:
    """The text of a spin-off record as read by ris3hub.importers.spinoffs."""
    parts = [data["description"]]
    for key, label in (("enabling_technologies", "Enabling technologies"), ("main_applications", "Applications")):
        heading, items = data[key]
        if items:
            parts.append(f"{heading or label}: " + "; ".join(items) + ".")
    labels = [name for _, name in data["categories"]] + [name for _, name in data["tags"]]
    if labels:
        parts.append("Fields: " + ", ".join(dict.fromkeys(labels)) + ".")
    return "\n\n".join(p for p in parts if p)


def spinoffs(root: Path | None = None) -> list[Doc]:
    path = (root or shared_data()) / SPINOFFS
    docs = []
    for row in read_spinoffs(path):
        if isinstance(row, RowError):
            raise InputError(row)
        data = row.data
        docs.append(Doc(f"ks:{data['source_id']}", "spinoff", data["name"], spinoff_text(data)))
    return docs


_GENERIC_TOPICS = {"", "erc starting grant", "erc consolidator grant", "erc advanced grant", "individual fellowships",
                   "innovative training networks", "sme instrument"}


def projects(root: Path | None = None, limit: int | None = None) -> list[Doc]:
    header, rows = read_xlsx((root or shared_data()) / PROJECTS)
    col = {name: header.index(name)
           for name in ("Project Nbr", "Project Title", "Project Acronym", "Topic description")}
    docs = []
    for _, values in rows:
        number = values[col["Project Nbr"]]
        number = str(int(number)) if isinstance(number, float) else str(number).strip()
        title = " ".join(str(values[col["Project Title"]] or "").split())
        acronym = str(values[col["Project Acronym"]] or "").strip()
        topic = " ".join(str(values[col["Topic description"]] or "").split())
        head = f"{title} ({acronym})" if acronym and acronym.lower() not in title.lower() else title
        text = head if topic.lower() in _GENERIC_TOPICS or topic == title else f"{head}\n\n{topic}"
        docs.append(Doc(f"cordis:{number}", "project", title, text))
        if limit and len(docs) >= limit:
            break
    return docs


def corpus(root: Path | None = None) -> list[Doc]:
    """Every spin-off and every Horizon 2020 project (about 35,700 records)."""
    return spinoffs(root) + projects(root)
