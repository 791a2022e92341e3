"""The S3 profile of a region (/regions/<code>/s3/), its CSV downloads and its printable report."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ris3hub import conf
from ris3hub.analytics import charts, report, tables
from ris3hub.analytics import profile as profiles
from ris3hub.analytics.forms import DomainForm, MatrixForm
from ris3hub.analytics.matrices import SCHEMES, WEIGHTS
from ris3hub.analytics.measures import NotEnoughData
from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver

TOP_OPPORTUNITIES = 15
BARS = 40  # domains in the specialisation chart, highest RCA first


class ProfileMixin:
    """Finds the region and the matrix the query asks for."""

    def dispatch(self, request, *args, **kwargs):
        code = kwargs["code"].upper()
        region = profiles.region_for(code)
        if region is None:
            if not Region.objects.filter(code=code).exists():
                raise Http404(f"{code} is not a NUTS code")
            try:
                pk = RegionResolver(conf.nuts_version()).resolve(code)
            except ValueError as error:
                raise Http404(str(error)) from error
            target = Region.objects.get(pk=pk)
            url = reverse(request.resolver_match.view_name, args=[target.code])
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
        self.region = region
        self.schemes = profiles.available_schemes()
        self.form = MatrixForm(MatrixForm.with_defaults(request.GET, self.schemes), self.schemes)
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> tuple[profiles.Profile | None, str]:
        """The profile, or None and the reason it cannot be computed."""
        if not self.schemes:
            return None, _("No data to compute an S3 profile from: import CORDIS participations with NUTS "
                           "regions or EURITO indicator files.")
        try:
            return profiles.build(self.region, self.form.spec(self.region.level)), ""
        except (profiles.NoData, NotEnoughData) as error:
            return None, str(error)

    def query(self, **changes) -> str:
        params = self.request.GET.copy()
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()


class ProfileView(ProfileMixin, TemplateView):
    template_name = "analytics/profile.html"

    def get(self, request, *args, **kwargs):
        p, reason = self.load()
        download = request.GET.get("download")
        if download:
            if p is None:
                raise Http404(reason)
            return self.download(p, download)
        return self.render_to_response(self.get_context_data(profile=p, reason=reason))

    def map_domain(self, p: profiles.Profile) -> tuple[str, DomainForm]:
        choices = sorted(zip(p.space.domains, p.space.labels), key=lambda c: c[1].lower())
        form = DomainForm(self.request.GET or None, choices)
        chosen = form.cleaned_data.get("domain") if form.is_valid() else None
        if not chosen:
            best = max(p.domain_rows, key=lambda r: (r.rca, r.value))
            chosen = best.domain
            form = DomainForm({"domain": chosen}, choices)
            form.is_valid()
        return chosen, form

    def download(self, p: profiles.Profile, name: str) -> HttpResponse:
        filename = f"ris3hub-s3-{p.region.code}-{p.spec.scheme}"
        if name == "map":
            domain, _form = self.map_domain(p)
            return tables.csv_response(name, tables.domain_map(p, domain), filename)
        if name not in tables.TABLES:
            raise Http404(f"no chart '{name}'; the charts are {', '.join([*tables.TABLES, 'map'])}")
        return tables.csv_response(name, tables.TABLES[name](p), filename)

    def get_context_data(self, profile=None, reason="", **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.region
        context.update(region=region, form=self.form, reason=reason, profile=profile, schemes=self.schemes)
        if profile is None:
            return context
        p = profile
        value_label = str(WEIGHTS[p.spec.weight])
        domain, domain_form = self.map_domain(p)
        opportunities = profiles.opportunities(p)
        trends = profiles.trends(p)
        peers = profiles.peers(p)
        check = profiles.strategy_check(p)
        bars = sorted(p.domain_rows, key=lambda r: -r.rca)[:BARS]
        context.update(
            scheme=SCHEMES[p.spec.scheme], value_label=value_label, domain_form=domain_form,
            map_domain=domain, map_domain_label=p.space.label(domain),
            opportunities=opportunities[:TOP_OPPORTUNITIES], opportunity_count=len(opportunities),
            trends=trends, peers=peers, check=check,
            downloads={name: "?" + self.query(download=name) for name in [*tables.TABLES, "map"]},
            report_url=reverse("analytics:report", args=[region.code]) + "?" + self.query(),
            pdf_url=reverse("analytics:report_pdf", args=[region.code]) + "?" + self.query(),
            bars_shown=len(bars), specialisation_figure=charts.specialisation_bars(
                [r.label for r in bars], [r.rca for r in bars], [r.value for r in bars], value_label=value_label),
            gdp=profiles.own_gdp(p),
            scatter_figure=charts.opportunity_scatter(
                profiles.scatter_points(p, opportunities), x_split=profiles.split_density(p, opportunities),
                y_split=profiles.split_complexity(p, opportunities),
                quadrant_names={k: str(v) for k, v in profiles.QUADRANTS.items()},
                specialised_name=_("Specialised already (RCA ≥ 1)"), x_title=_("Relatedness density"),
                y_title=_("Complexity (PCI)")),
            network_figure=charts.domain_network(
                p.space.labels, *profiles.network_layout(p), [r.rca for r in p.domain_rows],
                [r.value for r in p.domain_rows], named=profiles.named_domains(p, opportunities),
                specialised_name=_("Specialised (RCA ≥ 1)"), other_name=_("Not specialised")),
            map_figure=profiles.map_figure(p, domain, self.query(domain=domain)),
            trend_figure=charts.trend_lines(trends.years, [(t.label, t.values) for t in trends.series],
                                            y_title=value_label) if trends.series else None,
            peer_figure=charts.peer_heatmap(*profiles.peer_matrix(p, peers)) if peers else None,
        )
        return context


class ReportView(ProfileMixin, TemplateView):
    """The printable report: the profile's key tables and charts on one page (print CSS)."""

    template_name = "analytics/report.html"

    def get(self, request, *args, **kwargs):
        p, reason = self.load()
        if p is None:
            raise Http404(reason)
        return self.render_to_response(self.get_context_data(**report.context(p)))


class ReportPdfView(ProfileMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        p, reason = self.load()
        if p is None:
            raise Http404(reason)
        response = HttpResponse(report.pdf(p), content_type="application/pdf")
        response["Content-Disposition"] = (f'inline; filename="ris3hub-s3-{p.region.code}-{p.spec.scheme}.pdf"')
        return response
