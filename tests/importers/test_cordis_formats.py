"""Recognising CORDIS files and reading their values, without a database."""

from decimal import Decimal
from pathlib import Path

import pytest

from ris3hub.importers import cordis_formats as F
from ris3hub.importers.base import RowError
from ris3hub.importers.cordis import (
    parent_programme_code, parse_amount, read_cordis, read_cordis_csv, recognise, role_of, topic_framework,
)

FIXTURES = Path(__file__).parent / "fixtures" / "cordis" / "official"
OFFICIAL = {"project.csv": F.PROJECT_CSV, "organization.csv": F.ORGANIZATION_CSV, "euroSciVoc.csv": F.EUROSCIVOC,
            "topics.csv": F.TOPICS, "legalBasis.csv": F.LEGAL_BASIS}
SHARED = {
    "cordis/h2020-dashboard-participations-2021.csv": F.DASHBOARD,
    "cordis/h2020-fp7-participations-2014.csv": F.PARTICIPATIONS_2014,
    "cordis/h2020-organisations-2017.csv": F.ORGANISATIONS_2017,
    "cordis/h2020-projects.xlsx": F.H2020_PROJECTS,
    "cordis/fp7-projects.xlsx": F.FP7_PROJECTS,
    "cordis/horizon-europe-project-euroscivoc.xlsx": F.EUROSCIVOC,
    "cordis/horizon-europe-project-topics.xlsx": F.TOPICS,
    "cordis/cordisref-H2020programmes.csv": F.REF_PROGRAMMES,
    "cordis/cordisref-H2020topics.csv": F.REF_TOPICS,
    "cordis/cordisref-organizationActivityType.csv": F.REF_ACTIVITY_TYPES,
    "cordis/cordisref-sicCode.csv": F.REF_SIC_CODES,
}


@pytest.mark.parametrize("name", sorted(SHARED))
def test_every_shared_cordis_file_is_recognised(shared_data, name):
    assert recognise(shared_data / name) is SHARED[name]


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_the_official_download_files_are_recognised(name):
    assert recognise(FIXTURES / name) is OFFICIAL[name]


def test_the_official_organization_header_is_the_published_one():
    header = (FIXTURES / "organization.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.startswith("projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;")


def test_a_header_of_no_known_format_lists_the_formats():
    with pytest.raises(F.UnknownFormat) as exc:
        F.recognise_csv_header("code,level,name")
    message = str(exc.value)
    assert message.startswith("not a CORDIS file: header 'code,level,name' matches none of:")
    assert "H2020 dashboard participation export" in message and "CORDIS organization.csv" in message


def test_a_header_with_the_wrong_delimiter_says_which_one_is_expected(shared_data):
    header = F.first_line(shared_data / "cordis/h2020-dashboard-participations-2021.csv").replace(",", ";")
    with pytest.raises(F.UnknownFormat, match="semicolon-separated, but a H2020 dashboard participation export is "
                                              "comma-separated"):
        F.recognise_csv_header(header)


@pytest.mark.parametrize("text, value", [
    ("2500000", Decimal("2500000")), ("7734755.29", Decimal("7734755.29")), ("1234567,8", Decimal("1234567.8")),
    ("1.234.567,80", Decimal("1234567.80")), ("1,234,567.80", Decimal("1234567.80")), (92361.25, Decimal("92361.25")),
    ("-", None), ("NA", None), ("", None), (None, None),
])
def test_amounts_as_cordis_publishes_them(text, value):
    assert parse_amount(text) == value


def test_an_amount_that_is_not_a_number_says_so():
    with pytest.raises(ValueError, match="'12 EUR' is not an amount"):
        parse_amount("12 EUR")


@pytest.mark.parametrize("code, parent", [
    ("H2020-EU.3.4.7.1", "H2020-EU.3.4.7"), ("H2020-EU.3.4.7.1.", "H2020-EU.3.4.7."), ("H2020-EU.3.", "H2020-EC"),
    ("H2020-Euratom-1.1.", "H2020-Euratom-1."), ("H2020-Euratom-1.", "H2020-Euratom"), ("H2020-Euratom", "H2020"),
    ("HORIZON.2.5", "HORIZON.2"), ("HORIZON.2", "HORIZON"), ("FP7-ICT", "FP7"), ("H2020", None),
])
def test_programme_codes_nest(code, parent):
    assert parent_programme_code(code) == parent


def test_the_framework_of_a_topic_follows_its_code():
    assert topic_framework("HORIZON-CL5-2021-D3-01-01") == "HORIZON"
    assert topic_framework("ERC-2021-STG") == "HORIZON"
    assert topic_framework("ERC-2020-STG") == ""
    assert topic_framework("FP7-PEOPLE-2010-IOF") == "FP7"


def test_roles_from_the_role_and_partner_type_columns():
    assert role_of("COORDINATOR", "BENEFICIARY") == "coordinator"
    assert role_of("PARTICIPANT", "THIRDPARTY") == "third_party"
    assert role_of("thirdParty") == "third_party"
    assert role_of("associatedPartner") == "associated"
    with pytest.raises(ValueError, match="'observer' is not a participant role"):
        role_of("observer")


def test_loose_quotes_line_breaks_and_delimiters_inside_fields(tmp_path):
    path = tmp_path / "organisations.csv"
    path.write_text('"orgId";"name";"street"\n"1";"ASSOCIATION "NCSA"";"STR; 25\nSOFIA"\n"2";"A ""B"" C";x\n',
                    encoding="utf-8")
    rows = list(read_cordis_csv(path, ";"))
    assert rows == [(2, {"orgId": "1", "name": 'ASSOCIATION "NCSA"', "street": "STR; 25\nSOFIA"}),
                    (4, {"orgId": "2", "name": 'A "B" C', "street": "x"})]


def test_a_file_cut_inside_a_quoted_field_names_the_line(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text('a;b\n1;2\n3;"unfinished\n', encoding="utf-8")
    rows = list(read_cordis_csv(path, ";"))
    assert rows[0] == (2, {"a": "1", "b": "2"})
    assert isinstance(rows[1], RowError) and rows[1].line == 3 and "not closed" in rows[1].reason


def test_the_real_2017_list_reads_completely_and_has_one_row_per_pic(shared_data):
    rows = list(read_cordis(shared_data / "cordis/h2020-organisations-2017.csv", F.ORGANISATIONS_2017))
    assert not [r for r in rows if isinstance(r, RowError)]
    pics = [r.data["organisation"].get("pic") for r in rows]
    assert len(rows) == 16592
    assert len(set(pics) - {None}) == 16591  # one row (KAYSER ITALIA SRL) has no orgId
    names = {r.data["organisation"].get("name") for r in rows}
    assert 'ASSOCIATION "NATIONAL CENTRE FOR SUPERCOMPUTING APPLICATIONS"' in names


def test_a_withheld_name_is_no_name(shared_data):
    rows = [r for r in read_cordis(shared_data / "cordis/h2020-organisations-2017.csv", F.ORGANISATIONS_2017)
            if r.data["organisation"].get("pic") == "993894011"]
    assert "name" not in rows[0].data["organisation"]


def test_conflicting_project_data_in_one_file_names_both_lines(tmp_path, shared_data):
    lines = (shared_data / "cordis/h2020-dashboard-participations-2021.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1]
    second = first.replace("GEOSS Platform Plus", "GEOSS Platform Minus").replace("999644559", "999999999")
    path = tmp_path / "dashboard.csv"
    path.write_text("\n".join([lines[0], first, second]) + "\n", encoding="utf-8")
    rows = list(read_cordis(path, F.DASHBOARD))
    error = rows[1]
    assert isinstance(error, RowError) and error.line == 3 and error.column == "project_title"
    assert "project 101039118 has title 'GEOSS Platform Plus' on line 2 and 'GEOSS Platform Minus' here" in error.reason
