"""Readers for the CORDIS files: each row becomes validated sections (project, organisation, ...).

A row of any CORDIS format is turned into a :class:`~ris3hub.importers.base.Row` whose ``data``
holds the parts it describes, keyed by what they will become:

``project``        Project fields (``number`` always; ``programme_code``, ``call_identifier`` as codes)
``organisation``   an organisation record for the OrganisationResolver (pic, vat, name, city, ...)
``participation``  role and amounts of the organisation in the project
``nuts``           (column, code) of the participant's NUTS region, resolved by the loader
``programme``      a Programme (code, name, framework)
``call``           a call topic (identifier, title, programme_code, deadline, year)
``concept``        a classification concept (scheme, code, label, ancestors, ...)
``columns``        for each ``section.field``, the column of the file it came from (for error messages)

Nothing here touches the database: the loader in ``ris3hub.projects.loaders`` resolves NUTS codes
and organisations and writes. Amounts are published without thousands separators, with a decimal
point (dashboard exports) or a decimal comma (older CORDIS CSV), so ``1234,5`` is 1234.5.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ris3hub.importers import cordis_formats as F
from ris3hub.importers.base import (
    InputError, Row, RowError, clean_text, parse_bool, parse_date, read_text, read_xlsx,
)

# CORDIS legal entity / activity types -> ris3hub organisation kinds.
KINDS = {"PRC": "company", "HES": "university", "REC": "research", "PUB": "public", "OTH": "other"}

# Roles as the files spell them -> Participation.Role values.
ROLES = {
    "coordinator": "coordinator", "participant": "participant", "beneficiary": "participant",
    "partner": "partner", "thirdparty": "third_party", "third_party": "third_party",
    "associatedpartner": "associated", "associated": "associated",
    "internationalpartner": "international", "international_partner": "international",
}
# When one organisation takes part twice in a project (beneficiary and third party), the first of
# its roles in this order is kept.
ROLE_STRENGTH = ("coordinator", "participant", "partner", "associated", "international", "third_party")

# Framework programmes: the code used for Project.framework and for the top Programme row.
FRAMEWORKS = {"FP7": "Seventh Framework Programme (FP7)", "H2020": "Horizon 2020", "HORIZON": "Horizon Europe"}

_PROGRAMME_CODE = re.compile(r"^(H2020-EU\.|H2020-Euratom|H2020-EC$|HORIZON\.|FP7-)")
# The root node of the topic list in the H2020 programmes reference file: not a topic.
TOPICS_ROOT = "H2020-Topics"
_STRAY = "\ufeff\ufffd\u200b"
_PROJECT_NUMBER = re.compile(r"^\d{1,12}$")
_PIC = re.compile(r"^\d{5,12}$")


# ---- values


def parse_amount(value: Any) -> Decimal | None:
    """An amount in euro as CORDIS publishes it; None for '', '-', 'NA'."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not an amount")
    if isinstance(value, (int, float)):
        if value != value:  # NaN: an empty spreadsheet cell
            return None
        return Decimal(str(value))
    s = str(value).strip().replace(" ", "")
    if s in ("", "-", "NA", "N/A", "nan"):
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".")
    try:
        amount = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"'{value}' is not an amount")
    return amount


def one_line(value: Any) -> str:
    """Text with runs of blanks and line breaks made one space (titles, names)."""
    return " ".join(clean_text(value).split())


def parent_programme_code(code: str) -> str | None:
    """The code one level up in the programme tree, whether or not such a programme is known.

    >>> parent_programme_code("H2020-EU.3.4.7.1."), parent_programme_code("H2020-EU.3.")
    ('H2020-EU.3.4.7.', 'H2020-EC')
    >>> parent_programme_code("HORIZON.2.5"), parent_programme_code("FP7-IDEAS-ERC"), parent_programme_code("H2020-EC")
    ('HORIZON.2', 'FP7-IDEAS', 'H2020')
    """
    body = code.rstrip(".")
    if "." in body:
        head = body.rsplit(".", 1)[0]
        if head == "H2020-EU":
            return "H2020-EC"
        return head + ("." if code.endswith(".") and "-" in head else "")
    if body in ("H2020-EC", "H2020-Euratom"):
        return "H2020"
    if "-" in body:
        return body.rsplit("-", 1)[0]
    return None


def programme_framework(code: str) -> str:
    for fw in ("H2020", "FP7", "HORIZON"):
        if code.upper().startswith(fw):
            return fw
    return ""


def topic_framework(code: str) -> str:
    """The framework programme a call topic belongs to, where its code tells (else '').

    >>> topic_framework("HORIZON-CL5-2021-D3-01-01"), topic_framework("ERC-2022-ADG"), topic_framework("ERC-2020-STG")
    ('HORIZON', 'HORIZON', '')
    """
    upper = code.upper()
    if upper.startswith("HORIZON"):
        return "HORIZON"
    m = re.match(r"^(ERC|EURATOM|MSCA)-(\d{4})\b", upper)
    if m and int(m.group(2)) >= 2021:
        return "HORIZON"
    if upper.startswith("FP7-"):
        return "FP7"
    return ""


def role_of(*words: str) -> str:
    """The participation role from the role (and partner type) columns."""
    keys = [re.sub(r"[\s-]", "", w or "").lower() for w in words]
    found = [ROLES[k] for k in keys if k in ROLES]
    if not found:
        raise ValueError(f"'{' / '.join(w for w in words if w)}' is not a participant role "
                         f"(expected coordinator, participant, thirdParty, partner, associatedPartner, ...)")
    if "third_party" in found or "international" in found:
        return next(r for r in found if r in ("third_party", "international"))
    return found[0]


def stronger_role(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if ROLE_STRENGTH.index(a) <= ROLE_STRENGTH.index(b) else b


# ---- rows


class _Fields:
    """Reads the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str, line: int, raw: dict[str, Any]):
        self.file, self.line, self.raw = file, line, raw
        self.errors: list[RowError] = []
        self.columns: dict[str, str] = {}

    def fail(self, column: str | None, reason: str) -> None:
        self.errors.append(RowError(self.file, self.line, column, reason))

    def text(self, column: str) -> str:
        return one_line(self.raw.get(column))

    def code(self, column: str) -> str:
        """An identifier (topic, legal basis, programme) without the stray byte-order marks and U+FFFD
        replacement characters that mis-encoded CORDIS exports put before some codes."""
        return self.text(column).strip(_STRAY).strip()

    def long_text(self, column: str) -> str:
        return clean_text(self.raw.get(column))

    def _parse(self, column: str, parser) -> Any:
        try:
            return parser(self.raw.get(column))
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def amount(self, column: str) -> Decimal | None:
        return self._parse(column, parse_amount)

    def date(self, column: str):
        return self._parse(column, parse_date)

    def flag(self, column: str) -> bool | None:
        return self._parse(column, parse_bool)

    def count(self, column: str) -> int | None:
        value = self.amount(column)
        if value is None:
            return None
        if value != value.to_integral_value() or value < 0:
            self.fail(column, f"'{self.raw.get(column)}' is not a count")
            return None
        return int(value)

    def project_number(self, column: str) -> str:
        number = clean_text(self.raw.get(column))
        if not _PROJECT_NUMBER.match(number):
            self.fail(column, f"'{number}' is not a project number" if number else "the project number is empty")
        return number

    def pic(self, column: str) -> str:
        pic = clean_text(self.raw.get(column))
        if pic in ("", "0"):
            return ""
        if not _PIC.match(pic):
            self.fail(column, f"'{pic}' is not a PIC (Participant Identification Code, digits only)")
            return ""
        return pic

    def kind(self, column: str) -> str | None:
        code = clean_text(self.raw.get(column)).upper()
        if not code:
            return None
        if code not in KINDS:
            self.fail(column, f"'{code}' is not a CORDIS activity type (one of {', '.join(KINDS)})")
            return None
        return KINDS[code]

    def role(self, *columns: str) -> str | None:
        try:
            return role_of(*(clean_text(self.raw.get(c)) for c in columns))
        except ValueError as exc:
            self.fail(columns[0], str(exc))
            return None

    def website(self, column: str) -> str:
        url = clean_text(self.raw.get(column))
        if not url:
            return ""
        if not re.match(r"^https?://", url, re.I):
            url = "http://" + url
        return url

    def section(self, name: str, fields: dict[str, tuple[str | None, Any]]) -> dict[str, Any]:
        """A section from {field: (column, value)}, remembering where each field came from."""
        out = {}
        for field, (column, value) in fields.items():
            out[field] = value
            if column:
                self.columns[f"{name}.{field}"] = column
        return out


# CORDIS publishes this notice instead of the name of a beneficiary whose name is withheld.
# Some "short names" are lists of former and trading names, hundreds of characters long: those are
# not short names and are not kept (Organisation.short_name holds 120 characters).
SHORT_NAME_LIMIT = 120
_WITHHELD = re.compile(r"^In line with Article 21\(4\) of Regulation", re.I)


def _organisation(f: _Fields, **cols: str | None) -> dict[str, Any] | None:
    """An organisation record; a withheld name counts as no name (the PIC then identifies it)."""
    record = f.section("organisation", {
        "pic": (cols.get("pic"), f.pic(cols["pic"]) if cols.get("pic") else ""),
        "vat": (cols.get("vat"), f.text(cols["vat"]) if cols.get("vat") else ""),
        "name": (cols["name"], f.text(cols["name"])),
        "short_name": (cols.get("short_name"), f.text(cols["short_name"]) if cols.get("short_name") else ""),
        "kind": (cols.get("kind"), f.kind(cols["kind"]) if cols.get("kind") else None),
        "is_sme": (cols.get("is_sme"), f.flag(cols["is_sme"]) if cols.get("is_sme") else None),
        "street": (cols.get("street"), f.text(cols["street"]) if cols.get("street") else ""),
        "postcode": (cols.get("postcode"), f.text(cols["postcode"]) if cols.get("postcode") else ""),
        "city": (cols.get("city"), f.text(cols["city"]) if cols.get("city") else ""),
        "country": (cols.get("country"), f.text(cols["country"]).upper() if cols.get("country") else ""),
        "website": (cols.get("website"), f.website(cols["website"]) if cols.get("website") else ""),
    })
    for field in ("name", "short_name"):
        if _WITHHELD.match(record[field]):
            record[field] = ""
    if len(record["short_name"]) > SHORT_NAME_LIMIT:
        record["short_name"] = ""
    if not record["pic"] and not record["name"]:
        f.fail(cols["name"], "the organisation has neither a name nor a PIC")
        return None
    if record["country"] and not re.match(r"^[A-Z]{2}$", record["country"]):
        f.fail(cols.get("country"), f"'{record['country']}' is not a two-letter country code")
    return {k: v for k, v in record.items() if v not in (None, "")}


def _programme_from(code: str, name: str = "") -> dict[str, Any] | None:
    if not code:
        return None
    return {"code": code, "name": name, "framework": programme_framework(code)}


def _dashboard(f: _Fields) -> dict[str, Any]:
    pillar = f.code("pillar_abbr")
    framework = f.text("framework_programme").upper()
    programme_code = f"{framework}-{pillar}" if framework and pillar else ""
    topic = f.code("topic_code")
    project = f.section("project", {
        "number": ("project_id", f.project_number("project_id")),
        "framework": ("framework_programme", framework),
        "acronym": ("project_acronym", f.text("project_acronym")),
        "title": ("project_title", f.text("project_title")),
        "topic_code": ("topic_code", topic),
        "topic_title": ("topic_descr", f.text("topic_descr")),
        "thematic_priority": ("thematic_priority_descr", f.text("thematic_priority_descr")),
        "type_of_action": ("simplified_type_of_action", f.text("simplified_type_of_action")),
        "start": ("project_start_date", f.date("project_start_date")),
        "end": ("project_end_date", f.date("project_end_date")),
        "signature_date": ("signature_date", f.date("signature_date")),
        "programme_code": ("pillar_abbr", programme_code),
        "call_identifier": ("topic_code", topic),
    })
    nuts = f.text("nuts_3_code").upper()
    return {
        "project": project,
        "programme": _programme_from(programme_code, f.text("pillar_descr") if pillar else ""),
        "call": {"identifier": topic, "title": f.text("topic_descr"), "deadline": f.date("call_deadline_date"),
                 "year": f.count("call_year")} if topic else None,
        "organisation": _organisation(f, pic="pic", vat="legal_entity_vat", name="legal_name",
                                      kind="legal_entity_type", is_sme="sme_flag", city="city",
                                      country="country_code"),
        "nuts": ("nuts_3_code", nuts) if nuts not in ("", "-") else None,
        "participation": f.section("participation", {
            "role": ("partner_role", f.role("partner_role", "partner_type")),
            "eu_contribution": ("eu_contribution", f.amount("eu_contribution")),
            "net_eu_contribution": ("h2020_net_eu_contribution", f.amount("h2020_net_eu_contribution")),
            "total_cost": ("h2020_total_cost", f.amount("h2020_total_cost")),
        }),
    }


def _participations_2014(f: _Fields) -> dict[str, Any]:
    framework = f.text("framework_programme").upper()
    legal_basis, pillar = f.code("legal_basis"), f.code("pillar_abbr")
    if legal_basis:
        # An FP7 specific programme is what the file calls the thematic priority (FP7-ICT: Information
        # and Communication Technologies); that name ranks below a reference table's.
        programme_code = legal_basis
        programme_name = f.text("thematic_priority") if legal_basis.startswith("FP7-") else ""
    elif framework == "H2020" and pillar:
        programme_code, programme_name = f"H2020-{pillar}", f.text("pillar_descr")
    else:
        programme_code, programme_name = "", ""
    topic = f.code("topic_code")
    eu_column = "eu_contribution" if clean_text(f.raw.get("eu_contribution")) else "ec_contribution"
    return {
        "project": f.section("project", {
            "number": ("project_id", f.project_number("project_id")),
            "framework": ("framework_programme", framework),
            "acronym": ("project_acronym", f.text("project_acronym")),
            "thematic_priority": ("thematic_priority", f.text("thematic_priority")),
            "topic_code": ("topic_code", topic),
            "topic_title": ("topic_description", f.text("topic_description")),
            "type_of_action": ("funding_scheme", f.text("funding_scheme")),
            "start": ("start_date", f.date("start_date")),
            "end": ("end_date", f.date("end_date")),
            "participant_count": ("participations", f.count("participations")),
            "programme_code": ("legal_basis", programme_code),
            "call_identifier": ("topic_code", topic),
        }),
        "programme": _programme_from(programme_code, programme_name),
        "call": {"identifier": topic, "title": f.text("topic_description")} if topic else None,
        "organisation": _organisation(f, pic="pic", name="legal_name", short_name="legal_short_name",
                                      kind="legal_entity_type", country="country_code", website="legal_url"),
        "participation": f.section("participation", {
            "role": ("partner_role", f.role("partner_role")),
            "eu_contribution": (eu_column, f.amount(eu_column)),
            "net_eu_contribution": ("net_ec_contribution", f.amount("net_ec_contribution")),
        }),
    }


def _organization_csv(f: _Fields) -> dict[str, Any]:
    nuts = f.text("nutsCode").upper()
    return {
        "project": f.section("project", {
            "number": ("projectID", f.project_number("projectID")),
            "acronym": ("projectAcronym", f.text("projectAcronym")),
        }),
        "organisation": _organisation(f, pic="organisationID", vat="vatNumber", name="name", short_name="shortName",
                                      kind="activityType", is_sme="SME", street="street", postcode="postCode",
                                      city="city", country="country",
                                      website="organizationURL" if "organizationURL" in f.raw else None),
        "nuts": ("nutsCode", nuts) if nuts not in ("", "-") else None,
        "participation": f.section("participation", {
            "role": ("role", f.role("role")),
            "eu_contribution": ("ecContribution", f.amount("ecContribution")),
            "net_eu_contribution": ("netEcContribution", f.amount("netEcContribution")),
            "total_cost": ("totalCost", f.amount("totalCost")),
        }),
    }


def _project_csv(f: _Fields) -> dict[str, Any]:
    topic, legal_basis = f.code("topics"), f.code("legalBasis")
    framework = f.text("frameworkProgramme").upper()
    return {
        "project": f.section("project", {
            "number": ("id", f.project_number("id")),
            "framework": ("frameworkProgramme", framework),
            "acronym": ("acronym", f.text("acronym")),
            "title": ("title", f.text("title")),
            "abstract": ("objective", f.long_text("objective")),
            "topic_code": ("topics", topic),
            "type_of_action": ("fundingScheme", f.text("fundingScheme")),
            "start": ("startDate", f.date("startDate")),
            "end": ("endDate", f.date("endDate")),
            "signature_date": ("ecSignatureDate", f.date("ecSignatureDate")),
            "total_cost": ("totalCost", f.amount("totalCost")),
            "eu_contribution": ("ecMaxContribution", f.amount("ecMaxContribution")),
            "programme_code": ("legalBasis", legal_basis),
            "call_identifier": ("topics", topic),
        }),
        "programme": _programme_from(legal_basis),
        "call": {"identifier": topic} if topic else None,
    }


def _legal_basis(f: _Fields) -> dict[str, Any]:
    code = f.code("legalBasis")
    unique = f.flag("uniqueProgrammePart")
    project = {"number": f.project_number("projectID")}
    if unique and code:
        project["programme_code"] = code
    return {"project": project, "programme": _programme_from(code, f.text("title"))}


def _topics(f: _Fields) -> dict[str, Any]:
    topic, title = f.code("topic"), f.text("title")
    return {
        "project": f.section("project", {
            "number": ("projectID", f.project_number("projectID")),
            "framework": ("topic", topic_framework(topic)),
            "topic_code": ("topic", topic),
            "topic_title": ("title", title),
            "call_identifier": ("topic", topic),
        }),
        "call": {"identifier": topic, "title": title} if topic else None,
    }


def _euroscivoc(f: _Fields) -> dict[str, Any]:
    code, path, title = f.code("euroSciVocCode"), f.text("euroSciVocPath"), f.text("euroSciVocTitle")
    codes = [c for c in code.split("/") if c]
    labels = [p.strip() for p in path.split("/")[1:]] if path.startswith("/") else []
    if not codes or not re.match(r"^(/\d+)+$", code):
        f.fail("euroSciVocCode", f"'{code}' is not a EuroSciVoc code such as /23/47/297/933")
    elif len(labels) != len(codes):
        f.fail("euroSciVocPath", f"the path '{path}' has {len(labels)} levels but the code '{code}' has {len(codes)}")
    concept = None
    if codes and len(labels) == len(codes):
        ancestors = [("/" + "/".join(codes[: i + 1]), labels[i]) for i in range(len(codes) - 1)]
        concept = f.section("concept", {
            "scheme": (None, "euroscivoc"), "code": ("euroSciVocCode", code), "label": ("euroSciVocTitle", title),
            "description": ("euroSciVocDescription", f.long_text("euroSciVocDescription")),
            "path": ("euroSciVocPath", "/".join(labels)), "ancestors": (None, ancestors),
        })
    return {"project": {"number": f.project_number("projectID")}, "concept": concept, "link": concept is not None}


def _project_xlsx(f: _Fields, framework: str, names: dict[str, str]) -> dict[str, Any]:
    topic = f.code("Topic Code")
    return {
        "project": f.section("project", {
            "number": ("Project Nbr", f.project_number("Project Nbr")),
            "framework": (None, framework),
            "acronym": ("Project Acronym", f.text("Project Acronym")),
            "title": ("Project Title", f.text("Project Title")),
            "thematic_priority": (names["priority"], f.text(names["priority"])),
            "participant_count": (names["participants"], f.count(names["participants"])),
            "eu_contribution": (names["contribution"], f.amount(names["contribution"])),
            "type_of_action": (names["action"], f.text(names["action"])),
            "topic_code": ("Topic Code", topic),
            "topic_title": (names["topic"], f.text(names["topic"])),
            "call_identifier": ("Topic Code", topic),
        }),
        "call": {"identifier": topic, "title": f.text(names["topic"])} if topic else None,
    }


_H2020_XLSX = {"priority": "Thema", "participants": "H2020 Participations",
               "contribution": "H2020 EU Contribution (EUR)", "action": "ToA", "topic": "Topic description"}
_FP7_XLSX = {"priority": "Thematic Priority Descr", "participants": "Participations",
             "contribution": "EU Contribution", "action": "Funding Scheme", "topic": "Topic Description"}


def _ref_programmes(f: _Fields) -> dict[str, Any] | None:
    if f.text("language") not in ("", "en"):
        return None
    code, title = f.code("code"), f.text("title")
    if not code:
        f.fail("code", "the code is empty")
        return None
    if code == TOPICS_ROOT:
        return None
    if _PROGRAMME_CODE.match(code):
        return {"programme": {"code": code, "name": title, "framework": programme_framework(code)}}
    return {"call": {"identifier": code, "title": title}}


def _ref_topics(f: _Fields) -> dict[str, Any]:
    code, legal_basis = f.code("topicCode"), f.code("legalBasisCode")
    if not code:
        f.fail("topicCode", "the topic code is empty")
    return {
        "call": {"identifier": code, "title": f.text("title"), "programme_code": legal_basis} if code else None,
        "programme": _programme_from(legal_basis),
    }


def _ref_codes(scheme: str, code_column: str, title_column: str):
    def parse(f: _Fields) -> dict[str, Any] | None:
        language = f.text("language")
        if language not in ("", "en", "it"):
            return None
        code = f.text(code_column)
        if not code:
            f.fail(code_column, "the code is empty")
            return None
        label_field = "label_it" if language == "it" else "label"
        concept = {"scheme": scheme, "code": code, label_field: f.text(title_column), "ancestors": []}
        if language != "it" and f.long_text("description"):
            concept["description"] = f.long_text("description")
        return {"concept": concept}

    return parse


def _organisations_2017(f: _Fields) -> dict[str, Any]:
    return {"organisation": _organisation(f, pic="orgId", name="name", short_name="shortName", kind="activityType",
                                          street="street", postcode="postCode", city="city", country="country",
                                          website="organizationUrl")}


PARSERS = {
    F.ORGANISATIONS_2017.key: _organisations_2017,
    F.DASHBOARD.key: _dashboard,
    F.PARTICIPATIONS_2014.key: _participations_2014,
    F.ORGANIZATION_CSV.key: _organization_csv,
    F.PROJECT_CSV.key: _project_csv,
    F.LEGAL_BASIS.key: _legal_basis,
    F.TOPICS.key: _topics,
    F.EUROSCIVOC.key: _euroscivoc,
    F.H2020_PROJECTS.key: lambda f: _project_xlsx(f, "H2020", _H2020_XLSX),
    F.FP7_PROJECTS.key: lambda f: _project_xlsx(f, "FP7", _FP7_XLSX),
    F.REF_PROGRAMMES.key: _ref_programmes,
    F.REF_TOPICS.key: _ref_topics,
    F.REF_ACTIVITY_TYPES.key: _ref_codes("cordis-activity-type", "Code", "Title"),
    F.REF_SIC_CODES.key: _ref_codes("cordis-sic", "code", "title"),
}


# ---- files

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES



def recognise(path: Path) -> F.CordisFormat:
    """The format of a CSV or XLSX file from its header; UnknownFormat says why none fits."""
    if is_workbook(path):
        header, _ = read_xlsx(path)
        return F.recognise_columns(header)
    return F.recognise_csv_header(F.first_line(path))


def _raw_rows(path: Path, fmt: F.CordisFormat) -> Iterator[tuple[int, dict[str, Any]] | RowError]:
    if is_workbook(path):
        header, body = read_xlsx(path)
        for line, values in body:
            yield line, dict(zip(header, values))
    else:
        yield from read_cordis_csv(path, fmt.delimiter)


def read_cordis_csv(path: Path, delimiter: str) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """Rows of a CSV file as CORDIS writes it: (line, {column: text}), or RowErrors.

    Standard CSV (RFC 4180: quoted fields may hold delimiters, line breaks and doubled quotes),
    and, for a record that is not standard, the quoting CORDIS files also contain: a quote inside
    a quoted field that is not doubled (``"ASSOCIATION "NCSA""``), where a quoted field ends at the
    last quote before a delimiter or line end. A record whose quoted field never ends (a truncated
    file) or whose field count differs from the header's is an error naming its line.
    """
    text = read_text(path)
    records = _records(text, delimiter)
    first = next(records, None)
    if first is None or isinstance(first, RowError):
        raise InputError(first or RowError(str(path), 1, None, "the file has no header"))
    _, header = first
    header = [h.strip() for h in header]
    for item in records:
        if isinstance(item, RowError):
            yield RowError(str(path), item.line, item.column, item.reason)
            return
        line, values = item
        if len(values) == 1 and not values[0].strip():
            continue
        if len(values) != len(header):
            yield RowError(str(path), line, None, f"{len(values)} fields where the header has {len(header)} "
                                                  "(truncated row or stray delimiter?)")
            continue
        yield line, dict(zip(header, values))


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]] | RowError]:
    d = re.escape(delimiter)
    strict = re.compile(rf'"((?:[^"]|"")*)"|([^"{d}\r\n]*)')
    loose = re.compile(rf'"(.*?)"(?=[{d}\r\n]|$)|((?:[^"{d}\r\n][^{d}\r\n]*)?)', re.S)
    end = len(text)
    pos, line = 0, 1
    while pos < end:
        fields = _record(text, pos, strict, delimiter)
        if fields is None:
            fields = _record(text, pos, loose, delimiter)
        if fields is None:
            yield RowError("", line, None, "a quoted field is not closed before the end of the file "
                                           "(is the file truncated?)")
            return
        values, stop = fields
        yield line, values
        line += text.count("\n", pos, stop)
        pos = stop


def _record(text: str, pos: int, field: re.Pattern, delimiter: str) -> tuple[list[str], int] | None:
    """The fields of the record starting at ``pos`` and where the next record starts; None if the
    record does not parse with this field pattern."""
    values = []
    end = len(text)
    while True:
        m = field.match(text, pos)
        if m is None:
            return None
        quoted, plain = m.groups()
        values.append(quoted.replace('""', '"') if quoted is not None else plain)
        pos = m.end()
        if pos >= end:
            return values, end
        c = text[pos]
        if c == delimiter:
            pos += 1
        elif c == "\n":
            return values, pos + 1
        elif c == "\r":
            return values, pos + 2 if text.startswith("\r\n", pos) else pos + 1
        else:
            return None


# Project fields a participation list repeats on every row of a project: they must agree. A project
# list has one row a project, so all its fields must agree; topic, legal basis and EuroSciVoc lists
# have several rows a project by design.
_REPEATED = ("framework", "acronym", "title", "topic_code", "topic_title", "thematic_priority", "type_of_action",
             "start", "end", "programme_code")
_CHECKED: dict[str, Any] = {
    F.DASHBOARD.key: _REPEATED, F.PARTICIPATIONS_2014.key: _REPEATED, F.ORGANIZATION_CSV.key: ("acronym",),
    F.PROJECT_CSV.key: "all", F.H2020_PROJECTS.key: "all", F.FP7_PROJECTS.key: "all",
}


def read_cordis(path: Path, fmt: F.CordisFormat, label: str | None = None) -> Iterator[Row | RowError]:
    """Rows of a recognised CORDIS file as Rows of sections (see the module docstring) or RowErrors.

    A project number that comes back in the same file with different project data is an error on
    the later row, naming the earlier line; identical repetitions are fine.
    """
    label = label or str(path)
    try:
        yield from _checked_rows(path, fmt, label)
    except InputError as exc:  # name the file as the caller does (an archive member, not its extracted copy)
        raise InputError([RowError(label, e.line, e.column, e.reason) for e in exc.errors]) from exc


def _checked_rows(path: Path, fmt: F.CordisFormat, label: str) -> Iterator[Row | RowError]:
    parse = PARSERS[fmt.key]
    checked = _CHECKED.get(fmt.key)
    seen: dict[str, dict[str, tuple[int, Any]]] = {}  # project number -> field -> (line, value)
    for item in _raw_rows(path, fmt):
        if isinstance(item, RowError):
            yield RowError(label, item.line, item.column, item.reason)
            continue
        line, raw = item
        f = _Fields(label, line, raw)
        data = parse(f)
        if f.errors:
            yield from f.errors
            continue
        if data is None:
            continue
        project = data.get("project")
        if project and checked:
            known = seen.setdefault(project["number"], {})
            conflict = _conflict(project, known, project.keys() if checked == "all" else checked)
            if conflict:
                field, earlier_line, earlier = conflict
                yield RowError(label, line, f.columns.get(f"project.{field}"),
                               f"project {project['number']} has {field.replace('_', ' ')} {earlier!r} "
                               f"on line {earlier_line} and {project[field]!r} here")
                continue
            for field, value in project.items():
                if value not in (None, "") and field not in known:
                    known[field] = (line, value)
        data["columns"] = f.columns
        yield Row(label, line, data)


def _conflict(project: dict[str, Any], known: dict[str, tuple[int, Any]], fields) -> tuple[str, int, Any] | None:
    """The first field whose value differs from what an earlier row of the file said (blanks agree)."""
    for field in fields:
        value = project.get(field)
        if value not in (None, "") and field in known and known[field][1] != value:
            return field, known[field][0], known[field][1]
    return None
