"""Which CORDIS file is this? The published formats, recognised from their header row.

Every format is known by the columns of its header (all of ``columns`` must be present, in any
order, other columns are allowed: CORDIS adds and drops columns between releases). The same
columns may come in a CSV or in a worksheet; a CSV must use the delimiter the publisher uses.

``rank`` says which source wins when two files of one import describe the same project,
participation or programme differently: the lower rank wins, field by field. ``order`` is the
order files are read in, so that the result does not depend on the order they were named in
(organisation lists before participation lists, programmes before the projects that cite them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CordisFormat:
    key: str
    title: str
    columns: tuple[str, ...]
    delimiter: str = ";"
    rank: int = 5
    order: int = 5

    def matches(self, header: list[str]) -> bool:
        return set(self.columns) <= set(header)


PROJECT_CSV = CordisFormat(
    "project", "CORDIS project.csv (official bulk download)",
    ("id", "acronym", "title", "startDate", "endDate", "ecMaxContribution", "frameworkProgramme", "objective"),
    rank=0, order=3,
)
ORGANIZATION_CSV = CordisFormat(
    "organization", "CORDIS organization.csv (official bulk download)",
    ("projectID", "projectAcronym", "organisationID", "vatNumber", "name", "activityType", "country", "role",
     "ecContribution"),
    rank=0, order=4,
)
EUROSCIVOC = CordisFormat(
    "euroscivoc", "CORDIS euroSciVoc.csv (project to EuroSciVoc field)",
    ("projectID", "euroSciVocCode", "euroSciVocPath", "euroSciVocTitle"),
    rank=6, order=8,
)
TOPICS = CordisFormat(
    "topics", "CORDIS topics.csv (project to call topic)", ("projectID", "topic", "title"), rank=4, order=7,
)
LEGAL_BASIS = CordisFormat(
    "legal-basis", "CORDIS legalBasis.csv (project to programme)",
    ("projectID", "legalBasis", "title", "uniqueProgrammePart"), rank=0, order=2,
)
DASHBOARD = CordisFormat(
    "dashboard", "H2020 dashboard participation export",
    ("framework_programme", "project_id", "project_acronym", "project_title", "partner_role", "partner_type", "pic",
     "legal_entity_vat", "legal_name", "legal_entity_type", "city", "nuts_3_code", "country_code", "eu_contribution"),
    delimiter=",", rank=2, order=5,
)
PARTICIPATIONS_2014 = CordisFormat(
    "participations-2014", "H2020/FP7 participation list (2014)",
    ("project_id", "pic", "partner_role", "legal_name", "legal_short_name", "legal_entity_type", "country_code",
     "eu_contribution", "project_acronym", "topic_code", "framework_programme"),
    delimiter=",", rank=3, order=6,
)
ORGANISATIONS_2017 = CordisFormat(
    "organisations-2017", "H2020 organisation list (2017)",
    ("orgId", "name", "shortName", "activityType", "street", "postCode", "city", "country", "organizationUrl"),
    rank=1, order=3,
)
H2020_PROJECTS = CordisFormat(
    "h2020-projects", "H2020 project list (dashboard xlsx)",
    ("Project Nbr", "Project Title", "Project Acronym", "Thema", "H2020 EU Contribution (EUR)", "ToA", "Topic Code",
     "Topic description"),
    delimiter=",", rank=1, order=3,
)
FP7_PROJECTS = CordisFormat(
    "fp7-projects", "FP7 project list (dashboard xlsx)",
    ("Project Nbr", "Project Title", "Project Acronym", "Thematic Priority Descr", "EU Contribution", "Funding Scheme",
     "Topic Code", "Topic Description"),
    delimiter=",", rank=1, order=3,
)
REF_PROGRAMMES = CordisFormat(
    "ref-programmes", "CORDIS reference: H2020 programmes", ("rcn", "code", "title", "shortTitle", "language"),
    rank=0, order=0,
)
REF_TOPICS = CordisFormat(
    "ref-topics", "CORDIS reference: H2020 topics",
    ("title", "topicRcn", "topicCode", "legalBasisRcn", "legalBasisCode"), rank=0, order=1,
)
REF_ACTIVITY_TYPES = CordisFormat(
    "ref-activity-types", "CORDIS reference: organisation activity types", ("Code", "Title", "description", "language"),
    rank=0, order=0,
)
REF_SIC_CODES = CordisFormat(
    "ref-sic-codes", "CORDIS reference: subject index (SIC) codes", ("code", "title", "description", "language"),
    rank=0, order=0,
)

FORMATS: tuple[CordisFormat, ...] = (
    PROJECT_CSV, ORGANIZATION_CSV, EUROSCIVOC, TOPICS, LEGAL_BASIS, DASHBOARD, PARTICIPATIONS_2014,
    ORGANISATIONS_2017, H2020_PROJECTS, FP7_PROJECTS, REF_PROGRAMMES, REF_TOPICS, REF_ACTIVITY_TYPES, REF_SIC_CODES,
)

# More specific formats (more columns) first, so that a header is not taken for a format it only contains.
_BY_SPECIFICITY = tuple(sorted(FORMATS, key=lambda f: -len(f.columns)))

# Files of the official bulk download that hold nothing ris3hub keeps (web links, images, policy tags).
IGNORED_DOWNLOAD_FILES = frozenset({"webItem.csv", "webLink.csv", "policyPriorities.csv", "reportSummaries.csv"})

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class UnknownFormat(ValueError):
    """The header matches none of the formats; the message says what it is and what is known."""


def known_formats() -> str:
    return "; ".join(f.title for f in FORMATS)


def split_header(line: str, delimiter: str) -> list[str]:
    """The cells of a header line; none when it is not CSV (a lone quote or carriage return), which
    then matches no format and is reported as such."""
    try:
        return [h.strip() for h in next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])]
    except csv.Error:
        return []


def recognise_csv_header(line: str) -> CordisFormat:
    """The format whose columns the first line of a CSV file has, read with that format's delimiter."""
    line = line.lstrip("\ufeff").rstrip("\r\n")
    for fmt in _BY_SPECIFICITY:
        if fmt.matches(split_header(line, fmt.delimiter)):
            return fmt
    for fmt in FORMATS:
        for other in _DELIMITERS:
            if other != fmt.delimiter and fmt.matches(split_header(line, other)):
                raise UnknownFormat(
                    f"the header is {_DELIMITERS[other]}-separated, but a {fmt.title} is "
                    f"{_DELIMITERS[fmt.delimiter]}-separated; save it with '{fmt.delimiter}' between fields"
                )
    raise UnknownFormat(f"not a CORDIS file: header {_shorten(line)!r} matches none of: {known_formats()}")


def recognise_columns(header: list[str]) -> CordisFormat:
    """The format of a worksheet from its header cells."""
    for fmt in _BY_SPECIFICITY:
        if fmt.matches(header):
            return fmt
    raise UnknownFormat(
        f"not a CORDIS file: header {_shorten(', '.join(header))!r} matches none of: {known_formats()}"
    )


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def first_line(path: Path) -> str:
    """The first line of a text file, for recognising it; bytes that are not UTF-8 are replaced here
    (the strict reader reports them with their line later)."""
    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    return head.decode("utf-8", errors="replace").split("\n", 1)[0]
