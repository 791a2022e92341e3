"""An indicator computed from the registry equals the same number computed from the source file.

"EU contribution to participants in Emilia-Romagna (ITH5) in H2020 grants signed in 2021": the sum of
eu_contribution over the rows of the CORDIS H2020 dashboard file whose nuts_3_code starts with ITH5,
read with pandas, against the IndicatorValue computed after importing that file.
"""

import csv
import json
from decimal import Decimal

import pandas as pd
import pytest

from ris3hub.cli import main
from ris3hub.core.loading import run_import
from ris3hub.monitoring.actions import do_define_indicator
from ris3hub.monitoring.compute import compute_indicator
from ris3hub.monitoring.models import IndicatorValue
from ris3hub.regions.models import NutsChange, Region
from ris3hub.strategies.models import Strategy

pytestmark = pytest.mark.django_db

DASHBOARD = "cordis/h2020-dashboard-participations-2021.csv"
LEVELS = {"country": 0, "nuts_level_1": 1, "nuts_level_2": 2, "nuts_level_3": 3}


@pytest.fixture
def nuts(shared_data):
    """NUTS 2016 and 2021 codes with their levels, and the 2016 -> 2021 recodings (rOpenGov tables)."""
    with open(shared_data / "nuts/all_valid_nuts_codes.csv", encoding="utf-8") as fh:
        regions = [Region(version=int(r["nuts"][5:]), code=r["geo"], level=LEVELS[r["typology"]], country=r["geo"][:2],
                          name_latn=r["geo"]) for r in csv.DictReader(fh)
                   if r["nuts"] in ("code_2016", "code_2021") and r["typology"] in LEVELS]
    Region.objects.bulk_create(regions)
    with open(shared_data / "nuts/nuts_changes.csv", encoding="utf-8") as fh:
        NutsChange.objects.bulk_create([
            NutsChange(from_version=2016, from_code=r["code_2016"], to_version=2021, to_code=r["code_2021"])
            for r in csv.DictReader(fh) if r["code_2016"] and r["code_2021"] and r["code_2016"] != r["code_2021"]])


def from_the_file(shared_data, prefix: str) -> Decimal:
    rows = pd.read_csv(shared_data / DASHBOARD, dtype=str)
    rows = rows[rows["nuts_3_code"].fillna("").str.startswith(prefix)
                & (pd.to_datetime(rows["signature_date"], format="%d/%m/%Y").dt.year == 2021)]
    return sum((Decimal(v) for v in rows["eu_contribution"]), Decimal(0))


def test_eu_contribution_in_emilia_romagna_equals_the_source_file(shared_data, nuts, capsys):
    report = run_import("cordis", [shared_data / DASHBOARD], progress=False)
    assert report.ok, report.summary_lines()
    strategy = Strategy.objects.create(region=Region.objects.get(version=2021, code="ITH5"), period="2021-2027",
                                       title="Emilia-Romagna S3")
    indicator = do_define_indicator(
        strategy, "O1", "EU contribution to participants in Emilia-Romagna in H2020 grants signed in 2021",
        unit="EUR", query="eu_funding", query_params={"framework": "H2020", "date": "signature"})
    compute_indicator(indicator)

    expected = from_the_file(shared_data, "ITH5")
    assert expected == Decimal("5187953.26")
    stored = IndicatorValue.objects.get(indicator=indicator, region__code="ITH5", period="2021")
    assert stored.value == expected
    # Each province too.
    for region in Region.objects.filter(version=2021, level=3, code__startswith="ITH5"):
        value = IndicatorValue.objects.filter(indicator=indicator, region=region, period="2021").first()
        assert (value.value if value else Decimal(0)) == from_the_file(shared_data, region.code), region.code

    # The command prints the same number.
    assert main(["indicators", "compute", "--strategy", str(strategy.pk), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {(v["region"], v["period"]): v["value"] for v in printed[0]["values"]}[("ITH5", "2021")] == 5187953.26
    assert printed[0]["counts"] == {"created": 0, "updated": 0, "unchanged": 8, "deleted": 0, "kept_manual": 0}
