"""Mapping NUTS codes of any version to the regions of the version in use."""

from __future__ import annotations

from collections import defaultdict
from os.path import commonprefix

from ris3hub import conf
from ris3hub.regions.models import NutsChange, Region


class RegionResolver:
    """Resolves a NUTS code of any loaded version to the id of a Region of the target version.

    Codes are followed through the official change tables version by version (identity pairs
    included); a code that was split resolves to the smallest target region containing all its
    successors, and a code the tables leave without a successor (a region merged into another)
    resolves to the counterpart of its parent, the smallest region known to contain it.
    """

    def __init__(self, target_version: int | None = None):
        self.target = target_version or conf.nuts_version()
        self.codes: dict[int, dict[str, int]] = defaultdict(dict)
        for pk, version, code in Region.objects.values_list("id", "version", "code").iterator():
            self.codes[version][code] = pk
        self.versions = sorted(self.codes)
        # (version, code) -> {other version: codes it became (forward) / came from (backward)}
        self.forward: dict[tuple[int, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.backward: dict[tuple[int, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        changes = NutsChange.objects.values_list("from_version", "from_code", "to_version", "to_code")
        for fv, fc, tv, tc in changes.iterator():
            if fc and tc:
                self.forward[(fv, fc)][tv].add(tc)
                self.backward[(tv, tc)][fv].add(fc)
        self._cache: dict[tuple[str, int | None], int] = {}

    def known(self) -> bool:
        return bool(self.codes.get(self.target))

    def exists(self, code: str, version: int) -> bool:
        """Whether ``code`` is a region of NUTS ``version``."""
        return code in self.codes.get(version, {})

    def resolve(self, code: str, version: int | None = None) -> int:
        """The Region id of ``code`` in the target version; ValueError with the reason otherwise.

        ``version`` is the NUTS version the code was written in, where the source says; without
        it a code of the target version is taken as it is, and another code is followed from the
        nearest version that has it.
        """
        code = (code or "").strip().upper()
        key = (code, version)
        if key in self._cache:
            return self._cache[key]
        if not self.known():
            raise ValueError(f"no NUTS {self.target} regions are loaded; run `ris3hub import nuts` first")
        pk = self._resolve(code, version)
        self._cache[key] = pk
        return pk

    def _resolve(self, code: str, version: int | None) -> int:
        target_codes = self.codes[self.target]
        if version is not None:
            if code not in self.codes.get(version, {}):
                raise ValueError(f"'{code}' is not a NUTS {version} code")
            found_in = [version]
        elif code in target_codes:
            return target_codes[code]
        else:
            found_in = [v for v in self.versions if code in self.codes[v]]
        if not found_in:
            raise ValueError(f"'{code}' is not a NUTS code of any loaded version ({', '.join(map(str, self.versions))})")
        for source in sorted(found_in, key=lambda v: (abs(v - self.target), -v)):
            pk = self._counterpart(code, source)
            if pk is not None:
                return pk
        raise ValueError(f"'{code}' (NUTS {found_in[0]}) has no counterpart in NUTS {self.target}")

    def _counterpart(self, code: str, version: int) -> int | None:
        """The target region of ``code`` of ``version``, falling back on its parent's."""
        target_codes = self.codes[self.target]
        while code:
            successors = self._follow(code, version)
            if successors:
                prefix = commonprefix(sorted(successors))
                while prefix and prefix not in target_codes:
                    prefix = prefix[:-1]
                if len(prefix) >= 2:
                    return target_codes[prefix]
            code = code[:-1] if len(code) > 2 else ""
            if code not in self.codes[version]:
                return None
        return None

    def _follow(self, code: str, version: int) -> set[str]:
        """The codes of the target version that ``code`` of ``version`` became, step by step."""
        current = {code}
        path = [v for v in self.versions if min(version, self.target) <= v <= max(version, self.target)]
        if version > self.target:
            path.reverse()
        for a, b in zip(path, path[1:]):
            edges = self.forward if a < b else self.backward
            following: set[str] = set()
            for c in current:
                mapped = self._step(edges, a, b, c)
                if mapped:
                    following |= mapped
                elif c in self.codes[b]:
                    following.add(c)
            current = {c for c in following if c in self.codes[b]}
            if not current:
                return set()
        return current

    @staticmethod
    def _step(edges: dict, a: int, b: int, code: str) -> set[str]:
        """What ``code`` of version ``a`` became in version ``b``: the table between the two, or else
        the table from ``a`` to the nearest version between them (one whose regions are not loaded)."""
        by_version = edges.get((a, code))
        if not by_version:
            return set()
        if b in by_version:
            return by_version[b]
        towards = [v for v in by_version if a < v <= b or b <= v < a]
        return by_version[min(towards, key=lambda v: abs(v - a))] if towards else set()
