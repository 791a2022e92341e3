"""Dashboards, indicator pages, exports, the API, the commands and the demo framework."""

import io
import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ris3hub.cli import main
from ris3hub.indicators.models import Indicator as Statistic
from ris3hub.indicators.models import Observation
from ris3hub.monitoring.actions import do_define_indicator
from ris3hub.monitoring.compute import compute_all
from ris3hub.monitoring.dashboard import indicator_progress
from ris3hub.accounts.models import RoleAssignment
from ris3hub.monitoring.models import Indicator, IndicatorValue
from ris3hub.monitoring.reporting import do_open_round
from ris3hub.registry.models import ExternalId

pytestmark = pytest.mark.django_db

GDP = [(2015, 100), (2016, 104), (2017, 107), (2018, 112), (2019, 114), (2020, 109), (2021, 118), (2022, 121)]


@pytest.fixture
def framework(eco):
    gdp = Statistic.objects.create(code="gdp", dataset="gdp", label="GDP")
    Observation.objects.bulk_create([Observation(indicator=gdp, region_code=code, year=y, value=v * factor)
                                     for y, v in GDP for code, factor in (("ITH5", 1), ("ITH55", 1.2))])
    reachable = do_define_indicator(eco.strategy, "R1", "GDP per inhabitant", unit="PPS", kind="result",
                                    query="observations", query_params={"indicator": "gdp"},
                                    baseline_value=109, baseline_year=2020, target_value=130, target_year=2027)
    hopeless = do_define_indicator(eco.strategy, "R2", "GDP, ambitious", unit="PPS", kind="result",
                                   query="observations", query_params={"indicator": "gdp"},
                                   baseline_value=109, baseline_year=2020, target_value=300, target_year=2027)
    funding = do_define_indicator(eco.strategy, "T06-O1", "EU funding to ICT", unit="EUR", priority=eco.t06,
                                  query="eu_funding")
    compute_all(eco.strategy)
    return reachable, hopeless, funding


def test_progress_and_projection(framework):
    reachable, hopeless, funding = framework
    on_track = indicator_progress(reachable)
    assert on_track.status == "on_track" and on_track.projection.probability > 0.5
    assert on_track.share_done == pytest.approx((121 - 109) / (130 - 109))
    assert [str(p) for p in on_track.series.periods] == [str(y) for y, _ in GDP]
    assert [s.region.code for s in on_track.regions] == ["ITH55"]
    out = indicator_progress(hopeless)
    assert out.status == "out_of_reach" and out.out_of_reach and out.projection.beyond_interval
    assert indicator_progress(funding).status == "no_target"


def test_dashboard_by_priority_and_region(eco, client, framework):
    page = client.get(reverse("monitoring:dashboard", args=[eco.strategy.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "GDP per inhabitant" in html and "Digitalisation" in html
    assert "target out of reach" in html and "on track" in html
    assert 'data-figure="indicator-' in html and "<script>" not in html.replace('<script type="application/json"', "")
    only = client.get(reverse("monitoring:dashboard", args=[eco.strategy.pk]), {"priority": "T06"}).content.decode()
    assert "EU funding to ICT" in only and "GDP per inhabitant" not in only
    province = client.get(reverse("monitoring:dashboard", args=[eco.strategy.pk]), {"region": "ITH55"})
    assert "without a target or projection" in province.content.decode()
    assert client.get(reverse("monitoring:dashboard", args=[eco.strategy.pk]), {"region": "ITC4"}).status_code == 404
    assert client.get(reverse("monitoring:dashboard", args=[eco.strategy.pk]), {"priority": "X"}).status_code == 404


def test_indicator_page(client, framework):
    reachable = framework[0]
    html = client.get(reverse("monitoring:indicator", args=[reachable.pk])).content.decode()
    assert "History of the values" in html and "indicator-regions" in html and "nine times out of ten" in html


def test_xlsx_export_opens(eco, client, framework):
    response = client.get(reverse("monitoring:export_xlsx", args=[eco.strategy.pk]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Indicators", "Values", "source"]
    rows = list(wb["Indicators"].iter_rows(values_only=True))
    by_code = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by_code["R1"]["latest_value"] == 121 and by_code["R1"]["status"] == "on track"
    assert by_code["R2"]["status"] == "target out of reach"
    assert 0 <= by_code["R2"]["probability_of_reaching"] < 0.05
    values = list(wb["Values"].iter_rows(values_only=True))
    assert ("R1", "GDP per inhabitant", "ITH55", "ITH55", "2022", pytest.approx(145.2), "computed") in [
        v[:7] for v in values]
    assert "CORDIS" in wb["source"]["A2"].value


def test_pdf_export(eco, client, framework):
    response = client.get(reverse("monitoring:export_pdf", args=[eco.strategy.pk]), {"priority": "T06"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000
    full = client.get(reverse("monitoring:export_pdf", args=[eco.strategy.pk])).content
    assert len(full) > len(response.content)  # the charts of the GDP indicators


def test_api(eco, client, framework):
    rows = client.get(f"/api/monitoring/strategies/{eco.strategy.pk}/indicators").json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["R2"]["status"] == "out_of_reach" and by_code["R2"]["projection"]["out_of_reach"]
    assert by_code["T06-O1"]["priority"] == "T06" and by_code["T06-O1"]["projection"] is None
    values = client.get(f"/api/monitoring/indicators/{framework[0].pk}/values", {"region": "ith5"}).json()
    assert values[-1] == {"region": "ITH5", "period": "2022", "value": 121.0, "source": "computed"}
    assert client.get("/api/monitoring/strategies/999/indicators").json()["ok"] is False
    schema = client.get("/api/schema").json()["paths"]
    mine = {path: ops for path, ops in schema.items() if path.startswith("/api/monitoring/")}
    assert len(mine) == 3
    for path, ops in mine.items():
        assert ops["get"]["summary"] and {"200", "422"} <= set(ops["get"]["responses"]), path
    names = [q["name"] for q in client.get("/api/monitoring/queries").json()]
    assert {"projects", "eu_funding", "research_contracts", "new_members", "meetings_held"} <= set(names)


def test_compute_command_prints_values(eco, framework, capsys):
    assert main(["indicators", "compute", "--strategy", str(eco.strategy.pk)]) == 0
    out = capsys.readouterr().out
    assert "R1  GDP per inhabitant [PPS]" in out and "0 created, 0 updated, 0 deleted, 16 unchanged" in out
    assert "  ITH55  2022" in out
    assert main(["indicators", "compute", "--strategy", "999"]) == 1


def test_reporting_commands(eco, capsys):
    round = do_open_round("R", eco.network, eco.coordinator, "2025", [{"name": "a", "label": "A", "type": "int"}],
                          date.today() + timedelta(days=1))
    assert main(["reporting", "remind", "--dry-run", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert {(d["organisation"], d["kind"]) for d in due} == {("CIRI ICT", "1d"), ("InterMech", "1d")}
    assert main(["reporting", "remind"]) == 0
    assert "sent: 1d" in capsys.readouterr().out
    assert main(["reporting", "remind"]) == 0
    assert "no reminder is due" in capsys.readouterr().out
    assert round.submissions.filter(reminders__kind="1d").count() == 2


def test_demo_framework_is_idempotent(eco):
    from ris3hub.monitoring.demo import build_demo_monitoring

    ExternalId.objects.create(organisation=eco.network, source="registry", value="rete-alta-tecnologia")
    ExternalId.objects.create(organisation=eco.lab, source="registry", value="ciri-ict")
    strategy = build_demo_monitoring(progress=False)
    assert strategy == eco.strategy
    codes = set(Indicator.objects.filter(strategy=strategy).values_list("code", flat=True))
    assert {"O1", "O4", "R3", "T06-O1"} <= codes and "T13-O1" in codes
    values = IndicatorValue.objects.count()
    round = strategy.reporting_rounds.get()
    assert list(round.submissions.values_list("organisation__name", flat=True)) == ["CIRI ICT", "InterMech"]
    assert RoleAssignment.objects.filter(user__username="ciri-ict", organisation=eco.lab, role="editor").exists()
    assert RoleAssignment.objects.filter(user__username="coordinator", organisation=eco.network,
                                         role="coordinator").exists()
    build_demo_monitoring(progress=False)
    assert IndicatorValue.objects.count() == values and strategy.reporting_rounds.count() == 1


def test_admin_pages(eco, framework, client, as_user, open_round):
    from django.apps import apps
    from django.contrib import admin

    from ris3hub.monitoring.actions import do_create_objective
    from ris3hub.monitoring.reporting import do_save_values, send_reminders

    do_create_objective(eco.strategy, "OB1", "Grow", priority=eco.t06)
    do_save_values(open_round.submissions.first(), {"contracts": 1}, eco.member)
    send_reminders(open_round.deadline)
    eco.coordinator.is_staff = eco.coordinator.is_superuser = True
    eco.coordinator.save()
    staff = as_user(eco.coordinator)
    read_only = {"indicatorvaluechange", "submissionversion", "remindersent", "reportsubmission"}
    for model in apps.get_app_config("monitoring").get_models():
        model_admin = admin.site._registry[model]
        assert model_admin.list_display != ("__str__",) and model_admin.search_fields, model
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:%s_%s_changelist" % info)
        assert staff.get(changelist, {"q": "bologna"}).status_code == 200, changelist
        add = staff.get(reverse("admin:%s_%s_add" % info)).status_code
        assert add == (403 if info[1] in read_only else 200), info
        obj = model.objects.first()
        assert obj is not None, model
        assert staff.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200, info
    # Computing from the indicator list.
    response = staff.post(reverse("admin:monitoring_indicator_changelist"),
                          {"action": "compute", "_selected_action": [framework[0].pk]}, follow=True)
    assert "R1: 0 created, 0 updated, 0 deleted, 16 unchanged" in response.content.decode()


def test_a_value_entered_in_the_admin_is_a_manual_value_with_history(eco, as_user):
    from ris3hub.monitoring.models import IndicatorValueChange

    indicator = do_define_indicator(eco.strategy, "M1", "Hand-made", unit="u", method="manual", query="")
    eco.coordinator.is_staff = eco.coordinator.is_superuser = True
    eco.coordinator.save()
    response = as_user(eco.coordinator).post(reverse("admin:monitoring_indicatorvalue_add"), {
        "indicator": indicator.pk, "region": eco.regions["ITH5"].pk, "period": "2024", "value": "12.5"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert (value.value, value.source, value.updated_by) == (12.5, "manual", eco.coordinator)
    assert IndicatorValueChange.objects.get(indicator=indicator).by == eco.coordinator
