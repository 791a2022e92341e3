"""One organisation, one record: recognising the same organisation across sources.

Two records are the same organisation when they share a source identifier, the PIC, the
VAT number, or the normalised name in the same city (and country); when one of the two does not
say its city, the normalised name in the same country, if exactly one organisation has it. Records with different
PICs are never merged: the PIC is the EU's identifier of a legal entity, while one VAT number
can be shared by several (a VAT group, the departments of one administration). Records with
different VAT numbers are not merged by name either.

A source that knows an organisation only by its PIC (some CORDIS participation rows have no
name) creates it named ``unnamed(pic)``, "PIC 999644559"; a later source that gives the name
replaces that name, as it fills any other empty field.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ris3hub.core.loading import ImportContext
from ris3hub.registry.models import ExternalId, Organisation
from ris3hub.registry.names import normalise_city, normalise_name

# Fields a source may fill; a field already filled by another source is kept (so imports are
# idempotent in any order). `kind` "other" is upgraded when a source knows better.
PROFILE_FIELDS = (
    "name", "short_name", "kind", "is_sme", "pic", "vat", "ror", "website", "street", "postcode", "city",
    "country", "region_id", "description", "description_it", "trl", "looking_for",
)


def clean_vat(vat: str | None) -> str:
    v = (vat or "").replace(" ", "").replace(".", "").upper()
    return "" if v in ("", "NA", "N/A", "-", "MISSING") else v


def unnamed(pic: str) -> str:
    """The name of an organisation known only by its PIC, until a source names it."""
    return f"PIC {pic}"


def clean_pic(pic: Any) -> str:
    if pic is None:
        return ""
    if isinstance(pic, float):
        pic = int(pic)
    p = str(pic).strip()
    return "" if p in ("", "NA", "0") else p


class OrganisationResolver:
    """Finds or creates the one record of each organisation a source describes.

    By default every organisation is saved as soon as it is resolved. With ``batch=True``, new
    and completed organisations are written in bulk by ``flush()`` (much faster for tens of
    thousands of rows); until then a new organisation has no ``pk``, so call ``flush()`` before
    using ids.
    """

    def __init__(self, ctx: ImportContext, batch: bool = False):
        self.ctx = ctx
        self.batch = batch
        self.counts = ctx.report.counts[Organisation._meta.label]
        self.by_pic: dict[str, Organisation] = {}
        self.by_vat: dict[str, Organisation] = {}
        self.by_name: dict[tuple[str, str, str], list[Organisation]] = {}
        self.by_name_country: dict[tuple[str, str], list[Organisation]] = {}
        self.by_external: dict[tuple[str, str], Organisation] = {}
        self._vat_all: dict[str, list[Organisation]] = {}  # every organisation with a VAT number
        self.touched: set[int] = set()  # id() of the organisations this import resolved
        self.external_ids = ctx.upserter(ExternalId, ("source", "value"))
        self._new: list[Organisation] = []
        self._dirty: dict[int, tuple[Organisation, set[str]]] = {}
        self._new_external: list[tuple[tuple[str, str], Organisation]] = []
        orgs = {o.pk: o for o in Organisation.objects.all().iterator()}
        for o in orgs.values():
            self._index(o)
        for source, value, org_id in ExternalId.objects.values_list("source", "value", "organisation_id"):
            self.by_external[(source, value)] = orgs[org_id]

    def _index(self, o: Organisation) -> None:
        if o.pic:
            self.by_pic.setdefault(o.pic, o)
        if o.vat:
            self.by_vat.setdefault(o.vat, o)
            if o not in self._vat_all.setdefault(o.vat, []):
                self._vat_all[o.vat].append(o)
        self.by_name.setdefault((o.normalised_name, normalise_city(o.city), o.country), []).append(o)
        named_in_country = self.by_name_country.setdefault((o.normalised_name, o.country), [])
        if o not in named_in_country:
            named_in_country.append(o)

    def find(self, record: dict[str, Any], external: tuple[str, str] | None = None) -> Organisation | None:
        if external and external in self.by_external:
            return self.by_external[external]
        pic, vat = record.get("pic") or "", record.get("vat") or ""
        if pic and pic in self.by_pic:
            return self.by_pic[pic]
        for candidate in self._vat_all.get(vat, []) if vat else []:
            if not (pic and candidate.pic and candidate.pic != pic):
                return candidate
        key = (normalise_name(record.get("name", "")), normalise_city(record.get("city", "")), record.get("country", ""))
        if not key[0]:
            return None
        def compatible(candidate: Organisation) -> bool:
            return not (pic and candidate.pic and candidate.pic != pic) and not (
                vat and candidate.vat and candidate.vat != vat)

        for candidate in self.by_name.get(key, []):
            if compatible(candidate):
                return candidate
        # One side does not say its city (a spin-off's parent university, say): the same name in
        # the same country is the same organisation when exactly one such organisation exists.
        candidates = [c for c in self.by_name_country.get((key[0], key[2]), [])
                      if compatible(c) and not (key[1] and normalise_city(c.city))]
        return candidates[0] if len(candidates) == 1 else None

    def resolve(self, record: dict[str, Any], external: tuple[str, str] | None = None) -> Organisation:
        """The organisation this record describes, created or completed with the record's fields."""
        record = dict(record)
        record["pic"] = clean_pic(record.get("pic"))
        record["vat"] = clean_vat(record.get("vat"))
        values = {k: v for k, v in record.items() if k in PROFILE_FIELDS and v not in (None, "")}
        if not values.get("name"):
            if not record["pic"]:
                raise ValueError("an organisation needs a name or a PIC")
            values["name"] = unnamed(record["pic"])
        org = self.find(record, external)
        if org is None:
            org = Organisation(**values)
            self.counts["created"] += 1
            if self.batch:
                org.normalised_name = normalise_name(org.name)
                self._new.append(org)
            else:
                org.save()
            self._index(org)
        else:
            changed = []
            for k, v in values.items():
                current = getattr(org, k)
                fillable = (current in (None, "") or (k == "kind" and current == "other" and v != "other")
                            or (k == "name" and bool(org.pic) and current == unnamed(org.pic)))
                if fillable and current != v:
                    setattr(org, k, v)
                    changed.append(k)
            if changed:
                if "name" in changed:
                    org.normalised_name = normalise_name(org.name)
                    changed.append("normalised_name")
                self._save_changes(org, changed)
                self._index(org)
                if id(org) not in self.touched:
                    self.counts["updated"] += 1
            elif id(org) not in self.touched:
                self.counts["unchanged"] += 1
        self.touched.add(id(org))
        if external and external not in self.by_external:
            if org.pk is None:
                self._new_external.append((external, org))
            else:
                self.external_ids.put(external, {"organisation_id": org.pk})
            self.by_external[external] = org
        return org

    def _save_changes(self, org: Organisation, fields: list[str]) -> None:
        if org.pk is None:  # created in this batch: inserted with its fields by flush()
            return
        if not self.batch:
            org.save(update_fields=fields + ["updated"])
            return
        self._dirty.setdefault(id(org), (org, set()))[1].update(fields)

    def flush(self) -> None:
        """Writes the organisations a batch resolver created or completed, and their external ids."""
        if self._new:
            Organisation.objects.bulk_create(self._new, batch_size=1000)
            self._new = []
        if self._dirty:
            now = timezone.now()
            by_fields: dict[frozenset, list[Organisation]] = {}
            for org, fields in self._dirty.values():
                org.updated = now
                by_fields.setdefault(frozenset(fields), []).append(org)
            for fields, orgs in by_fields.items():
                Organisation.objects.bulk_update(orgs, sorted(fields) + ["updated"], batch_size=1000)
            self._dirty = {}
        for external, org in self._new_external:
            self.external_ids.put(external, {"organisation_id": org.pk})
        self._new_external = []
