"""`ris3hub opportunities REGION`: a region's ranked diversification opportunities from the registry."""

from __future__ import annotations

import json
import sys

SCHEME_CHOICES = ("euroscivoc", "thematic", "topic", "eurito")


def cmd_opportunities(args) -> int:
    from ris3hub.analytics import measures
    from ris3hub.analytics import profile as profiles
    from ris3hub.analytics.matrices import MatrixSpec, panel_from_csv
    from ris3hub.importers.base import InputError

    region = profiles.region_for(args.region)
    if region is None:
        print(f"{args.region}: not a NUTS region of the version in use (see `ris3hub import nuts`)", file=sys.stderr)
        return 2
    level = region.level if args.level is None else args.level
    if level != region.level:
        hint = f" (the NUTS-{level} region it is in is {region.code[:level + 2]})" if level < region.level else ""
        print(f"{region.code} is a NUTS-{region.level} region; --level {level} compares NUTS-{level} regions{hint}",
              file=sys.stderr)
        return 2
    try:
        if args.csv:
            spec = MatrixSpec("csv", level=level)
            space = measures.compute(panel_from_csv(args.csv, level))
            p = profiles.build_from_space(region, spec, space)
        else:
            scheme = args.scheme or (profiles.available_schemes() or [None])[0]
            if scheme is None:
                print("no data to compute opportunities from: import CORDIS participations with NUTS regions or "
                      "EURITO indicator files", file=sys.stderr)
                return 1
            p = profiles.build(region, MatrixSpec(scheme, level=level, weight=args.weight, depth=args.depth))
    except InputError as error:
        for e in error.errors:
            print(e, file=sys.stderr)
        return 1
    except (ValueError, profiles.NoData, measures.NotEnoughData) as error:
        print(error, file=sys.stderr)
        return 1
    rows = profiles.opportunities(p)
    if args.limit:
        rows = rows[: args.limit]
    if args.json:
        print(json.dumps(profiles.opportunities_document(p, rows), indent=2, ensure_ascii=False))
        return 0
    print(f"{region.code} {region.name_latn}: {p.scheme.label}, NUTS-{level}, {len(p.space.regions)} regions x "
          f"{len(p.space.domains)} domains; ECI {p.eci:.2f} ({p.eci_rank} of {p.region_count}), "
          f"specialised in {len(p.specialised)}")
    print(f"{'#':>3}  {'quadrant':<20} {'rca':>6} {'density':>8} {'pci':>7}  domain")
    for o in rows:
        print(f"{o.rank:>3}  {o.quadrant_label:<20} {o.rca:>6.2f} {o.density:>8.3f} {o.pci:>7.2f}  {o.label}")
    return 0


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "opportunities", parents=[common],
        help="a region's diversification opportunities (relatedness density, complexity, quadrant), ranked",
        description="Domains the region is not yet specialised in (RCA < 1), with their relatedness density "
                    "(ease), complexity (benefit, PCI) and quadrant after Balland et al. (2019), best first.")
    p.add_argument("region", help="NUTS code of the region, e.g. ITH5 (any NUTS version)")
    p.add_argument("--scheme", choices=SCHEME_CHOICES,
                   help="what a domain is (default: the first with data of eurito, thematic, euroscivoc, topic)")
    p.add_argument("--level", type=int, choices=[0, 1, 2, 3],
                   help="NUTS level of the regions compared (default: the region's own)")
    p.add_argument("--weight", choices=["count", "eu"], default="count",
                   help="count participations, or weigh them by EU contribution (project schemes)")
    p.add_argument("--depth", type=int, default=2, help="EuroSciVoc depth: 1 = the six broad fields (default 2)")
    p.add_argument("--csv", metavar="FILE",
                   help="use a long table region,domain[,year],value instead of the registry")
    p.add_argument("--limit", type=int, default=0, help="show only the first N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_opportunities)
