"""Readers of NUTS code lists and change tables: what each file says about regions and code changes.

Files are recognised from their sheets and headers, not from their names:

* Eurostat workbooks of a NUTS revision (``NUTS2013-NUTS2016.xlsx``, ``NUTS2016-NUTS2021.xlsx``,
  ``NUTS2021-NUTS2024.xlsx`` and other years in the same layout). Each sheet is recognised from
  its header row:

  - a code list (``NUTS & SR 2021``: one ``Code YYYY`` column; ``NUTS2024`` / ``Statistical
    Regions``: ``NUTS Code`` / ``SR Code`` and a label) gives the regions of that version;
  - a correspondence (``Code YYYY`` and ``Code ZZZZ`` columns with the labels by level) gives the
    regions of both versions and one change pair per line, identity pairs included;
  - a change detail sheet (``Code YYYY``, ``Code ZZZZ``, ``Label``, ``Explanation``) gives the
    explanation of a change pair;
  - ``NUTS-3 Typologies`` gives the typologies of the workbook's newest version (and of the same
    code in the previous version where the correspondence says it did not change);
  - ``Cyrillic & Greek to Latin`` gives Latin names of regions named in another script.

* rOpenGov ``all_valid_nuts_codes.csv`` (``typology, geo, nuts``: every code of every version
  1999-2021) and ``nuts_changes.csv`` (one lineage per line: ``code_1999`` ... ``code_2021``,
  ``geo_name_YYYY``, ``change_YYYY``).

A correspondence label belongs to the later version where the line has a later code (the labels
of unchanged codes are the later version's), else to the earlier one. Every fact carries a rank
(how authoritative its source is) so that the merge does not depend on the order of the files.

Extra-Regio codes (``ITZ``, ``ITZZ``, ``ITZZZ``: territory outside any region, such as embassies)
are left out: they have no shape and no organisation is located in them, and counting them as
regions would make Italy have 22 NUTS-2 regions instead of 21.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3hub.importers.base import InputError, RowError, clean_text, read_csv, read_text

NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
CODE_IN_TEXT = re.compile(r"\b[A-Z]{2}[0-9A-Z]{0,3}\b")

# How authoritative a fact is; the highest rank wins when files disagree, and only facts of rank
# OFFICIAL or more overwrite what the database holds (the others fill what is empty), so that
# importing the files one by one, in any order, ends as importing them together.
CODE_LIST = 5  # the version's own code list
LATER_SIDE = 4  # a correspondence line, for its later code: the later version's own list
TYPOLOGY_COPY = 4  # a typology copied onto the unchanged code of the previous version
OFFICIAL = 4
EARLIER_SIDE = 3  # a correspondence line's label, for its earlier code (spelt as in the later edition)
GUESS = 2  # the label of a changed line, for its earlier code
ROPENGOV = 1  # rOpenGov tables
BORROWED = 0  # a name taken from the same code in another version

TYPOLOGY_COLUMNS = {  # header pattern -> Region field
    r"urban": "urban_rural",
    r"coast": "coastal",
    r"metropolitan": "metropolitan",
    r"border": "border",
    r"island": "island",
    r"mount": "mountain",
    r"capital": "capital",
}
TYPOLOGY_FIELDS = tuple(TYPOLOGY_COLUMNS.values())


@dataclass
class RegionFact:
    """What one line of a file says about the region ``code`` of NUTS ``version``."""

    version: int
    code: str
    rank: int
    file: str
    line: int
    name: str = ""
    types: dict[str, str] = field(default_factory=dict)
    amended: bool = False  # valid in ``version`` only after an amendment dated in the change table


@dataclass
class ChangeFact:
    """One line of a change table: ``from_code`` of ``from_version`` became ``to_code``."""

    from_version: int
    from_code: str
    to_version: int
    to_code: str
    rank: int
    file: str
    line: int
    change: str = ""
    explanation: str = ""

    @property
    def key(self) -> tuple[int, str, int, str]:
        return (self.from_version, self.from_code, self.to_version, self.to_code)


@dataclass
class Transliteration:
    code: str
    label: str
    latin: str
    file: str
    line: int


@dataclass
class NutsFile:
    """Everything read from one file, and the rows rejected."""

    path: Path
    kind: str
    regions: list[RegionFact] = field(default_factory=list)
    changes: list[ChangeFact] = field(default_factory=list)
    transliterations: list[Transliteration] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def is_extra_regio(code: str) -> bool:
    """``ITZ``, ``ITZZ``, ``ITZZZ``: the Extra-Regio codes of a country."""
    return len(code) > 2 and set(code[2:]) == {"Z"}


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is in the Latin script."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def clean_label(value: Any) -> str:
    return " ".join(clean_text(value).split())


def clean_code(value: Any) -> str:
    """A code as written, without blanks; rOpenGov's "ITC (part)" (a part of ITC) is ITC."""
    return re.sub(r"\s*\(part\)$", "", clean_text(value), flags=re.I).upper()


def _norm(header: str) -> str:
    return " ".join(str(header).lower().split())


# ---- reading


def read_nuts_file(path: Path) -> NutsFile:
    """Read a NUTS workbook or rOpenGov table; InputError when the file is none of them."""
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path)
    if path.suffix.lower() == ".csv":
        return _read_ropengov(path)
    raise InputError(RowError(str(path), None, None,
                              "not a NUTS file: expected a Eurostat NUTS workbook (.xlsx) or an rOpenGov table (.csv)"))


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(RowError(str(path), None, None, f"not a readable Excel workbook: {exc}")) from exc


@dataclass
class _Sheet:
    name: str
    header_index: int
    header: list[str]
    rows: list[list[Any]]

    def col(self, pattern: str) -> int | None:
        for i, h in enumerate(self.header):
            if re.search(pattern, h):
                return i
        return None

    def body(self) -> Iterable[tuple[int, list[Any]]]:
        for i, values in enumerate(self.rows[self.header_index + 1:], start=self.header_index + 2):
            if any(str(v).strip() for v in values):
                yield i, values


def _find_header(name: str, rows: list[list[Any]]) -> _Sheet | None:
    for i, row in enumerate(rows[:10]):
        header = [_norm(h) for h in row]
        if any(re.fullmatch(r"(code \d{4}|nuts code|sr code|nuts-3 code|code)", h) for h in header):
            return _Sheet(name, i, header, rows)
    return None


def _cell(values: list[Any], index: int | None) -> Any:
    return values[index] if index is not None and index < len(values) else ""


def _read_workbook(path: Path) -> NutsFile:
    sheets = [s for s in (_find_header(n, rows) for n, rows in _sheets(path).items()) if s is not None]
    out = NutsFile(path, "")
    kinds: list[str] = []
    versions: set[int] = set()
    correspondences: list[_Sheet] = []
    code_lists: list[_Sheet] = []
    typologies: list[_Sheet] = []
    for sheet in sheets:
        year_cols = [(i, int(m.group(1))) for i, h in enumerate(sheet.header) if (m := re.fullmatch(r"code (\d{4})", h))]
        if len(year_cols) >= 2:
            correspondences.append(sheet)
            versions.update(v for _, v in year_cols)
        elif len(year_cols) == 1 or sheet.col(r"^(nuts|sr) code$") is not None:
            code_lists.append(sheet)
            versions.update(v for _, v in year_cols)
            versions.update(int(y) for y in re.findall(r"(?:19|20)\d\d", sheet.name))
        elif sheet.col(r"^nuts-3 code$") is not None:
            typologies.append(sheet)
        elif sheet.col(r"transliteration") is not None:
            _read_transliterations(path, sheet, out)
            kinds.append("Latin transliterations")
    if not correspondences and not code_lists:
        raise InputError(RowError(str(path), None, None,
                                  "not a NUTS workbook: no sheet has a 'Code YYYY' or 'NUTS Code' column"))
    newest = max(versions) if versions else None
    for sheet in code_lists:
        version = _sheet_version(sheet, newest)
        if version is None:
            out.errors.append(RowError(str(path), None, None, f"sheet '{sheet.name}': cannot tell its NUTS version"))
            continue
        _read_code_list(path, sheet, version, out)
        kinds.append(f"NUTS {version} regions")
    unchanged: dict[tuple[int, int], set[str]] = defaultdict(set)
    for sheet in correspondences:
        pair = _read_correspondence(path, sheet, out, unchanged)
        if pair:
            kinds.append(f"NUTS {pair[0]}->{pair[1]} changes")
    for sheet in typologies:
        if newest is None:
            out.errors.append(RowError(str(path), None, None, f"sheet '{sheet.name}': cannot tell its NUTS version"))
            continue
        previous = max((fv for fv, tv in unchanged if tv == newest), default=None)
        _read_typologies(path, sheet, newest, unchanged.get((previous, newest), set()), previous, out)
        kinds.append(f"NUTS {newest} typologies")
    out.kind = ", ".join(dict.fromkeys(kinds))
    return out


def _sheet_version(sheet: _Sheet, newest: int | None) -> int | None:
    for h in sheet.header:
        if m := re.fullmatch(r"code (\d{4})", h):
            return int(m.group(1))
    years = re.findall(r"(?:19|20)\d\d", sheet.name)
    if years:
        return int(years[-1])
    return newest


def _check_code(path: Path, line: int, column: str, raw: Any, out: NutsFile) -> str | None:
    """The code of a cell, None for an empty cell or a rejected one (recorded in ``out``)."""
    code = clean_code(raw)
    if not code:
        return None
    if not NUTS_CODE.match(code):
        out.errors.append(RowError(str(path), line, column, f"'{clean_text(raw)}' is not a NUTS code"))
        return None
    return code


def _check_level(path: Path, line: int, column: str, raw: Any, code: str, out: NutsFile) -> bool:
    if clean_text(raw) == "":
        return True
    try:
        level = int(float(raw))
    except ValueError:
        out.errors.append(RowError(str(path), line, column, f"'{raw}' is not a NUTS level"))
        return False
    if level != len(code) - 2:
        out.errors.append(RowError(str(path), line, column,
                                   f"level {level} does not match code {code} (a level-{len(code) - 2} code)"))
        return False
    return True


def _label(values: list[Any], sheet: _Sheet) -> str:
    """The label of a line: the first non-empty label column (country name, level 1, 2, 3)."""
    for i, h in enumerate(sheet.header):
        if h == "country" or re.search(r"level \d", h) or h in ("nuts label", "sr label", "label"):
            text = clean_label(_cell(values, i))
            if text:
                return text
    return ""


def _is_heading(values: list[Any], code_cols: list[int], level_col: int | None) -> bool:
    """A heading inside a sheet ("Statistical regions (EFTA countries, ...):"): no code, no level."""
    return (level_col is not None and clean_text(_cell(values, level_col)) == ""
            and not any(NUTS_CODE.match(clean_code(_cell(values, c))) for c in code_cols))


def _read_code_list(path: Path, sheet: _Sheet, version: int, out: NutsFile) -> None:
    code_col = sheet.col(r"^(code \d{4}|nuts code|sr code)$")
    level_col = sheet.col(r"^(nuts |sr )?level$")
    column = sheet.header[code_col]
    seen: dict[str, int] = {}
    twice: set[str] = set()
    facts: list[RegionFact] = []
    for line, values in sheet.body():
        if _is_heading(values, [code_col], level_col):
            continue
        raw = _cell(values, code_col)
        code = _check_code(path, line, column, raw, out)
        if code is None or is_extra_regio(code):
            continue
        if not _check_level(path, line, sheet.header[level_col] if level_col is not None else "level",
                            _cell(values, level_col), code, out):
            continue
        if code in seen:
            out.errors.append(RowError(str(path), line, column,
                                       f"{code} is also on line {seen[code]} of sheet '{sheet.name}'; neither line is imported"))
            twice.add(code)
            continue
        seen[code] = line
        facts.append(RegionFact(version, code, CODE_LIST, str(path), line, name=_label(values, sheet)))
    out.regions += [f for f in facts if f.code not in twice]


def _read_correspondence(path: Path, sheet: _Sheet, out: NutsFile,
                         unchanged: dict[tuple[int, int], set[str]]) -> tuple[int, int] | None:
    cols = sorted((int(m.group(1)), i) for i, h in enumerate(sheet.header) if (m := re.fullmatch(r"code (\d{4})", h)))
    (fv, fcol), (tv, tcol) = cols[0], cols[-1]
    detail = sheet.col(r"^label$") is not None
    change_col = sheet.col(r"^change comments$")
    if change_col is None:
        change_col = sheet.col(r"^change$")
    expl_col = sheet.col(r"^explanation")
    level_col = sheet.col(r"^(nuts |sr )?level$")
    for line, values in sheet.body():
        if _is_heading(values, [fcol, tcol], level_col):
            continue
        fc = _check_code(path, line, sheet.header[fcol], _cell(values, fcol), out)
        tc = _check_code(path, line, sheet.header[tcol], _cell(values, tcol), out)
        if fc is None and tc is None:
            continue
        if (fc and is_extra_regio(fc)) or (tc and is_extra_regio(tc)):
            continue
        if fc and tc and len(fc) != len(tc):
            out.errors.append(RowError(str(path), line, sheet.header[tcol],
                                       f"{fc} (level {len(fc) - 2}) and {tc} (level {len(tc) - 2}) are not of the same level"))
            continue
        level_ok = all(_check_level(path, line, sheet.header[level_col], _cell(values, level_col), c, out)
                       for c in (fc, tc) if c and level_col is not None)
        if not level_ok:
            continue
        change = clean_label(_cell(values, change_col))
        out.changes.append(ChangeFact(fv, fc or "", tv, tc or "", LATER_SIDE,
                                      str(path), line, change=change, explanation=clean_label(_cell(values, expl_col))))
        if detail:
            continue
        label = _label(values, sheet)
        if tc:
            out.regions.append(RegionFact(tv, tc, LATER_SIDE, str(path), line, name=label))
        if fc:
            rank = GUESS if tc and change else EARLIER_SIDE
            out.regions.append(RegionFact(fv, fc, rank, str(path), line, name=label))
        if fc and fc == tc and (not change or re.search(r"name|5\(2a\)", change, re.I)):
            unchanged[(fv, tv)].add(fc)
    return None if detail else (fv, tv)


def _read_typologies(path: Path, sheet: _Sheet, version: int, unchanged: set[str], previous: int | None,
                     out: NutsFile) -> None:
    code_col = sheet.col(r"^nuts-3 code$")
    columns = {}
    for pattern, name in TYPOLOGY_COLUMNS.items():
        i = sheet.col(pattern)
        if i is not None and i != code_col:
            columns[name] = i
    for line, values in sheet.body():
        code = _check_code(path, line, sheet.header[code_col], _cell(values, code_col), out)
        if code is None:
            continue
        if len(code) != 5:
            out.errors.append(RowError(str(path), line, sheet.header[code_col], f"{code} is not a NUTS-3 code"))
            continue
        types = {name: clean_label(_cell(values, i)) for name, i in columns.items()}
        types = {k: v for k, v in types.items() if v}
        out.regions.append(RegionFact(version, code, CODE_LIST, str(path), line, types=types))
        if previous is not None and code in unchanged:
            out.regions.append(RegionFact(previous, code, TYPOLOGY_COPY, str(path), line, types=dict(types)))


def _read_transliterations(path: Path, sheet: _Sheet, out: NutsFile) -> None:
    code_col, label_col, latin_col = sheet.col(r"^code$"), sheet.col(r"^label$"), sheet.col(r"transliteration")
    for line, values in sheet.body():
        code = _check_code(path, line, sheet.header[code_col], _cell(values, code_col), out)
        latin = clean_label(_cell(values, latin_col))
        if code is None:
            continue
        if not latin:
            out.errors.append(RowError(str(path), line, sheet.header[latin_col], "the Latin name is empty"))
            continue
        out.transliterations.append(Transliteration(code, clean_label(_cell(values, label_col)), latin, str(path), line))


# ---- rOpenGov tables

_LEVELS = {"country": 0, "nuts_level_1": 1, "nuts_level_2": 2, "nuts_level_3": 3}


def _read_ropengov(path: Path) -> NutsFile:
    first = read_text(path).split("\n", 1)[0]
    header = [h.strip().strip('"') for h in first.split(",")]
    if {"typology", "geo", "nuts"} <= set(header):
        return _read_valid_codes(path)
    if "typology" in header and any(re.fullmatch(r"code_\d{4}", h) for h in header):
        return _read_lineages(path, header)
    hint = ""
    for other, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
        if other in first and "," not in first:
            hint = f" (the header looks {name}-separated; expected comma-separated)"
    raise InputError(RowError(str(path), 1, None,
                              "not a NUTS table: expected the rOpenGov all_valid_nuts_codes.csv "
                              f"(typology, geo, nuts) or nuts_changes.csv (typology, code_1999, ... code_2021){hint}"))


def _typology_level(path: Path, line: int, typology: str, out: NutsFile) -> bool:
    """Checks the typology is known. Its level is not compared with the code's: rOpenGov files a
    code under a deeper typology where the region had no subdivision of its own (BE1 as a NUTS-2
    region of 1999, DK as its own NUTS-1 region), and a code's level is its length."""
    if typology not in _LEVELS:
        out.errors.append(RowError(str(path), line, "typology", f"'{typology}' is not one of {', '.join(_LEVELS)}"))
        return False
    return True


def _read_valid_codes(path: Path) -> NutsFile:
    out = NutsFile(path, "NUTS codes of every version (rOpenGov)")
    for item in read_csv(path, ["typology", "geo", "nuts"]):
        if isinstance(item, RowError):
            out.errors.append(item)
            continue
        line, row = item
        code = _check_code(path, line, "geo", row["geo"], out)
        m = re.fullmatch(r"code_(\d{4})", row["nuts"].strip())
        if not m:
            out.errors.append(RowError(str(path), line, "nuts", f"'{row['nuts']}' is not code_YYYY"))
            continue
        if code is None or is_extra_regio(code) or not _typology_level(path, line, row["typology"].strip(), out):
            continue
        out.regions.append(RegionFact(int(m.group(1)), code, ROPENGOV, str(path), line))
    return out


def _read_lineages(path: Path, header: list[str]) -> NutsFile:
    out = NutsFile(path, "NUTS code changes 1999-2021 (rOpenGov)")
    versions = sorted(int(h[5:]) for h in header if re.fullmatch(r"code_\d{4}", h))
    for item in read_csv(path, ["typology"] + [f"code_{v}" for v in versions]):
        if isinstance(item, RowError):
            out.errors.append(item)
            continue
        line, row = item
        codes = {v: _check_code(path, line, f"code_{v}", row[f"code_{v}"], out) for v in versions}
        present = [c for c in codes.values() if c]
        if not present or any(is_extra_regio(c) for c in present):
            continue
        if not _typology_level(path, line, row["typology"].strip(), out):
            continue
        for v, code in codes.items():
            if code:
                out.regions.append(RegionFact(v, code, ROPENGOV, str(path), line,
                                              name=clean_label(row.get(f"geo_name_{v}", ""))))
        for a, b in zip(versions, versions[1:]):
            if codes[a] or codes[b]:
                out.changes.append(ChangeFact(a, codes[a] or "", b, codes[b] or "", ROPENGOV, str(path), line,
                                              change=clean_label(row.get(f"change_{b}", ""))))
    return out


# ---- merging what the files say


@dataclass
class MergedRegion:
    """A region as all the files of one import describe it; each value with the rank of its source."""

    version: int
    code: str
    name: tuple[str, int] | None = None
    name_latn: tuple[str, int] | None = None
    types: dict[str, tuple[str, int]] = field(default_factory=dict)
    named_by: RegionFact | None = None

    @property
    def level(self) -> int:
        return len(self.code) - 2

    @property
    def country(self) -> str:
        return self.code[:2]


@dataclass
class Merged:
    regions: dict[tuple[int, str], MergedRegion]
    changes: dict[tuple[int, str, int, str], ChangeFact]


def _ordered(facts: Iterable[Any]) -> list[Any]:
    """Facts best first: highest rank, then file and line, so that the order of the files does not matter."""
    return sorted(facts, key=lambda f: (-f.rank, Path(f.file).name, f.line))


def merge(files: list[NutsFile]) -> Merged:
    """Combine the facts of every file: regions by (version, code), changes by their four codes."""
    region_facts = [f for nf in files for f in nf.regions]
    change_facts = [c for nf in files for c in nf.changes]
    transliterations = [t for nf in files for t in nf.transliterations]
    region_facts += _complete_changes(change_facts, region_facts)
    changes = _merge_changes(change_facts)
    regions: dict[tuple[int, str], MergedRegion] = {}
    for fact in _ordered(region_facts):
        region = regions.setdefault((fact.version, fact.code), MergedRegion(fact.version, fact.code))
        if fact.name and region.name is None:
            region.name = (fact.name, fact.rank)
            region.named_by = fact
        for name, value in fact.types.items():
            region.types.setdefault(name, (value, fact.rank))
    _name_gaps(regions)
    _latin_names(regions, transliterations)
    return Merged(regions, changes)


def _merge_changes(facts: list[ChangeFact]) -> dict[tuple[int, str, int, str], ChangeFact]:
    merged: dict[tuple[int, str, int, str], ChangeFact] = {}
    for fact in _ordered(facts):
        best = merged.get(fact.key)
        if best is None:
            merged[fact.key] = ChangeFact(*fact.key[:2], *fact.key[2:], rank=fact.rank, file=fact.file, line=fact.line,
                                          change=fact.change, explanation=fact.explanation)
            continue
        best.change = best.change or fact.change
        best.explanation = best.explanation or fact.explanation
    linked_from = {(k[0], k[1], k[2]) for k in merged if k[1] and k[3]}
    linked_to = {(k[0], k[2], k[3]) for k in merged if k[1] and k[3]}
    for key in list(merged):
        fv, fc, tv, tc = key
        if (fc and not tc and (fv, fc, tv) in linked_from) or (tc and not fc and (fv, tv, tc) in linked_to):
            del merged[key]  # a lineage split over two lines of a table, not a real discontinuation
    return merged


_DATE = re.compile(r"\((\d{2})/(\d{2})/(\d{4})\)")


def _mentions(text: str, *, skip_ex: bool) -> set[str]:
    found = set()
    for m in CODE_IN_TEXT.finditer(text):
        if skip_ex and text[max(0, m.start() - 3):m.start()].lower() == "ex-":
            continue
        found.add(m.group(0))
    return found


def _complete_changes(changes: list[ChangeFact], regions: list[RegionFact]) -> list[RegionFact]:
    """Give discontinued codes the successors their change table names in words.

    A table line "ITG29 discontinued" has no successor code, but the line of ITG2D says "merge of
    ex-ITG25 and ex-ITG29", "HR04 discontinued; split into new HR02, HR05 and HR06" names them
    itself, and DEG04 "Suhl" is followed by the new DEG0S of the same name. Found successors are
    added to ``changes`` as pairs of their own, so that data coded with a discontinued code can be
    mapped. Returns the regions that an amendment dated inside the old version made valid in it
    (Norway's NO060, in force from 01/01/2018 under NUTS 2016).
    """
    codes: dict[int, set[str]] = defaultdict(set)
    names: dict[tuple[int, str], str] = {}
    for r in _ordered(regions):
        codes[r.version].add(r.code)
        if r.name:
            names.setdefault((r.version, r.code), r.name)
    by_step: dict[tuple[int, int], list[ChangeFact]] = defaultdict(list)
    for c in changes:
        by_step[(c.from_version, c.to_version)].append(c)
        if c.from_code:
            codes[c.from_version].add(c.from_code)
        if c.to_code:
            codes[c.to_version].add(c.to_code)
    added_regions: list[RegionFact] = []
    for (fv, tv), step in by_step.items():
        has_successor = {c.from_code for c in step if c.from_code and c.to_code}
        new_codes = {c.to_code for c in step if c.to_code and not c.from_code}
        has_predecessor = {c.to_code for c in step if c.from_code and c.to_code}
        new_codes -= has_predecessor
        texts: dict[str, list[str]] = defaultdict(list)
        first: dict[str, ChangeFact] = {}
        for c in _ordered(step):
            if c.from_code and not c.to_code and c.from_code not in has_successor:
                texts[c.from_code] += [c.change, c.explanation]
                first.setdefault(c.from_code, c)
        derived: list[ChangeFact] = []
        for code, d in first.items():
            level = len(code)
            own = " ".join(t for t in texts[code] if t)
            found = {m for m in _mentions(own, skip_ex=True) if len(m) == level and m in codes[tv] and m != code}
            how = "successor named in the change table"
            if not found:
                found = {c.to_code for c in step if c.to_code and len(c.to_code) == level
                         and d.from_code in _mentions(f"{c.change} {c.explanation}", skip_ex=False)}
            if not found:
                label = fold(names.get((fv, d.from_code), ""))
                found = {n for n in new_codes if len(n) == level and n[:2] == d.from_code[:2]
                         and label and fold(names.get((tv, n), "")) == label}
                how = "successor of the same name in the change table"
            for successor in sorted(found):
                derived.append(ChangeFact(fv, d.from_code, tv, successor, d.rank, d.file, d.line,
                                          change=d.change, explanation=how))
            dated = _DATE.search(own)
            if found and dated and fv <= int(dated.group(3)) < tv:
                for successor in sorted(found):
                    added_regions.append(RegionFact(fv, successor, d.rank, d.file, d.line, amended=True))
                    derived.append(ChangeFact(fv, successor, tv, successor, d.rank, d.file, d.line,
                                              change=f"in NUTS {fv} from {dated.group(0)[1:-1]}",
                                              explanation=f"amendment of NUTS {fv}"))
        changes.extend(derived)
    return added_regions


def fold(text: str) -> str:
    """Text compared without case and extra blanks."""
    return " ".join(text.casefold().split())


def _name_gaps(regions: dict[tuple[int, str], MergedRegion]) -> None:
    """A region no file names (the country lines of a correspondence) takes the name of the same
    code in the nearest version, at the lowest rank."""
    by_code: dict[str, list[MergedRegion]] = defaultdict(list)
    for r in regions.values():
        by_code[r.code].append(r)
    for r in regions.values():
        if r.name is None:
            named = [o for o in by_code[r.code] if o.name is not None]
            if named:
                nearest = min(named, key=lambda o: (abs(o.version - r.version), -o.version))
                r.name = (nearest.name[0], BORROWED)
                r.named_by = nearest.named_by


def _latin_names(regions: dict[tuple[int, str], MergedRegion], transliterations: list[Transliteration]) -> None:
    """Latin-script names: the name itself when it is written in Latin script, else the workbook's
    transliteration of the same code and the same national name."""
    latin: dict[tuple[str, str], str] = {}
    for t in sorted(transliterations, key=lambda t: (Path(t.file).name, t.line)):
        latin.setdefault((t.code, fold(t.label)), t.latin)
    for r in regions.values():
        if r.name is None:
            continue
        name, rank = r.name
        if is_latin(name):
            r.name_latn = (name, rank)
        elif (r.code, fold(name)) in latin:
            r.name_latn = (latin[(r.code, fold(name))], max(rank, OFFICIAL))
        else:
            r.name_latn = (name, BORROWED)  # shown until a Latin name comes (GISCO NAME_LATN)
