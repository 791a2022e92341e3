"""Loading CORDIS files: programmes, call topics, projects, organisations, participations, EuroSciVoc.

``load_cordis(paths, ctx)`` is the loader of ``ris3hub import cordis``. Each path is a CORDIS file
(recognised from its header, see ``ris3hub.importers.cordis_formats``), a .zip of the official
bulk download, or a folder holding such files.

How the sources come together:

* Files are read in a fixed order (reference tables, organisation lists, project lists, then
  participation lists), whatever order they were named in.
* A project, programme, call topic or participation described by several files of one import
  gets each field from the best source that has it (``CordisFormat.rank``); a more specific
  programme (``H2020-EU.3.4.``) beats a broader one (``H2020-EU.3.``). Fields a file does not
  have are left as they are, so importing files one at a time gives the same projects.
* Every organisation goes through the OrganisationResolver (same PIC, VAT, or name and city is
  the same record) and gets ``ExternalId("cordis-pic", pic)``.
* A participation is one row per project and organisation: rows of one file for the same pair
  (an organisation that is beneficiary and linked third party) are added up, with the stronger
  role. A participation of a project no file of the import describes creates the project from
  what the participation row says (number, acronym, ...).
* Call topics are ``Call`` rows (identifier = topic code, title, programme = its legal basis);
  ``Project.call`` points at the topic the project was funded under. The dashboard's call
  identifier is not kept: a topic belongs to one call, and the topic is what CORDIS classifies by.
* EuroSciVoc fields become the ``euroscivoc`` taxonomy scheme (code ``/23/47/297``, parent from
  the code, ``path`` of labels, ``level`` 0 at the root); ancestors missing from the file are
  created from the path. Projects named in a EuroSciVoc or topic list that no other file describes
  are created with their number (and framework, where the topic code tells it).
* The CORDIS reference tables give ``Programme`` rows (H2020 legal bases, with their tree),
  call topics, and the ``cordis-sic`` and ``cordis-activity-type`` schemes.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from ris3hub.core.loading import ImportContext
from ris3hub.importers import cordis_formats as F
from ris3hub.importers.base import InputError, Row, RowError
from ris3hub.importers.cordis import (
    FRAMEWORKS, WORKBOOK_SUFFIXES, is_workbook, parent_programme_code, programme_framework, read_cordis, recognise,
    stronger_role,
)
from ris3hub.projects.models import Call, Participation, Programme, Project
from ris3hub.regions.resolve import RegionResolver
from ris3hub.registry.matching import OrganisationResolver
from ris3hub.registry.models import Organisation
from ris3hub.taxonomy.models import Concept, Scheme

SCHEMES = {
    "euroscivoc": ("EuroSciVoc", "The European Science Vocabulary: fields of science CORDIS classifies projects with."),
    "cordis-sic": ("CORDIS subject index codes", "The subject index classification of CORDIS (SIC codes)."),
    "cordis-activity-type": ("CORDIS activity types", "Legal entity types of CORDIS participants."),
}
_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)


@dataclass(frozen=True)
class Source:
    label: str  # what error messages call the file (archive members as archive.zip:member.csv)
    path: Path
    fmt: F.CordisFormat


def load_cordis(paths: list[Path], ctx: ImportContext) -> None:
    with tempfile.TemporaryDirectory(prefix="ris3hub-cordis-") as tmp:
        sources = []
        for path in paths:
            sources += _sources(path, ctx, Path(tmp))
        sources.sort(key=lambda s: (s.fmt.order, s.label))
        batch = CordisBatch(ctx)
        for source in sources:
            batch.read(source)
        batch.write()


def _sources(path: Path, ctx: ImportContext, tmp: Path) -> list[Source]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES + (".zip",))
        if not files:
            ctx.reject(RowError(str(path), None, None, "the folder holds no .csv, .xlsx or .zip file"))
        return [s for f in files for s in _sources(f, ctx, tmp)]
    if path.suffix.lower() == ".zip":
        return _archive_sources(path, ctx, tmp)
    source = _recognised(str(path), path, ctx)
    return [source] if source else []


def _archive_sources(path: Path, ctx: ImportContext, tmp: Path) -> list[Source]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        ctx.reject(RowError(str(path), None, None, f"not a readable zip archive: {exc}"))
        return []
    sources = []
    with archive:
        target = Path(tempfile.mkdtemp(dir=tmp))
        members = [info for info in sorted(archive.infolist(), key=lambda i: i.filename)
                   if not info.is_dir() and Path(info.filename).suffix.lower() in _SUFFIXES
                   and Path(info.filename).name not in F.IGNORED_DOWNLOAD_FILES]
        refusal = _unsafe_archive(members, target)
        if refusal:
            ctx.reject(RowError(str(path), None, None, refusal))
            return []
        for info in members:
            member = info.filename
            extracted = Path(archive.extract(info, target))
            source = _recognised(f"{path}:{member}", extracted, ctx)
            if source:
                sources.append(source)
    if not sources:
        ctx.reject(RowError(str(path), None, None, "the archive holds no CORDIS file"))
    return sources


# CORDIS tables compress about 5 to 15 times; a member declaring far more is a zip bomb, not data.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_ABOVE = 50 * 1024 * 1024


def _unsafe_archive(members: list[zipfile.ZipInfo], target: Path) -> str | None:
    """Why the archive's tables must not be extracted (no room for them, or a zip bomb), or None.

    Extraction never writes more than a member's declared size (zipfile stops there), so the
    declared sizes are checked before anything is written.
    """
    for info in members:
        if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            return (f"{info.filename} would expand from {info.compress_size:,} to {info.file_size:,} bytes "
                    f"(over {MAX_COMPRESSION_RATIO} times): refused as a zip bomb")
    needed = sum(info.file_size for info in members)
    free = shutil.disk_usage(target).free
    if needed > free:
        return (f"its tables need {needed / 1e9:.1f} GB once extracted and the temporary folder {target.parent} "
                f"has {free / 1e9:.1f} GB free (set TMPDIR to a larger disk)")
    return None


def _recognised(label: str, path: Path, ctx: ImportContext) -> Source | None:
    try:
        if not is_workbook(path) and not F.first_line(path).strip("\ufeff \t\r\n"):
            with open(path, "rb") as fh:
                empty = not fh.read().strip()
            ctx.reject(RowError(label, None if empty else 1, None,
                                "the file is empty" if empty else "the first line (the header) is empty"))
            return None
        return Source(label, path, recognise(path))
    except F.UnknownFormat as exc:
        ctx.reject(RowError(label, 1, None, str(exc)))
    except InputError as exc:
        for error in exc.errors:
            ctx.reject(RowError(label, error.line, error.column, error.reason))
    except OSError as exc:
        ctx.reject(RowError(label, None, None, f"cannot read the file: {exc.strerror}"))
    return None


def _char_limits(model: type[models.Model]) -> dict[str, int]:
    return {f.name: f.max_length for f in model._meta.concrete_fields if isinstance(f, models.CharField)}


_LIMITS = {
    "project": _char_limits(Project),
    "organisation": _char_limits(Organisation),
    "call": _char_limits(Call),
    "programme": _char_limits(Programme),
    "concept": _char_limits(Concept),
}


def _merge(target: dict[str, tuple[int, Any]], values: dict[str, Any], rank: int) -> None:
    """Keeps, field by field, the value of the best-ranked source (the first one among equals);
    a programme code under the one kept replaces it, whatever its source."""
    for field, value in values.items():
        if value is None or value == "":
            continue
        current = target.get(field)
        if field == "programme_code" and current and _is_ancestor(current[1], value):
            target[field] = (rank, value)
        elif field == "programme_code" and current and _is_ancestor(value, current[1]):
            continue
        elif current is None or rank < current[0]:
            target[field] = (rank, value)


def _is_ancestor(ancestor: str, code: str) -> bool:
    parent = parent_programme_code(code)
    while parent:
        if parent.rstrip(".") == ancestor.rstrip("."):
            return True
        parent = parent_programme_code(parent)
    return False


def _more_specific(code: str | None, other: str | None) -> str | None:
    """``other`` where it lies under ``code`` (or there is no ``code``), else ``code``."""
    if code is None or (other is not None and _is_ancestor(code, other)):
        return other
    return code


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else a + b


class CordisBatch:
    """What the files of one import say, merged, then written in dependency order."""

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.organisations = OrganisationResolver(ctx, batch=True)
        self._orgs: dict[int, Organisation] = {}  # id() -> organisation (new ones have no pk before flush)
        self._regions: RegionResolver | None = None
        self.programmes: dict[str, dict] = defaultdict(dict)
        self.calls: dict[str, dict] = defaultdict(dict)
        self.projects: dict[str, dict] = defaultdict(dict)
        self.participations: dict[tuple[str, int], dict] = defaultdict(dict)  # (number, id(org))
        self.concepts: dict[tuple[str, str], dict] = defaultdict(dict)
        self.links: set[tuple[str, str, str]] = set()

    @property
    def regions(self) -> RegionResolver:
        if self._regions is None:
            self._regions = RegionResolver()
        return self._regions

    # ---- reading

    def read(self, source: Source) -> None:
        rank = source.fmt.rank
        sums: dict[str, dict[str, Decimal | None]] = defaultdict(dict)  # project totals from participant rows
        shares: dict[tuple[str, int], dict[str, Any]] = {}
        rows = read_cordis(source.path, source.fmt, label=source.label)
        for row in self.ctx.rows(rows, desc=Path(source.label).name):
            region_id = self._region(row, source)
            if region_id is False or not self._fits(row):
                continue
            data = row.data
            project = data.get("project")
            organisation = data.get("organisation")
            if project:
                _merge(self.projects[project["number"]], project, rank)
            if data.get("programme"):
                _merge(self.programmes[data["programme"]["code"]], data["programme"], rank)
            if data.get("call"):
                _merge(self.calls[data["call"]["identifier"]], data["call"], rank)
            if data.get("concept"):
                self._concept(data["concept"], rank)
                if data.get("link"):
                    self.links.add((project["number"], data["concept"]["scheme"], data["concept"]["code"]))
            if organisation:
                if region_id:
                    organisation = {**organisation, "region_id": region_id}
                pic = organisation.get("pic")
                org = self.organisations.resolve(organisation, external=("cordis-pic", pic) if pic else None)
                if data.get("participation") and project:
                    self._orgs[id(org)] = org
                    self._share(shares, (project["number"], id(org)), data["participation"], region_id)
                    if source.fmt is F.DASHBOARD:
                        totals = sums[project["number"]]
                        totals["eu_contribution"] = _add(totals.get("eu_contribution"),
                                                         data["participation"]["eu_contribution"])
                        totals["total_cost"] = _add(totals.get("total_cost"), data["participation"]["total_cost"])
        for number, totals in sums.items():
            _merge(self.projects[number], totals, rank)
        for key, share in shares.items():
            _merge(self.participations[key], share, rank)

    def _region(self, row: Row, source: Source) -> int | None | bool:
        """The region id of the row's NUTS code, None without one, False (and an error) when unknown."""
        if not row.data.get("nuts"):
            return None
        column, code = row.data["nuts"]
        if not self.regions.known():
            raise InputError(RowError(source.label, row.line, column,
                                      f"no NUTS {self.regions.target} regions are loaded to place '{code}'; "
                                      "run `ris3hub import nuts` first"))
        try:
            return self.regions.resolve(code)
        except ValueError as exc:
            self.ctx.reject(row.error(column, str(exc)))
            return False

    def _fits(self, row: Row) -> bool:
        ok = True
        for section, limits in _LIMITS.items():
            values = row.data.get(section) or {}
            for field, value in values.items():
                if isinstance(value, str) and field in limits and len(value) > limits[field]:
                    column = row.data["columns"].get(f"{section}.{field}", field)
                    self.ctx.reject(row.error(column, f"{len(value)} characters, more than the {limits[field]} "
                                                      f"a {section} {field.replace('_', ' ')} can hold"))
                    ok = False
        return ok

    @staticmethod
    def _share(shares: dict, key: tuple[str, int], participation: dict[str, Any], region_id: int | None) -> None:
        share = shares.setdefault(key, {"role": None, "region_id": None})
        share["role"] = stronger_role(share["role"], participation["role"])
        for field in ("eu_contribution", "net_eu_contribution", "total_cost"):
            share[field] = _add(share.get(field), participation.get(field))
        share["region_id"] = share["region_id"] or region_id

    def _concept(self, concept: dict[str, Any], rank: int) -> None:
        scheme = concept["scheme"]
        path_labels: list[str] = []
        for level, (code, label) in enumerate(concept["ancestors"]):
            path_labels.append(label)
            # An ancestor known only from a descendant's path ranks below any row of its own.
            _merge(self.concepts[(scheme, code)], {"label": label, "path": "/".join(path_labels), "level": level},
                   rank + 100)
        fields = {k: v for k, v in concept.items() if k not in ("scheme", "code", "ancestors")}
        fields["level"] = len(concept["ancestors"])
        _merge(self.concepts[(scheme, concept["code"])], fields, rank)

    # ---- writing

    def write(self) -> None:
        programme_ids = self._write_programmes()
        call_ids = self._write_calls(programme_ids)
        project_ids = self._write_projects(programme_ids, call_ids)
        concept_ids = self._write_concepts()
        self._write_links(project_ids, concept_ids)
        self.organisations.flush()
        self._write_participations(project_ids)

    def _write_programmes(self) -> dict[str, int]:
        for fields in list(self.projects.values()) + list(self.calls.values()):
            if "programme_code" in fields:
                self.programmes.setdefault(fields["programme_code"][1], {})
        for fields in self.projects.values():
            framework = fields.get("framework", (0, ""))[1]
            if framework in FRAMEWORKS and "programme_code" not in fields:
                self.programmes.setdefault(framework, {})
        for code in list(self.programmes):  # every programme hangs under its framework programme
            if programme_framework(code) in FRAMEWORKS:
                self.programmes.setdefault(programme_framework(code), {})
        for code, fields in self.programmes.items():
            # Names of the framework programmes, for when no reference table names them.
            _merge(fields, {"name": FRAMEWORKS.get(code), "framework": programme_framework(code)}, 1000)
        upsert = self.ctx.upserter(Programme, ("code",))
        known = set(Programme.objects.values_list("code", flat=True)) | set(self.programmes)
        parents = {code: self._nearest(code, known) for code in known}
        depth: dict[str, int] = {}

        def depth_of(code: str) -> int:
            if code not in depth:
                depth[code] = 0 if parents[code] is None else depth_of(parents[code]) + 1
            return depth[code]

        for level in sorted({depth_of(c) for c in known}):
            for code in sorted(c for c in known if depth[c] == level):
                values = {k: v for k, (_, v) in self.programmes.get(code, {}).items() if k in ("name", "framework")}
                parent = parents[code]
                parent_id = upsert.get((parent,)).pk if parent else None
                existing = upsert.get((code,))
                if code in self.programmes or (existing is not None and existing.parent_id != parent_id):
                    if existing is None and "name" not in values:
                        values["name"] = ""
                    upsert.put((code,), {**values, "parent_id": parent_id})
            upsert.flush()
        return {code: upsert.get((code,)).pk for code in known}

    @staticmethod
    def _nearest(code: str, known: set[str]) -> str | None:
        """The closest ancestor among the known codes; H2020 writes codes with and without the final
        dot (H2020-EU.3.4.7.1 is under H2020-EU.3.4.7.)."""
        parent = parent_programme_code(code)
        while parent:
            for variant in (parent, parent + "." if not parent.endswith(".") else parent[:-1]):
                if variant in known and variant != code:
                    return variant
            parent = parent_programme_code(parent)
        return None

    def _write_calls(self, programme_ids: dict[str, int]) -> dict[str, int]:
        for fields in self.projects.values():
            if "call_identifier" in fields:
                self.calls.setdefault(fields["call_identifier"][1], {})
        upsert = self.ctx.upserter(Call, ("identifier",))
        for identifier, fields in self.calls.items():
            values = {k: v for k, (_, v) in fields.items() if k in ("title", "deadline", "year")}
            if "programme_code" in fields:
                values["programme_id"] = programme_ids[fields["programme_code"][1]]
            upsert.put((identifier,), values)
        upsert.flush()
        return {identifier: upsert.get((identifier,)).pk for identifier in self.calls}

    def _write_projects(self, programme_ids: dict[str, int], call_ids: dict[str, int]) -> dict[str, int]:
        """Projects, each under its most specific programme: the legal basis a file gives, or that of
        the topic it was funded under, or else its framework programme. A programme already more
        specific than those is kept; projects of topics whose programme this import tells are moved
        under it, whichever was imported first."""
        upsert = self.ctx.upserter(Project, ("number",))
        programme_codes = {pk: code for code, pk in programme_ids.items()}
        topic_programmes = dict(Call.objects.filter(programme__isnull=False).values_list("pk", "programme__code"))
        plain = {f.name for f in Project._meta.concrete_fields} - {"id", "number", "programme", "call"}

        def programme_id(existing: Project | None, code: str | None, call_id: int | None, framework: str) -> int | None:
            code = _more_specific(code, topic_programmes.get(call_id))
            current = programme_codes.get(existing.programme_id) if existing and existing.programme_id else None
            if code is None and current is None and framework in FRAMEWORKS:
                code = framework
            if code is None or (current and (current == code or _is_ancestor(code, current))):
                return existing.programme_id if existing else None
            return programme_ids[code]

        for number, fields in self.projects.items():
            values = {k: v for k, (_, v) in fields.items() if k in plain}
            existing = upsert.get((number,))
            if "call_identifier" in fields:
                values["call_id"] = call_ids[fields["call_identifier"][1]]
            call_id = values.get("call_id", existing.call_id if existing else None)
            framework = values.get("framework", existing.framework if existing else "")
            values["programme_id"] = programme_id(existing, fields.get("programme_code", (0, None))[1], call_id,
                                                  framework)
            upsert.put((number,), values)
        topics_here = {call_ids[i] for i, fields in self.calls.items() if "programme_code" in fields}
        for number in (Project.objects.filter(call_id__in=topics_here).exclude(number__in=self.projects)
                       .values_list("number", flat=True)):
            existing = upsert.get((number,))
            upsert.put((number,), {"programme_id": programme_id(existing, None, existing.call_id, existing.framework)})
        upsert.flush()
        return {number: upsert.get((number,)).pk for number in self.projects}

    def _write_concepts(self) -> dict[tuple[str, str], int]:
        if not self.concepts:
            return {}
        schemes = self.ctx.upserter(Scheme, ("code",))
        for scheme in sorted({s for s, _ in self.concepts}):
            if schemes.get((scheme,)) is None:
                name, description = SCHEMES[scheme]
                schemes.put((scheme,), {"name": name, "description": description, "source": "CORDIS"})
        schemes.flush()
        upsert = self.ctx.upserter(Concept, ("scheme_id", "code"))
        ids: dict[tuple[str, str], int] = {}
        by_level: dict[int, list] = defaultdict(list)
        for key, fields in self.concepts.items():
            by_level[fields.get("level", (0, 0))[1]].append(key)
        for level in sorted(by_level):
            for scheme, code in sorted(by_level[level]):
                values = {k: v for k, (_, v) in self.concepts[(scheme, code)].items()}
                if scheme == "euroscivoc":
                    parent = code.rsplit("/", 1)[0]
                    values["parent_id"] = ids[(scheme, parent)] if parent else None
                upsert.put((schemes.get((scheme,)).pk, code), values)
            upsert.flush()
            for scheme, code in by_level[level]:
                ids[(scheme, code)] = upsert.get((schemes.get((scheme,)).pk, code)).pk
        return ids

    def _write_links(self, project_ids: dict[str, int], concept_ids: dict[tuple[str, str], int]) -> None:
        if not self.links:
            return
        through = Project.concepts.through
        wanted = {(project_ids[number], concept_ids[(scheme, code)]) for number, scheme, code in self.links}
        existing = set(through.objects.filter(project_id__in={p for p, _ in wanted})
                       .values_list("project_id", "concept_id"))
        new = sorted(wanted - existing)
        through.objects.bulk_create([through(project_id=p, concept_id=c) for p, c in new], batch_size=2000)
        counts = self.ctx.report.counts["projects.Project.concepts"]
        counts["created"] += len(new)
        counts["unchanged"] += len(wanted) - len(new)

    def _write_participations(self, project_ids: dict[str, int]) -> None:
        upsert = self.ctx.upserter(Participation, ("project_id", "organisation_id"))
        for (number, org), fields in self.participations.items():
            values = {k: v for k, (_, v) in fields.items()}
            values.setdefault("role", Participation.Role.PARTICIPANT)
            upsert.put((project_ids[number], self._orgs[org].pk), values)
        upsert.flush()
