"""Team formation: small teams of organisations that together cover every competence a
challenge needs, as weighted set cover.

A candidate covers a competence when its evidence score for it (e.g. the search score of its
best passage for that competence, in [0, 1]) reaches ``threshold``. A team has ``min_size`` to
``max_size`` members. Among teams, the one maximising

    1000 · covered competences − 60 · members + 40 · Σ_c best score on c
    (+ 30 · distinct clusters with ``diversity="prefer"``)

is best: cover everything that can be covered, with as few members as possible, then with the
strongest evidence, then (when asked) from as many clusters or districts as possible. With
``diversity="require"``, at most one member per cluster.

* Pools of at most ``exact_limit`` candidates (200) are solved exactly with OR-Tools CP-SAT
  (x_m: member m in the team; y_cm: competence c answered by member m, y_cm ≤ x_m,
  Σ_m y_cm ≤ 1), started from the greedy team; further teams are found by forbidding the
  previous ones. Pools of a few dozen candidates are proven optimal in about a second; larger
  ones may stop at the time limit with the best team found.
* Larger pools: greedy set cover (add the candidate covering most uncovered competences,
  ties by evidence gained and new cluster), whose team size is within H(n) ≤ 1 + ln n of the
  smallest cover of the n competences (Chvátal 1979, "A greedy heuristic for the set-covering
  problem", Math. Oper. Res. 4(3)), then local improvement (drop a redundant member; swap a
  member for an outsider when coverage stays and the objective rises), which never grows the
  team, so the bound holds.

``regions`` keeps the candidates whose region code starts with one of the given codes (NUTS
codes nest by prefix: ITH55 lies in ITH5 and in ITH).

:func:`split_competences` cuts a challenge written in free text into competences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

COVER_WEIGHT = 1000
MEMBER_COST = 60
QUALITY_WEIGHT = 40
CLUSTER_BONUS = 30
DIVERSITY = ("prefer", "require", "none")
LOCAL_SEARCH_POOL = 60


@dataclass(frozen=True)
class Candidate:
    """An organisation that could join: its evidence score for each competence (0 to 1),
    optionally the passage that shows it, its cluster (or district, network) and region code."""

    id: str
    coverage: Mapping[str, float]
    cluster: str = ""
    region: str = ""
    evidence: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CompetenceCover:
    competence: str
    member: str | None
    score: float
    evidence: str = ""


@dataclass(frozen=True)
class Team:
    members: tuple[str, ...]
    coverage: tuple[CompetenceCover, ...]
    uncovered: tuple[str, ...]
    objective: float
    clusters: int
    method: str


def _objective(team: Sequence[Candidate], competences: Sequence[str], threshold: float, diversity: str) -> float:
    best = [max((m.coverage.get(c, 0.0) for m in team if m.coverage.get(c, 0.0) >= threshold), default=None)
            for c in competences]
    covered = [b for b in best if b is not None]
    value = COVER_WEIGHT * len(covered) - MEMBER_COST * len(team) + QUALITY_WEIGHT * sum(covered)
    if diversity == "prefer":
        value += CLUSTER_BONUS * len({m.cluster for m in team if m.cluster})
    return value


def _team(members: Sequence[Candidate], competences: Sequence[str], threshold: float, diversity: str,
          method: str) -> Team:
    covers, uncovered = [], []
    for competence in competences:
        best = max(members, key=lambda m: m.coverage.get(competence, 0.0))
        score = best.coverage.get(competence, 0.0)
        if score >= threshold:
            covers.append(CompetenceCover(competence, best.id, score, best.evidence.get(competence, "")))
        else:
            covers.append(CompetenceCover(competence, None, 0.0))
            uncovered.append(competence)
    return Team(tuple(m.id for m in members), tuple(covers), tuple(uncovered),
                _objective(members, competences, threshold, diversity),
                len({m.cluster for m in members if m.cluster}), method)


def in_regions(region: str, regions: Iterable[str]) -> bool:
    """True when ``region`` is one of ``regions`` or lies inside one (NUTS prefix).

    >>> in_regions("ITH55", ["ITH5"]), in_regions("ITC4", ["ITH"])
    (True, False)
    """
    return any(region.upper().startswith(code.upper()) for code in regions if code)


def form_teams(competences: Sequence[str], candidates: Iterable[Candidate], min_size: int = 2, max_size: int = 5,
               threshold: float = 0.5, diversity: str = "prefer", regions: Iterable[str] | None = None,
               teams: int = 3, exact_limit: int = 200, time_limit: float = 6.0) -> list[Team]:
    """Up to ``teams`` alternative teams, best first (see the module docstring).

    ``time_limit`` (seconds) bounds the exact search over all teams; a team found when time ran
    out is marked ``method="exact (time limit)"``: it is the best found, at least as good as the
    greedy team the search starts from, but not proven optimal."""
    competences = list(dict.fromkeys(c for c in competences if c.strip()))
    if not competences:
        raise ValueError("no competences to cover")
    if not 1 <= min_size <= max_size:
        raise ValueError(f"team size must satisfy 1 <= min_size <= max_size, not {min_size}..{max_size}")
    if diversity not in DIVERSITY:
        raise ValueError(f"diversity must be one of {', '.join(DIVERSITY)}, not {diversity!r}")
    pool = list({c.id: c for c in candidates}.values())
    if regions is not None:
        regions = list(regions)
        pool = [c for c in pool if c.region and in_regions(c.region, regions)]
    pool = [c for c in pool if any(c.coverage.get(k, 0.0) >= threshold for k in competences)] or pool
    if len(pool) < min_size:
        return []
    if len(pool) <= exact_limit:
        return _exact(competences, pool, min_size, max_size, threshold, diversity, teams, time_limit)
    return _greedy(competences, pool, min_size, max_size, threshold, diversity, teams)


def _exact(competences: list[str], pool: list[Candidate], min_size: int, max_size: int, threshold: float,
           diversity: str, teams: int, time_limit: float) -> list[Team]:
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(pool))]
    model.add(sum(x) >= min_size)
    model.add(sum(x) <= max_size)
    terms = []
    for c, competence in enumerate(competences):
        answering = []
        for i, candidate in enumerate(pool):
            score = candidate.coverage.get(competence, 0.0)
            if score >= threshold:
                y = model.new_bool_var(f"y{c}_{i}")
                model.add_implication(y, x[i])
                answering.append(y)
                terms.append((COVER_WEIGHT * 100 + round(QUALITY_WEIGHT * 100 * score)) * y)
        if answering:
            model.add(sum(answering) <= 1)
    terms += [-MEMBER_COST * 100 * v for v in x]
    clusters: dict[str, list[int]] = {}
    for i, candidate in enumerate(pool):
        if candidate.cluster:
            clusters.setdefault(candidate.cluster, []).append(i)
    for name, members in clusters.items():
        if diversity == "require":
            model.add(sum(x[i] for i in members) <= 1)
        elif diversity == "prefer":
            z = model.new_bool_var(f"z_{name}")
            model.add(z <= sum(x[i] for i in members))
            terms.append(CLUSTER_BONUS * 100 * z)
    model.maximize(sum(terms))
    # Start from the greedy team: the solver then never returns a worse one, even when stopped early.
    start = {c.id for c in _greedy_cover(competences, pool, min_size, max_size, threshold, diversity)}
    for i, candidate in enumerate(pool):
        model.add_hint(x[i], candidate.id in start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit / teams
    solver.parameters.num_workers = 2
    found = []
    for _ in range(teams):
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        chosen = [i for i in range(len(pool)) if solver.value(x[i])]
        found.append(_team([pool[i] for i in chosen], competences, threshold, diversity,
                           "exact" if status == cp_model.OPTIMAL else "exact (time limit)"))
        model.add(sum(x[i] for i in chosen) <= len(chosen) - 1)
    return found


def _greedy(competences: list[str], pool: list[Candidate], min_size: int, max_size: int, threshold: float,
            diversity: str, teams: int) -> list[Team]:
    found: list[Team] = []
    banned: set[str] = set()
    for _ in range(teams):
        allowed = [c for c in pool if c.id not in banned]
        team = _greedy_cover(competences, allowed, min_size, max_size, threshold, diversity)
        if len(team) < min_size:
            break
        team = _improve(team, competences, allowed, min_size, threshold, diversity)
        result = _team(team, competences, threshold, diversity, "greedy")
        if any(t.members == result.members for t in found):
            break
        found.append(result)
        # The next team may not reuse the member that answers the most competences of this one.
        counts = {m: sum(1 for cover in result.coverage if cover.member == m) for m in result.members}
        banned.add(max(counts, key=lambda m: (counts[m], m)))
    return sorted(found, key=lambda t: -t.objective)


def _greedy_cover(competences: list[str], pool: list[Candidate], min_size: int, max_size: int, threshold: float,
                  diversity: str) -> list[Candidate]:
    team: list[Candidate] = []
    best = {c: 0.0 for c in competences}
    while len(team) < max_size:
        uncovered = [c for c in competences if best[c] < threshold]
        clusters = {m.cluster for m in team if m.cluster}
        choices = [c for c in pool if c not in team and not (
            diversity == "require" and c.cluster and c.cluster in clusters)]
        if not choices:
            break
        gains = {c.id: _gain(c, competences, uncovered, best, clusters, threshold, diversity) for c in choices}
        pick = max(choices, key=lambda c: gains[c.id])
        if len(team) >= min_size and (not uncovered or gains[pick.id][0] == 0):
            break
        team.append(pick)
        for c in competences:
            score = pick.coverage.get(c, 0.0)
            if score >= threshold:
                best[c] = max(best[c], score)
    return team


def _gain(candidate: Candidate, competences: Sequence[str], uncovered: Sequence[str], best: dict[str, float],
          clusters: set[str], threshold: float, diversity: str) -> tuple:
    """What adding ``candidate`` brings: competences newly covered, evidence gained, a new
    cluster; its id breaks ties."""
    newly = sum(1 for c in uncovered if candidate.coverage.get(c, 0.0) >= threshold)
    improved = sum(max(0.0, candidate.coverage.get(c, 0.0) - best[c]) for c in competences
                   if candidate.coverage.get(c, 0.0) >= threshold)
    fresh = diversity == "prefer" and bool(candidate.cluster) and candidate.cluster not in clusters
    return newly, improved, fresh, candidate.id


def _covered(team: Sequence[Candidate], competences: Sequence[str], threshold: float) -> int:
    return sum(1 for c in competences if any(m.coverage.get(c, 0.0) >= threshold for m in team))


def _improve(team: list[Candidate], competences: list[str], pool: list[Candidate], min_size: int,
             threshold: float, diversity: str) -> list[Candidate]:
    """Drop redundant members and swap members for outsiders while the objective rises."""
    strongest = sorted(pool, key=lambda c: (-sum(v for v in c.coverage.values() if v >= threshold), c.id))
    strongest = strongest[:LOCAL_SEARCH_POOL + len(team)]
    outsiders = [o for o in strongest if o not in team]
    value = _objective(team, competences, threshold, diversity)
    covered = _covered(team, competences, threshold)
    improved = True
    while improved:
        improved = False
        moves = [[m for m in team if m is not drop] for drop in team if len(team) > min_size]
        moves += [[o if m is out else m for m in team] for out in team for o in outsiders if o not in team]
        for move in moves:
            if diversity == "require" and len({m.cluster for m in move if m.cluster}) < len(
                    [m for m in move if m.cluster]):
                continue
            if _covered(move, competences, threshold) < covered:
                continue
            candidate_value = _objective(move, competences, threshold, diversity)
            if candidate_value > value + 1e-9:
                team, value, improved = move, candidate_value, True
                outsiders = [o for o in strongest if o not in team]
                break
    return team


_LIST_SPLIT = re.compile(r"\s*(?:\n+|;|•|\u2022|(?<=\w)\.\s+(?=[A-ZÀ-Ý]))\s*")
_ENUMERATION = re.compile(r",\s*|\s+(?:and|or|e|ed|o|oppure|as well as|nonché)\s+", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^(?:(?:we|i)\s+(?:need|are looking for|look for|seek|want|require)|looking for|seeking|"
    r"need(?:s|ed)?\s+(?:for|of)?|requires?|require[sd]?|expertise (?:in|on)|competences? (?:in|on)|"
    r"skills? (?:in|on)|capabilit(?:y|ies) (?:in|to|for)|"
    r"abilit(?:y|ies) to|knowledge of|experience (?:in|with)|"
    r"cerchiamo|cerco|ci servono|ci serve|servono|serve|abbiamo bisogno di|occorrono|occorre|competenze (?:in|di|su)|"
    r"competenza (?:in|di|su)|esperienza (?:in|di|su)|esperti (?:in|di)|capacità di|conoscenze? (?:di|in)|"
    r"partners? (?:per|in|for|with (?:skills?|expertise|competences?|experience) (?:in|on))|"
    r"qualcuno che|someone (?:who|to)|"
    r"(?:a|an|the|un|una|uno|il|lo|la|i|gli|le)\b)\s*",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s.,;:!?]+$")


def split_competences(text: str) -> list[str]:
    """The competences of a challenge: its list items, sentences and the members of their
    enumerations ("A, B and C"), without lead-ins ("we need", "cerchiamo", "competenze in");
    fragments of one letter are dropped, repeats kept once.

    >>> split_competences("We need expertise in battery recycling, hydrogen storage and life cycle assessment.")
    ['battery recycling', 'hydrogen storage', 'life cycle assessment']
    >>> split_competences("Cerchiamo competenze in sensori IoT e analisi dei dati; logistica del freddo")
    ['sensori IoT', 'analisi dei dati', 'logistica del freddo']
    """
    competences: list[str] = []
    for part in _LIST_SPLIT.split(text.strip()):
        part = _TRAILING.sub("", part)
        pieces = _ENUMERATION.split(part) if len(part.split()) > 2 else [part]
        for piece in pieces:
            piece = piece.strip()
            for _ in range(3):
                stripped = _LEAD_IN.sub("", piece, count=1)
                if stripped == piece:
                    break
                piece = stripped
            piece = _TRAILING.sub("", piece).strip()
            if len(re.findall(r"[^\W\d_]", piece)) > 1 and piece.lower() not in (c.lower() for c in competences):
                competences.append(piece)
    return competences
