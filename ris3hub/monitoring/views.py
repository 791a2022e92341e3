"""Monitoring pages: strategy dashboards and exports, indicator pages, reporting rounds and reports.

Dashboards are public, as S3 monitoring reports are; reporting pages ask ris3hub.monitoring.permissions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ris3hub.core.locking import save_through
from ris3hub.monitoring import charts, permissions
from ris3hub.monitoring.compute import scope_regions
from ris3hub.monitoring.dashboard import indicator_progress, strategy_progress
from ris3hub.monitoring.exports import XLSX_TYPE, dashboard_pdf, dashboard_xlsx
from ris3hub.monitoring.forms import (
    FieldDefinitionFormSet,
    RequestChangesForm,
    RoundForm,
    SubmissionForm,
    UploadForm,
)
from ris3hub.monitoring.models import Indicator, IndicatorValueChange, ReportingRound, ReportSubmission
from ris3hub.monitoring.reporting import (
    do_approve,
    do_open_round,
    do_request_changes,
    do_save_values,
    do_submit,
    round_fields,
)
from ris3hub.monitoring.uploads import UploadRejected, build_template, do_upload, template_filename
from ris3hub.strategies.models import Strategy


def home(request):
    strategies = (Strategy.objects.select_related("region")
                  .annotate(n_indicators=Count("monitoring_indicators", distinct=True),
                            n_priorities=Count("priorities", distinct=True))
                  .order_by("-n_indicators", "region__code", "period"))
    rounds = permissions.rounds_visible_to(request.user).select_related("network").order_by("-deadline")[:20]
    return render(request, "monitoring/home.html", {
        "strategies": strategies, "rounds": rounds, "can_open_round": permissions.can_open_round(request.user),
    })


# ---- dashboards


def _dashboard_filters(request, strategy: Strategy):
    regions = scope_regions(strategy)
    code = request.GET.get("region") or regions[0].code
    region = next((r for r in regions if r.code == code), None)
    if region is None:
        raise Http404(f"{code} is not {strategy.region.code} or a region below it")
    priority = None
    if request.GET.get("priority"):
        priority = strategy.priorities.filter(code=request.GET["priority"]).first()
        if priority is None:
            raise Http404(f"{strategy} has no priority {request.GET['priority']}")
    return regions, region, priority


def strategy_dashboard(request, pk: int):
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=pk)
    regions, region, priority = _dashboard_filters(request, strategy)
    groups = strategy_progress(strategy, region=None if region == regions[0] else region, priority=priority)
    cards = []
    for group in groups:
        items = []
        for item in group.items:
            items.append({"progress": item, "figure": charts.progress_figure(item) if item.series.periods else None,
                          "figure_id": f"indicator-{item.indicator.pk}"})
        cards.append({"priority": group.priority, "items": items})
    all_items = [item for group in groups for item in group.items]
    summary = {
        "indicators": len(all_items),
        "out_of_reach": sum(1 for i in all_items if i.out_of_reach),
        "on_track": sum(1 for i in all_items if i.status in ("on_track", "reached")),
        "no_data": sum(1 for i in all_items if not i.series.periods),
    }
    query = request.GET.urlencode()
    return render(request, "monitoring/dashboard.html", {
        "strategy": strategy, "regions": regions, "region": region, "priority": priority,
        "priorities": strategy.priorities.filter(monitoring_indicators__isnull=False).distinct(),
        "groups": cards, "summary": summary, "query": f"?{query}" if query else "",
        "is_strategy_region": region == regions[0],
    })


def _export_name(strategy: Strategy, suffix: str) -> str:
    return f"monitoring-{slugify(strategy.region.code)}-{strategy.period}.{suffix}"


def export_xlsx(request, pk: int):
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=pk)
    regions, region, priority = _dashboard_filters(request, strategy)
    groups = strategy_progress(strategy, region=None if region == regions[0] else region, priority=priority)
    response = HttpResponse(dashboard_xlsx(strategy, groups), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_export_name(strategy, "xlsx")}"'
    return response


def export_pdf(request, pk: int):
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=pk)
    regions, region, priority = _dashboard_filters(request, strategy)
    groups = strategy_progress(strategy, region=None if region == regions[0] else region, priority=priority)
    response = HttpResponse(dashboard_pdf(strategy, groups, f"{region.name_latn} ({region.code})"),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(strategy, "pdf")}"'
    return response


def indicator_detail(request, pk: int):
    indicator = get_object_or_404(
        Indicator.objects.select_related("strategy__region", "priority", "objective", "responsible"), pk=pk)
    progress = indicator_progress(indicator)
    periods = sorted({p for s in [progress.series, *progress.regions] for p in s.periods}, key=lambda p: p.time)
    table = []
    for series in [progress.series, *progress.regions]:
        by_period = dict(zip(series.periods, series.values))
        table.append({"region": series.region, "values": [by_period.get(p) for p in periods]})
    changes = IndicatorValueChange.objects.filter(indicator=indicator)
    return render(request, "monitoring/indicator.html", {
        "indicator": indicator, "progress": progress, "periods": periods, "table": table,
        "changes": changes.select_related("region", "by").order_by("-at", "-pk")[:50],
        "change_count": changes.count(),
        "figure": charts.progress_figure(progress, height=340) if progress.series.periods else None,
        "regions_figure": charts.regions_figure(progress) if progress.regions else None,
    })


# ---- reporting rounds


@permissions.login_required
def round_list(request):
    rounds = (permissions.rounds_visible_to(request.user).select_related("network", "coordinator")
              .annotate(n=Count("submissions", distinct=True),
                        n_done=Count("submissions", filter=Q(submissions__status__in=["submitted", "approved"]),
                                     distinct=True)))
    return render(request, "monitoring/round_list.html", {
        "rounds": rounds, "can_open_round": permissions.can_open_round(request.user),
    })


@permissions.login_required
def round_new(request):
    networks = permissions.networks_user_may_open_rounds_for(request.user)
    if not networks.exists():
        raise PermissionDenied("you may not open a reporting round: no network is yours to coordinate")
    form = RoundForm(request.POST or None, networks=networks)
    fields = FieldDefinitionFormSet(request.POST or None, prefix="fields")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and fields.is_valid():
        definition = [d for d in (f.definition() for f in fields.forms) if d is not None]
        data = form.cleaned_data
        try:
            round = do_open_round(data["title"], data["network"], request.user, data["period"], definition,
                                  data["deadline"], strategy=data["strategy"], reminder_days=data["reminder_days"])
        except ValidationError as exc:
            for field, reasons in exc.message_dict.items():
                if field in form.fields:
                    form.add_error(field, reasons)
                else:
                    problems += reasons
        else:
            messages.success(request, _("The round is open: %(n)d organisations have a report to fill in.")
                             % {"n": round.submissions.count()})
            return redirect(round)
    return render(request, "monitoring/round_new.html", {"form": form, "fields": fields, "problems": problems})


def _member_submissions(user, round: ReportingRound):
    return (round.submissions.filter(organisation_id__in=permissions.linked_organisation_ids(user))
            .select_related("organisation", "round"))


@permissions.login_required
def round_detail(request, pk: int):
    round = get_object_or_404(ReportingRound.objects.select_related("network", "coordinator", "strategy"), pk=pk)
    coordinator = permissions.is_coordinator(request.user, round)
    reads_all = coordinator or permissions.roles.is_analyst(request.user)
    own = list(_member_submissions(request.user, round))
    if not reads_all:
        if not own:
            raise PermissionDenied("you neither coordinate this round nor report in it")
        if len(own) == 1:
            return redirect(own[0])
    submissions = round.submissions.select_related("organisation") if reads_all else own
    counts = {status: 0 for status in ReportSubmission.Status.values}
    for s in submissions:
        counts[s.status] += 1
    return render(request, "monitoring/round_detail.html", {
        "round": round, "submissions": submissions, "coordinator": coordinator, "fields": round_fields(round),
        "counts": [(ReportSubmission.Status(k).label, v) for k, v in counts.items()],
    })


@permissions.login_required
def round_template(request, pk: int):
    round = get_object_or_404(ReportingRound, pk=pk)
    if permissions.is_coordinator(request.user, round):
        submissions = round.submissions.select_related("organisation")
    else:
        submissions = _member_submissions(request.user, round)
        if not submissions:
            raise PermissionDenied("you neither coordinate this round nor report in it")
    response = HttpResponse(build_template(round, submissions), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(round)}"'
    return response


def _submission_context(request, submission: ReportSubmission, **extra):
    specs = round_fields(submission.round)
    member = permissions.is_member(request.user, submission)
    coordinator = permissions.is_coordinator(request.user, submission.round)
    fillable = member and submission.editable
    context = {
        "submission": submission, "round": submission.round, "specs": specs,
        "rows": [(spec, submission.values.get(spec.name)) for spec in specs],
        "member": member, "coordinator": coordinator, "fillable": fillable,
        "versions": submission.versions.select_related("by").order_by("-number"),
        "can_review": coordinator and submission.status == ReportSubmission.Status.SUBMITTED,
    }
    if fillable and "form" not in extra:
        context["form"] = SubmissionForm(initial=submission.values, specs=specs, record=submission)
    if fillable and "upload_form" not in extra:
        context["upload_form"] = UploadForm()
    if context["can_review"] and "changes_form" not in extra:
        context["changes_form"] = RequestChangesForm()
    context.update(extra)
    return context


@permissions.submission_viewer_required
def submission_detail(request, submission: ReportSubmission):
    if request.method == "POST":
        if not permissions.can_fill(request.user, submission):
            raise PermissionDenied("this report cannot be changed now")
        submitting = "submit" in request.POST
        form = SubmissionForm(request.POST, specs=round_fields(submission.round), complete=submitting,
                              record=submission)
        if form.is_valid():
            def save():
                do_save_values(submission, form.values, request.user)
                if submitting:
                    do_submit(submission, request.user)

            try:
                saved = save_through(form, save)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if saved:  # refused when someone saved the report since this page was loaded: nothing overwritten
                    messages.success(request, _("Report submitted to the coordinator.") if submitting
                                     else _("Draft saved."))
                    return redirect(submission)
        return render(request, "monitoring/submission.html", _submission_context(request, submission, form=form),
                      status=409 if form.is_stale else 400)
    return render(request, "monitoring/submission.html", _submission_context(request, submission))


@permissions.submission_viewer_required
def submission_upload(request, submission: ReportSubmission):
    if request.method != "POST":  # a reload of the page that listed an upload's problems
        return redirect(submission)
    if not permissions.can_fill(request.user, submission):
        raise PermissionDenied("this report cannot be changed now")
    form = UploadForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        allowed = {s.organisation_id: s for s in _member_submissions(request.user, submission.round)}
        try:
            data = upload.read()
            changed = do_upload(submission.round, upload.name, data, request.user, allowed)
        except UploadRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Spreadsheet read: %(n)d report(s) saved as draft. Check the values and "
                                        "submit.") % {"n": len(changed)})
            return redirect(submission)
    return render(request, "monitoring/submission.html",
                  _submission_context(request, submission, upload_form=form, upload_errors=errors), status=400)


@require_POST
@permissions.submission_viewer_required
def submission_review(request, submission: ReportSubmission):
    if not permissions.is_coordinator(request.user, submission.round):
        raise PermissionDenied("only the coordinator of the round reviews its reports")
    action = request.POST.get("action")
    if action == "approve":
        try:
            do_approve(submission, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Report approved."))
        return redirect(submission)
    if action == "request_changes":
        form = RequestChangesForm(request.POST)
        if form.is_valid():
            try:
                do_request_changes(submission, request.user, form.cleaned_data["message"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The report was sent back with your message."))
            return redirect(submission)
        return render(request, "monitoring/submission.html",
                      _submission_context(request, submission, changes_form=form), status=400)
    raise Http404(f"unknown review action '{action}'")
