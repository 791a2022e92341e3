"""`ris3hub search`, `match`, `team`, `partners` and `search-index` commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ris3hub.search.kinds import KINDS

MODES = ("r2b", "b2b", "f2b")


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _fail(message: str) -> int:
    print(f"ris3hub: {message}", file=sys.stderr)
    return 2


def cmd_search(args) -> int:
    from ris3hub.search.filters import Filters
    from ris3hub.search.indexing import IndexMissing
    from ris3hub.search.searching import run_search

    filters = Filters(kinds=tuple(args.kind or ()), region=(args.region or "").upper(),
                      countries=tuple(c.upper() for c in args.country or ()), trl_min=args.trl_min,
                      is_sme={"yes": True, "no": False}.get(args.sme or ""))
    try:
        page = run_search(args.query, filters, top=args.top)
    except (IndexMissing, ValueError) as error:
        return _fail(str(error))
    if args.json:
        _print_json([r.as_json() for r in page.results])
        return 0
    for rank, r in enumerate(page.results, start=1):
        print(f"{rank:>3}. [{r.kind}] {r.name}  ({r.id}{', ' + r.source_id if r.source_id else ''})  {r.score:.4f}")
        if r.why:
            print(f"     {r.why}")
    if not page.results:
        print("no match", file=sys.stderr)
    return 0


def _text_or_file(value: str) -> str:
    path = Path(value)
    if len(value) < 1024 and "\n" not in value and path.is_file():
        return path.read_text(encoding="utf-8")
    return value


def cmd_match(args) -> int:
    from ris3hub.registry.models import Organisation
    from ris3hub.search.indexing import IndexMissing
    from ris3hub.search.matching import Need, match_need

    organisation = None
    if args.organisation is not None:
        organisation = Organisation.objects.select_related("region").filter(pk=args.organisation).first()
        if organisation is None:
            return _fail(f"no organisation has the id {args.organisation}")
    try:
        need = Need(_text_or_file(args.need), mode=args.mode, region=(args.region or "").upper(),
                    organisation=organisation, restrict_region=(args.within or "").upper())
        offers = match_need(need, top=args.top)
    except (IndexMissing, ValueError) as error:
        return _fail(str(error))
    if args.json:
        _print_json([o.as_json() for o in offers])
        return 0
    for rank, o in enumerate(offers, start=1):
        print(f"{rank:>3}. [{o.result.kind}] {o.result.name}  ({o.result.id})  {o.result.score:.4f}")
        for line in o.reasons:
            print(f"     {line}")
    return 0


def cmd_team(args) -> int:
    from ris3hub.search.indexing import IndexMissing
    from ris3hub.search.teams import TeamRequest, build_teams

    request = TeamRequest(challenge=_text_or_file(args.challenge) if args.challenge else "",
                          competences=list(args.competence or ()), regions=[r.upper() for r in args.region or ()],
                          max_size=args.max_size, teams=args.teams)
    try:
        result = build_teams(request)
    except (IndexMissing, ValueError) as error:
        return _fail(str(error))
    if args.json:
        _print_json(result.as_json())
        return 0
    print("competences: " + "; ".join(result.competences))
    for n, team in enumerate(result.teams, start=1):
        print(f"team {n} (weight {team.cost:.3f}, {'optimal' if team.optimal else 'greedy'}):")
        for member in team.members:
            print(f"  - {member.name} ({member.kind}{', ' + member.network if member.network else ''})")
        for competence, who in team.coverage.items():
            print(f"      {competence}: {', '.join(who) if who else 'NOT COVERED'}")
    return 0


def cmd_partners(args) -> int:
    from ris3hub.search.partners import PartnerError, find_partners

    try:
        found = find_partners(args.region, args.priority or "", top=args.top,
                              countries=[c.upper() for c in args.country or ()] or None)
    except PartnerError as error:
        return _fail(str(error))
    if args.json:
        _print_json({"region": found.region.code, "priority": found.priority_text, "gdp_ratio": found.gdp_ratio,
                     "development": found.development, "partners": [p.as_dict() for p in found.partners]})
        return 0
    print(f"{found.region.code} {found.region.name_latn}: {found.development or 'development unknown'}")
    for p in found.partners:
        pairing = "  lagging-to-advanced" if p.pairing else ""
        print(f"  {p.code:<6} {p.name:<40} {p.score:.3f}  {p.development}{pairing}")
    return 0


def cmd_index(args) -> int:
    from ris3hub.search.indexing import IndexMissing, build_index, index_status, update_index

    try:
        if args.action == "rebuild":
            report = build_index(progress=not args.quiet, scope="all" if args.all else "default")
            data = report.as_dict()
        elif args.action == "update":
            data = update_index(progress=not args.quiet).as_dict()
        else:
            data = index_status()
    except IndexMissing as error:
        return _fail(str(error))
    if args.json or args.action == "status":
        _print_json(data)
    else:
        print(", ".join(f"{k}: {v}" for k, v in data.items()))
    return 0


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("search", parents=[common], help="search the registry by meaning (Italian or English)")
    p.add_argument("query")
    p.add_argument("--kind", action="append", choices=KINDS, help="only documents of this kind (repeatable)")
    p.add_argument("--region", help="only documents in this NUTS region or below it")
    p.add_argument("--country", action="append", help="only documents of this country (repeatable)")
    p.add_argument("--sme", choices=["yes", "no"], help="only SMEs, or only non-SMEs")
    p.add_argument("--trl-min", type=int, choices=range(1, 10), metavar="TRL", help="only TRL at least this")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true", help='print [{"id", "kind", "name", "score", "why", "source_id"}]')
    p.set_defaults(func=cmd_search)

    p = subparsers.add_parser("match", parents=[common], help="offers answering a need, with their reasons")
    p.add_argument("need", metavar="NEED_TEXT", help="the need, in Italian or English (or a file holding it)")
    p.add_argument("--mode", choices=MODES, default="r2b",
                   help="r2b: research offers; b2b: companies; f2b: start-ups looking for investors")
    p.add_argument("--region", help="NUTS region of the one in need (for distances)")
    p.add_argument("--within", help="only offers from this NUTS region or below it")
    p.add_argument("--organisation", type=int, help="id of the organisation in need (its region and domains)")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_match)

    p = subparsers.add_parser("team", parents=[common], help="teams of organisations covering a challenge's competences")
    p.add_argument("challenge", metavar="CHALLENGE_TEXT_OR_FILE", nargs="?", default="")
    p.add_argument("--competence", action="append", help="a competence needed (repeatable; else taken from the text)")
    p.add_argument("--region", action="append", help="only organisations of this NUTS region (repeatable)")
    p.add_argument("--max-size", type=int, default=4, choices=range(2, 6), metavar="N")
    p.add_argument("--teams", type=int, default=3, help="how many alternative teams")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_team)

    p = subparsers.add_parser("partners", parents=[common], help="partner regions for a region and a priority")
    p.add_argument("region", metavar="REGION", help="NUTS code")
    p.add_argument("--priority", help="a priority code of the region's strategy, or a text")
    p.add_argument("--country", action="append", help="only partners of this country (repeatable)")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_partners)

    p = subparsers.add_parser("search-index", parents=[common], help="build, update or inspect the search index")
    p.add_argument("action", choices=["rebuild", "update", "status"])
    p.add_argument("--all", action="store_true",
                   help="rebuild with every organisation and project (default: those with a text to search)")
    p.add_argument("--quiet", action="store_true", help="no progress")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index)
