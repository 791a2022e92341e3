"""Loading classification schemes and the mappings between them (``ris3hub import taxonomy``).

Files are recognised by their form (see ris3hub.importers.taxonomy): nested JSON trees such as
the Emilia-Romagna High Technology Network's platforms and tags (scheme ``er-rat``), scheme
CSVs, mappings CSVs. Schemes are written before mappings, so one import can load two schemes
and the mappings between them.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ris3hub.core.loading import ImportContext
from ris3hub.importers.taxonomy import (
    ConceptRow,
    SchemeSpec,
    kind_of,
    read_mappings_csv,
    read_scheme_csv,
    read_tree_json,
)
from ris3hub.taxonomy.models import Concept, ConceptMapping, Scheme


class ConceptWriter:
    """Idempotent upserts of schemes and concepts for one import, parents before children."""

    def __init__(self, ctx: ImportContext):
        self.ctx = ctx
        self.schemes = ctx.upserter(Scheme, ("code",))
        self.concepts = ctx.upserter(Concept, ("scheme_id", "code"))

    def scheme(self, code: str, name: str | None = None, description: str = "", source: str = "") -> Scheme:
        """The scheme with this code, created or updated; ``name`` None keeps the stored name (or the code)."""
        existing = self.schemes.get((code,))
        values = {"name": name or (existing.name if existing else code)}
        if description:
            values["description"] = description
        if source:
            values["source"] = source
        scheme = self.schemes.put((code,), values)
        if scheme.pk is None:
            self.schemes.flush()
        return scheme

    def get(self, scheme: Scheme, code: str) -> Concept | None:
        return self.concepts.get((scheme.pk, code))

    def put(self, scheme: Scheme, code: str, label: str, label_it: str = "", description: str = "",
            parent: Concept | None = None) -> Concept:
        if parent is not None and parent.pk is None:
            self.concepts.flush()
        values = {
            "label": label,
            "label_it": label_it,
            "description": description,
            "parent_id": parent.pk if parent else None,
            "level": parent.level + 1 if parent else 0,
            "path": (f"{parent.path}/{label}" if parent else label)[:500],
        }
        return self.concepts.put((scheme.pk, code), values)

    def flush(self) -> None:
        self.concepts.flush()


def _stored_parents(scheme: Scheme) -> dict[str, str]:
    if scheme.pk is None:
        return {}
    return dict(Concept.objects.filter(scheme=scheme).values_list("code", "parent__code"))


def write_concepts(writer: ConceptWriter, scheme: Scheme, rows: list[ConceptRow]) -> int:
    """Writes a scheme's concept rows; rejects unknown parents, cycles and the descendants of rejected rows."""
    ctx = writer.ctx
    parents = _stored_parents(scheme)
    parents.update({r.code: r.parent for r in rows})
    by_code = {r.code: r for r in rows}
    rejected: dict[str, str] = {}

    def reject(row: ConceptRow, column: str, reason: str) -> None:
        if row.code not in rejected:
            rejected[row.code] = reason
            ctx.reject(row.error(column, reason))

    for row in rows:
        if row.parent and row.parent not in parents:
            reject(row, "parent", f"parent '{row.parent}' is not a code of scheme '{scheme.code}'")
    depth: dict[str, int] = {}
    for row in rows:
        chain, code = [], row.code
        while code and code not in depth:
            if code in chain:
                cycle = chain[chain.index(code):] + [code]
                for member in cycle[:-1]:
                    if member in by_code:
                        reject(by_code[member], "parent", f"the parents form a cycle: {' > '.join(cycle)}")
                break
            chain.append(code)
            code = parents.get(code) or ""
        base = depth.get(code, -1) if code else -1
        for i, member in enumerate(reversed(chain)):
            depth.setdefault(member, base + 1 + i)
    # a row under a rejected row cannot be placed either
    changed = True
    while changed:
        changed = False
        for row in rows:
            if row.code not in rejected and row.parent in rejected:
                reject(row, "parent", f"its parent '{row.parent}' was rejected")
                changed = True
    written = 0
    for row in sorted((r for r in rows if r.code not in rejected), key=lambda r: depth[r.code]):
        parent = writer.get(scheme, row.parent) if row.parent else None
        writer.put(scheme, row.code, row.label, row.label_it, row.description, parent)
        written += 1
    writer.flush()
    return written


def load_taxonomy(paths: list[Path], ctx: ImportContext) -> None:
    writer = ConceptWriter(ctx)
    kinds = [(kind_of(p), p) for p in paths]
    for kind, path in kinds:
        if kind == "tree":
            spec, rows = read_tree_json(path)
            scheme = writer.scheme(spec.code, spec.name, spec.description, spec.source)
            write_concepts(writer, scheme, list(ctx.rows(rows, desc=f"{path.name}")))
    for kind, path in kinds:
        if kind == "scheme":
            by_scheme: dict[str, list[ConceptRow]] = defaultdict(list)
            for row in ctx.rows(read_scheme_csv(path), desc=path.name):
                by_scheme[row.scheme].append(row)
            for code, rows in by_scheme.items():
                names = [r.extra["scheme_name"] for r in rows if r.extra.get("scheme_name")]
                spec = SchemeSpec(code=code, name=names[0] if names else "")
                write_concepts(writer, writer.scheme(spec.code, spec.name or None), rows)
    for kind, path in kinds:
        if kind == "mappings":
            load_mappings(path, writer)


def load_mappings(path: Path, writer: ConceptWriter) -> None:
    ctx = writer.ctx
    mappings = ctx.upserter(ConceptMapping, ("source_id", "target_id"))
    relations = [value for value, _ in ConceptMapping.Relation.choices]
    for row in ctx.rows(read_mappings_csv(path, relations), desc=path.name):
        ends = []
        for (scheme_code, code), column in ((row.source, "source"), (row.target, "target")):
            scheme = writer.schemes.get((scheme_code,))
            concept = writer.get(scheme, code) if scheme else None
            if scheme is None:
                ctx.reject(row.error(f"{column}_scheme", f"'{scheme_code}' is not a loaded scheme"))
            elif concept is None:
                ctx.reject(row.error(f"{column}_code", f"'{code}' is not a code of scheme '{scheme_code}'"))
            else:
                ends.append(concept)
        if len(ends) == 2:
            if ends[0].scheme_id == ends[1].scheme_id:
                ctx.reject(row.error("target_scheme", "mappings link concepts of two different schemes; "
                                                      "within a scheme use the parent column"))
                continue
            mappings.put((ends[0].pk, ends[1].pk), {"relation": row.relation})

