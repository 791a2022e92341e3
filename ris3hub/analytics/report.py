"""The printable S3 report of a region: an HTML page with print CSS and a PDF (ris3hub.core.pdf).

Both show the same figures (drawn with matplotlib's object interface, which is safe in the
threads of a web server, so that the HTML prints without a script) and
the same tables as the profile page: key figures, specialisation, diversification opportunities,
emerging domains, peer regions and the declared priorities against the evidence.
"""

from __future__ import annotations

import base64

from django.utils import timezone
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ris3hub.analytics import charts
from ris3hub.analytics import profile as profiles
from ris3hub.analytics.matrices import WEIGHTS
from ris3hub.core.pdf import Report, figure_png

TOP = 15
BRAND = charts.BRAND
ACCENT = charts.ACCENT


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def specialisation_png(p: profiles.Profile) -> bytes:
    rows = sorted(p.domain_rows, key=lambda r: -r.rca)[:20][::-1]
    fig = Figure(figsize=(7.5, 0.28 * len(rows) + 1.0))
    ax = fig.subplots()
    ax.barh([_short(r.label) for r in rows], [r.rca for r in rows],
            color=[BRAND if r.specialised else "#c9d6e6" for r in rows])
    ax.axvline(1, color=ACCENT, linestyle="--", linewidth=1)
    ax.set_xlabel("RCA")
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return figure_png(fig)


def scatter_png(p: profiles.Profile, candidates: list[profiles.Opportunity]) -> bytes:
    points = profiles.scatter_points(p, candidates)
    x_split, y_split = profiles.split_density(p, candidates), profiles.split_complexity(p, candidates)
    fig = Figure(figsize=(7.5, 5.2))
    ax = fig.subplots()
    for key, colour in charts.QUADRANT_COLOURS.items():
        members = [q for q in points if q.quadrant == key]
        ax.scatter([q.x for q in members], [q.y for q in members], s=36, color=colour,
                   label=str(profiles.QUADRANTS[key]), edgecolors="white", linewidths=0.6, zorder=3)
    held = [q for q in points if not q.quadrant]
    ax.scatter([q.x for q in held], [q.y for q in held], s=28, facecolors="none", edgecolors=BRAND,
               label=_("Specialised already (RCA ≥ 1)"), zorder=2)
    for q in sorted((q for q in points if q.quadrant), key=lambda q: -(q.x + q.y))[:8]:
        ax.annotate(_short(q.label, 28), (q.x, q.y), fontsize=7, xytext=(4, 3), textcoords="offset points")
    ax.axvline(x_split, color=ACCENT, linestyle="--", linewidth=0.8)
    ax.axhline(y_split, color=ACCENT, linestyle="--", linewidth=0.8)
    ax.set_xlabel(_("Relatedness density"))
    ax.set_ylabel(_("Complexity (PCI)"))
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return figure_png(fig)


def network_png(p: profiles.Profile) -> bytes:
    edges, pos = profiles.network_layout(p)
    fig = Figure(figsize=(7.5, 6))
    ax = fig.subplots()
    for i, j, _w in edges:
        ax.plot([pos[i, 0], pos[j, 0]], [pos[i, 1], pos[j, 1]], color="#c3ccd6", linewidth=0.7, zorder=1)
    rows = p.domain_rows
    top = max(r.value for r in rows) or 1
    ax.scatter(pos[:, 0], pos[:, 1], s=[20 + 180 * (r.value / top) ** 0.5 for r in rows],
               c=[BRAND if r.specialised else "#d5e2f0" for r in rows], edgecolors=BRAND, linewidths=0.6, zorder=2)
    named = profiles.named_domains(p, profiles.opportunities(p))
    for k, r in enumerate(rows):
        if k in named:
            ax.annotate(_short(r.label, 24), (pos[k, 0], pos[k, 1]), fontsize=6, ha="center",
                        xytext=(0, 5), textcoords="offset points")
    ax.set_axis_off()
    ax.set_aspect("equal")
    return figure_png(fig)


def trends_png(trends: profiles.Trends, value_label: str) -> bytes:
    fig = Figure(figsize=(7.5, 3.4))
    ax = fig.subplots()
    for t in trends.series:
        ax.plot(trends.years, t.values, marker="o", markersize=3, linewidth=1.5, label=_short(t.label, 36))
    ax.set_ylabel(value_label)
    ax.legend(fontsize=7, frameon=False, ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return figure_png(fig)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def context(p: profiles.Profile) -> dict:
    """What report.html shows."""
    trends = profiles.trends(p)
    opportunities = profiles.opportunities(p)
    return {
        "profile": p,
        "region": p.region,
        "scheme": p.scheme,
        "value_label": str(WEIGHTS[p.spec.weight]),
        "today": timezone.now().date(),
        "specialised": p.specialised[:TOP],
        "opportunities": opportunities[:TOP],
        "trends": trends,
        "peers": profiles.peers(p),
        "check": profiles.strategy_check(p),
        "images": {
            "specialisation": _data_uri(specialisation_png(p)),
            "scatter": _data_uri(scatter_png(p, opportunities)),
            "network": _data_uri(network_png(p)),
            "trends": _data_uri(trends_png(trends, str(WEIGHTS[p.spec.weight]))) if trends.series else "",
        },
    }


def _n(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def pdf(p: profiles.Profile) -> bytes:
    """The report as PDF bytes (starting with %PDF)."""
    trends = profiles.trends(p)
    region = p.region
    doc = Report(_("Smart specialisation profile of %(name)s (%(code)s)") % {"name": region.name_latn,
                                                                            "code": region.code},
                 subtitle=f"{p.scheme.label} · NUTS-{region.level} · {WEIGHTS[p.spec.weight]} · "
                          f"{timezone.now().date().isoformat()}")
    doc.key_values([
        (_("Domains with RCA ≥ 1"), f"{len(p.specialised)} / {len(p.domain_rows)}"),
        (_("Complexity (ECI)"), _("%(eci)s, %(rank)s of %(n)s regions") % {
            "eci": _n(p.eci), "rank": p.eci_rank, "n": p.region_count}),
        (_("Complexity outlook (COI)"), _n(p.coi)),
        (str(WEIGHTS[p.spec.weight]).capitalize(), f"{p.total:,.0f}"),
    ])
    doc.heading(_("Specialisation"))
    doc.paragraph(_("Revealed comparative advantage (RCA) in the domains where it is highest; above 1 the "
                    "region is specialised."))
    doc.image(specialisation_png(p), width=170)
    doc.heading(_("Diversification opportunities"))
    doc.paragraph(_("Domains the region is not specialised in, by relatedness density (ease) and complexity "
                    "(benefit), in the four quadrants of Balland et al. (2019)."))
    candidates = profiles.opportunities(p)
    doc.image(scatter_png(p, candidates), width=165)
    opportunities = candidates[:TOP]
    if opportunities:
        doc.table(["#", _("Domain"), _("Quadrant"), "RCA", _("Density"), "PCI"],
                  [(o.rank, _short(o.label, 60), o.quadrant_label, _n(o.rca), _n(o.density), _n(o.pci))
                   for o in opportunities],
                  widths=[8, 80, 40, 18, 18, 18], align_right=(0, 3, 4, 5))
    doc.heading(_("The domain space"))
    doc.image(network_png(p), width=150)
    doc.heading(_("Emerging domains"))
    if trends.series:
        doc.paragraph(trends.note)
        doc.image(trends_png(trends, str(WEIGHTS[p.spec.weight])), width=170)
        doc.table([_("Domain"), _("Growth a year"), "±", _("Acceleration"), _("Emerging")],
                  [(_short(t.label, 60), _n(t.growth, 3), _n(t.error, 3), _n(t.acceleration, 3),
                    _("yes") if t.emerging else "") for t in trends.rows],
                  widths=[90, 25, 20, 25, 22], align_right=(1, 2, 3))
    else:
        doc.paragraph(trends.note, italic=True)
    peers = profiles.peers(p)
    doc.heading(_("Peer regions"))
    if peers:
        doc.table(["#", _("Region"), _("Code"), _("Similarity")],
                  [(k, peer.name, peer.code, _n(peer.similarity)) for k, peer in enumerate(peers, start=1)],
                  widths=[10, 110, 30, 30], align_right=(0, 3))
    check = profiles.strategy_check(p)
    doc.heading(_("Declared S3 priorities"))
    if check.strategy is None:
        doc.paragraph(_("No S3 strategy of this region is loaded."), italic=True)
    else:
        doc.paragraph(check.strategy.title)
        doc.table([_("Priority"), "RCA", _("Density"), "PCI", _("Evidence")],
                  [(_short(c.title, 70), _n(c.rca), _n(c.density), _n(c.pci), c.evidence_label)
                   for c in check.priorities],
                  widths=[100, 18, 20, 18, 26], align_right=(1, 2, 3))
        if check.uncovered:
            doc.paragraph(_("Strong domains no priority covers: %(domains)s.") % {
                "domains": "; ".join(u.label for u in check.uncovered)})
    doc.paragraph(_("Method: Balland, Boschma, Crespo and Rigby (2019), Smart specialization policy in the "
                    "European Union, Regional Studies 53(9); Hidalgo and Hausmann (2009), PNAS 106."), italic=True)
    return doc.output()
