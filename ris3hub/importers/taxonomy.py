"""Readers of classification schemes: a nested JSON tree, a scheme CSV, a mappings CSV.

* Tree JSON: one root key (the scheme's name) holding objects and lists nested to any depth,
  e.g. the Emilia-Romagna High Technology Network file
  ``{"Rete Alta Tecnologia": {"Meccanica - materiali": ["Materiali", ...], ...}}``; keys
  starting with ``_`` (``_origin``) are notes, not concepts. Concept codes are slugs of the
  labels joined from the top (``meccanica-materiali/materiali``).
* Scheme CSV: ``scheme, code, label`` required; ``label_it, parent, description, scheme_name``
  optional. ``parent`` is the code of another concept of the same scheme.
* Mappings CSV: ``source_scheme, source_code, target_scheme, target_code, relation``.

The readers check what a file can tell by itself (required values, duplicate codes, parents
missing from the file are left to the loader, which also knows the database, cycles).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3hub.importers.base import InputError, Row, RowError, clean_text, read_csv, read_json, read_text

SCHEME_COLUMNS = ["scheme", "code", "label", "label_it", "parent", "description", "scheme_name"]
SCHEME_REQUIRED = ["scheme", "code", "label"]
MAPPING_COLUMNS = ["source_scheme", "source_code", "target_scheme", "target_code", "relation"]
CODE_LENGTH, LABEL_LENGTH = 200, 300  # as Concept.code and Concept.label hold

# Trees whose scheme code is fixed, so that other files (the registry template) can refer to it.
KNOWN_TREES = {
    "Rete Alta Tecnologia": ("er-rat", "Emilia-Romagna High Technology Network (Rete Alta Tecnologia)"),
}


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-'.

    >>> slugify("Qualità e tipicità degli alimenti")
    'qualita-e-tipicita-degli-alimenti'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^0-9a-z]+", "-", ascii_text).strip("-")


@dataclass
class SchemeSpec:
    code: str
    name: str
    description: str = ""
    source: str = ""


@dataclass
class ConceptRow:
    scheme: str
    code: str
    label: str
    label_it: str = ""
    parent: str = ""
    description: str = ""
    file: str = ""
    line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str | None, reason: str) -> RowError:
        return RowError(self.file, self.line, column, reason)


def kind_of(path: str | Path) -> str:
    """'tree', 'scheme' or 'mappings', from the file's extension and header."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return "tree"
    if path.suffix.lower() != ".csv":
        raise InputError(RowError(str(path), None, None,
                                  "expected a tree .json, a scheme .csv or a mappings .csv"))
    header = read_text(path).split("\n", 1)[0]
    columns = {c.strip() for c in re.split(r"[,;\t|]", header)}
    if "source_scheme" in columns:
        return "mappings"
    if "scheme" in columns:
        return "scheme"
    raise InputError(RowError(str(path), 1, None, "not a scheme CSV (columns " + ", ".join(SCHEME_REQUIRED)
                              + ") nor a mappings CSV (columns " + ", ".join(MAPPING_COLUMNS) + ")"))


def read_tree_json(path: str | Path) -> tuple[SchemeSpec, list[ConceptRow]]:
    """The scheme and its concepts (parents before children) of a nested JSON tree."""
    path = Path(path)
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(RowError(str(path), None, None, "expected a JSON object with one root key (the scheme)"))
    roots = [k for k in data if not k.startswith("_")]
    if len(roots) != 1:
        raise InputError(RowError(str(path), None, None,
                                  f"expected one root key (the scheme's name), found {len(roots)}: {', '.join(roots)}"))
    root = roots[0]
    code, name = KNOWN_TREES.get(root, (str(data.get("_scheme") or slugify(root)), root))
    origin = str(data.get("_origin", ""))
    # Scheme.source holds 300 characters; a longer origin note is kept as the description
    scheme = SchemeSpec(code=code, name=name, source=origin if len(origin) <= 300 else "",
                        description=origin if len(origin) > 300 else "")
    concepts: list[ConceptRow] = []
    seen: dict[str, str] = {}
    errors: list[RowError] = []

    def add(label: Any, parent: str, where: str) -> str | None:
        if not isinstance(label, str) or not label.strip():
            errors.append(RowError(str(path), None, where, f"expected a non-empty label, found {label!r}"))
            return None
        label = " ".join(label.split())
        if len(label) > LABEL_LENGTH:
            errors.append(RowError(str(path), None, where, f"the label has {len(label)} characters; at most "
                                                           f"{LABEL_LENGTH}"))
            return None
        own = slugify(label)
        if not own:
            errors.append(RowError(str(path), None, where, f"the label {label!r} gives an empty code"))
            return None
        code = f"{parent}/{own}" if parent else own
        if code in seen:
            errors.append(RowError(str(path), None, where, f"'{label}' appears twice under the same parent "
                                   f"(code {code}; first at {seen[code]})"))
            return None
        seen[code] = where
        concepts.append(ConceptRow(scheme.code, code, label, label_it=label, parent=parent, file=str(path)))
        return code

    def walk(node: Any, parent: str, where: str) -> None:
        if isinstance(node, dict):
            for key, child in node.items():
                code = add(key, parent, f"{where}/{key}")
                if code is not None:
                    walk(child, code, f"{where}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node, start=1):
                if isinstance(child, (dict, list)):
                    walk(child, parent, f"{where}[{i}]")
                else:
                    add(child, parent, f"{where}[{i}]")
        elif node not in (None, ""):
            add(node, parent, where)

    walk(data[root], "", root)
    if errors:
        raise InputError(errors)
    if not concepts:
        raise InputError(RowError(str(path), None, root, "the tree holds no concepts"))
    return scheme, concepts


def read_scheme_csv(path: str | Path) -> Iterator[ConceptRow | RowError]:
    """Concept rows of a scheme CSV, each checked for required values and duplicate codes."""
    path = Path(path)
    first_line: dict[tuple[str, str], int] = {}
    header_checked = False
    for item in read_csv(path, SCHEME_REQUIRED):
        if isinstance(item, RowError):
            yield item
            continue
        line, values = item
        row = Row(str(path), line)
        if not header_checked:
            header_checked = True
            unknown = [c for c in values if c not in SCHEME_COLUMNS]
            if unknown:
                yield RowError(str(path), 1, ", ".join(unknown),
                               f"unknown column(s); the columns are {', '.join(SCHEME_COLUMNS)}")
        v = {k: clean_text(values.get(k)) for k in SCHEME_COLUMNS}
        missing = [k for k in SCHEME_REQUIRED if not v[k]]
        if missing:
            for k in missing:
                yield row.error(k, f"{k} is required")
            continue
        too_long = [(k, n) for k, n in (("code", CODE_LENGTH), ("label", LABEL_LENGTH), ("label_it", LABEL_LENGTH),
                                        ("parent", CODE_LENGTH), ("scheme_name", 200)) if len(v[k]) > n]
        if too_long:
            for k, n in too_long:
                yield row.error(k, f"{len(v[k])} characters; at most {n}")
            continue
        key = (v["scheme"], v["code"])
        if key in first_line:
            yield row.error("code", f"code '{v['code']}' of scheme '{v['scheme']}' is repeated: "
                                    f"lines {first_line[key]} and {line}")
            continue
        first_line[key] = line
        if v["parent"] == v["code"]:
            yield row.error("parent", f"'{v['code']}' cannot be its own parent")
            continue
        yield ConceptRow(v["scheme"], v["code"], v["label"], v["label_it"], v["parent"], v["description"],
                         file=str(path), line=line, extra={"scheme_name": v["scheme_name"]})


@dataclass
class MappingRow:
    source: tuple[str, str]
    target: tuple[str, str]
    relation: str
    file: str
    line: int

    def error(self, column: str | None, reason: str) -> RowError:
        return RowError(self.file, self.line, column, reason)


def read_mappings_csv(path: str | Path, relations: list[str]) -> Iterator[MappingRow | RowError]:
    """Mapping rows; ``relation`` must be one of ``relations`` (blank means the first one)."""
    path = Path(path)
    first_line: dict[tuple, int] = {}
    for item in read_csv(path, MAPPING_COLUMNS[:4]):
        if isinstance(item, RowError):
            yield item
            continue
        line, values = item
        row = Row(str(path), line)
        v = {k: clean_text(values.get(k)) for k in MAPPING_COLUMNS}
        missing = [k for k in MAPPING_COLUMNS[:4] if not v[k]]
        for k in missing:
            yield row.error(k, f"{k} is required")
        relation = v["relation"] or relations[0]
        if relation not in relations:
            yield row.error("relation", f"'{relation}' is not a relation; use one of {', '.join(relations)}")
            continue
        if missing:
            continue
        key = ((v["source_scheme"], v["source_code"]), (v["target_scheme"], v["target_code"]))
        if key in first_line:
            yield row.error("target_code", f"this mapping is repeated: lines {first_line[key]} and {line}")
            continue
        first_line[key] = line
        yield MappingRow(key[0], key[1], relation, str(path), line)
