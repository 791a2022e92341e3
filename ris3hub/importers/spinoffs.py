"""Reader of the Italian research spin-off JSON scraped from knowledge-share.eu.

The file is a JSON list of records (one per spin-off or start-up) with an ``id`` of the
portal, English ``abstract`` and ``description``, ``categories`` and ``tags`` ({id, name}),
``enablingTechnologies`` and ``mainApplications`` (text, lists joined with bullets),
``trl`` ({label, value}), ``lookingFor`` ([{label, value}]) and ``owners`` (the parent
institutions: [{id, name, organizationType}]).

The published scrape dropped the spin-offs' names (its cleaner removed every ``title`` key).
A record's name is taken from ``name`` or ``title`` when the record has one; otherwise from the
subject of the abstract's first sentence ("Tamerici is an Innovative Start-up ..." gives
"Tamerici"); otherwise it is "Spin-off <id> of <parent>". ``name_derived`` says which.

The scraper turned every ';' into a bullet line, which split HTML entities ("R&amp\\n• D")
and left some markup (<ol>, <img>, <iframe>); :func:`clean_markup` undoes both.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ris3hub.importers.base import InputError, Row, RowError, read_json

SOURCE = "knowledge-share"

_SPLIT_ENTITY = re.compile(r"&(amp|quot|lt|gt|apos|nbsp|#\d+|#x[0-9a-fA-F]+)\n• ")
_TAG = re.compile(r"<[^<>]*>")
_BULLET = re.compile(r"\s*\n\s*•\s*")
_LEGAL = r"(?:\s+(?:s\.?\s?r\.?\s?l\.?s?|S\.?R\.?L\.?S?|S\.?p\.?A\.?|srls?|Srls?))"
_VERBS = (
    "is|was|are|has|have|develops|develop|developed|offers|provides|aims|designs|uses|supports|proposes|"
    "creates|produces|operates|deals|specializes|specialises|guides|helps|combines|focuses|works|brings|"
    "intends|manufactures|applies|transforms|enables|addresses|delivers|makes|builds|introduces|allows|"
    "arises|stems|will|originated|originates|started|carries|promotes|implements|integrates|realizes|"
    "realises|redefines|reduces|represents|strives|patented|markets|enhances|revolutionizes|"
    "revolutionises|accelerates|advises|born"
)
# "<Name> [(Acronym)] [S.r.l.] [, an innovative SME,] <verb>" at the start of the abstract.
_LEADING_NAME = re.compile(
    r"^(?P<name>[A-Za-z0-9][^\s,:;()]*(?:[ \-–][^\s,:;()]+){0,4}?" + _LEGAL + r"?)"
    r"(?:\s*\([^)]{1,80}\))?" + _LEGAL + r"?(?:\s*,\s*(?:an?|the)\s[^,]{1,60},)?\s+(?:" + _VERBS + r")\b"
)
# First words that make a sentence's subject a description, not a name.
_GENERIC_FIRST_WORDS = {
    "a", "an", "the", "this", "these", "we", "our", "it", "its", "start", "startup", "start-up", "spin-off",
    "spinoff", "company", "development", "creation", "production", "platform", "integrated", "innovative",
    "first", "deep", "digital", "from", "leveraging", "starting", "your", "strategic", "academic",
    "consulting", "drug", "hybrid", "developing", "improving", "industrial", "early", "new", "service",
    "services", "support", "tools", "solutions", "design", "within", "through", "remote", "provides",
    "offers", "stabilization", "cell", "pervasive", "intelligent", "radar", "advanced",
}
# Last words that show the match ran into a sentence ("Software that ...").
_GENERIC_LAST_WORDS = {"that", "which", "who", "for", "of", "and", "the", "to", "with", "in", "on", "a", "an"}


def clean_markup(text: str) -> str:
    """Text of the scrape without its markup, entities decoded, bullet lines kept.

    >>> clean_markup("industrial R&amp\\n• D of <b>advanced</b> materials")
    'industrial R&D of advanced materials'
    """
    text = _SPLIT_ENTITY.sub(r"&\1;", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = re.sub(r"(\n\s*•\s*)+(?=\n|$)", "", text)  # bullets left empty by removed markup
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip()


def name_from_text(text: str) -> str | None:
    """The spin-off's name when ``text`` opens with it as the subject of a verb, else None.

    >>> name_from_text("Tamerici is an Innovative Start-up with a Social Vocation")
    'Tamerici'
    >>> name_from_text("Cambridge Raman Imaging (CRI) s.r.l. develops lasers")
    'Cambridge Raman Imaging'
    >>> name_from_text("The startup develops a pilot plant") is None
    True
    """
    match = _LEADING_NAME.match(text.strip())
    if not match:
        return None
    name = re.sub(r"['’]s?\s+\w+$", "", match.group("name")).strip(" -–")
    first = name.split()[0].lower().strip("'’\"")
    last = name.split()[-1].lower()
    if first in _GENERIC_FIRST_WORDS or last in _GENERIC_LAST_WORDS or not re.search(r"[A-Z0-9]", name):
        return None
    return name


def list_items(text: str) -> tuple[str, list[str]]:
    """(heading, items) of a bullet list "Heading:item 1\\n• item 2"; no items without bullets.

    >>> list_items("Methods:anthropology of design\\n• anthropology of marketing.")
    ('Methods', ['anthropology of design', 'anthropology of marketing'])
    """
    parts = _BULLET.split(text.strip())
    if len(parts) < 2:
        return "", []
    heading, first = "", parts[0]
    if ":" in first:
        heading, first = (s.strip() for s in first.split(":", 1))
    items, seen = [], set()
    for part in [first, *parts[1:]]:
        item = part.strip().rstrip(".;,").strip()
        if len(item) > 2 and item.lower() not in seen:
            seen.add(item.lower())
            items.append(item)
    return heading, items


def _text(record: dict, key: str, row: Row, errors: list[RowError]) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(row.error(key, f"expected text, found {_json_type(value)}"))
        return ""
    return clean_markup(value)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


def _objects(record: dict, key: str, fields: tuple[str, ...], row: Row, errors: list[RowError]) -> list[dict]:
    """A list of objects that all have ``fields``; errors name the key and the position."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(row.error(key, f"expected a list, found {_json_type(value)}"))
        return []
    out = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            errors.append(row.error(key, f"item {i}: expected an object, found {_json_type(item)}"))
            continue
        missing = [f for f in fields if item.get(f) in (None, "")]
        if missing:
            errors.append(row.error(key, f"item {i}: missing {', '.join(missing)}"))
            continue
        too_long = [f for f in fields if len(str(item[f])) > 300]
        if too_long:
            errors.append(row.error(key, f"item {i}: {', '.join(too_long)} longer than 300 characters"))
            continue
        out.append(item)
    return out


def _identifier(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _trl(record: dict, row: Row, errors: list[RowError]) -> int | None:
    value = record.get("trl")
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(row.error("trl", f"expected a whole number from 1 to 9, found {_json_type(value)} {value!r}"))
        return None
    if not 1 <= value <= 9:
        errors.append(row.error("trl", f"TRL {value} is outside 1-9"))
        return None
    return value


def _labels(record: dict, key: str, row: Row, errors: list[RowError]) -> list[str]:
    return [clean_markup(str(item["label"])) for item in _objects(record, key, ("label",), row, errors)]


def parse_record(record: Any, row: Row) -> tuple[dict[str, Any], list[RowError]]:
    """The validated fields of one spin-off record, and what is wrong with it."""
    errors: list[RowError] = []
    if not isinstance(record, dict):
        return {}, [row.error(None, f"expected an object, found {_json_type(record)}")]
    source_id = _identifier(record.get("id"))
    if source_id is None:
        reason = "missing id" if record.get("id") in (None, "") else f"id must be a number or text, found {record.get('id')!r}"
        errors.append(row.error("id", reason))
    abstract = _text(record, "abstract", row, errors)
    description = _text(record, "description", row, errors)
    owners = _objects(record, "owners", ("name",), row, errors)
    parents = [
        {"source_id": _identifier(o.get("id")), "name": clean_markup(str(o["name"])),
         "type": str(o.get("organizationType") or "")}
        for o in owners
    ]
    name_key = next((k for k in ("name", "title") if k in record), None)
    derived = False
    if name_key:
        name = record[name_key]
        if not isinstance(name, str) or not name.strip():
            errors.append(row.error(name_key, "the name is empty" if isinstance(name, str) or name is None
                                    else f"expected text, found {_json_type(name)}"))
            name = ""
        name = clean_markup(name)
    else:
        derived = True
        name = name_from_text(abstract) or name_from_text(description) or ""
        if not name and source_id:
            name = f"Spin-off {source_id}" + (f" of {parents[0]['name']}" if parents else "")
    if not name and not errors:
        errors.append(row.error("name", "no name, and no abstract or description to take it from"))
    if len(name) > 400:
        errors.append(row.error(name_key or "name", f"the name has {len(name)} characters; at most 400"))
    data = {
        "source_id": source_id,
        "name": name,
        "name_derived": derived,
        "description": "\n\n".join(t for t in dict.fromkeys((abstract, description)) if t),
        "trl": _trl(record, row, errors),
        "looking_for": "; ".join(_labels(record, "lookingFor", row, errors)),
        "categories": [(str(c["id"]), clean_markup(str(c["name"])))
                       for c in _objects(record, "categories", ("id", "name"), row, errors)],
        "tags": [(str(t["id"]), clean_markup(str(t["name"])))
                 for t in _objects(record, "tags", ("id", "name"), row, errors)],
        "parents": parents,
        "enabling_technologies": list_items(_text(record, "enablingTechnologies", row, errors)),
        "main_applications": list_items(_text(record, "mainApplications", row, errors)),
    }
    for key in ("fundingStage", "status"):
        if record.get(key) is not None and not isinstance(record[key], dict):
            errors.append(row.error(key, f"expected an object, found {_json_type(record[key])}"))
    return data, errors


def read_spinoffs(path: str | Path) -> Iterator[Row | RowError]:
    """Validated spin-off records as Rows (``line`` = the record's position, 1-based) or RowErrors."""
    path = Path(path)
    records = read_json(path)
    if not isinstance(records, list):
        raise InputError(RowError(str(path), None, None,
                                  f"expected a JSON list of spin-off records, found {_json_type(records)}"))
    if not records:
        raise InputError(RowError(str(path), None, None, "the file holds no records"))
    first_seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        row = Row(str(path), index)
        data, errors = parse_record(record, row)
        source_id = data.get("source_id")
        if source_id is not None:
            if source_id in first_seen:
                errors.append(row.error("id", f"id {source_id} is repeated: records {first_seen[source_id]} and {index}"))
            else:
                first_seen[source_id] = index
        if errors:
            yield from errors
            continue
        row.data = data
        yield row
