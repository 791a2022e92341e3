"""The kinds of search documents (no Django import: the command line reads them to build its parser)."""

ORGANISATION_KINDS = ("organisation", "laboratory", "technopole", "spinoff")
OFFER_KINDS = ("competence", "equipment", "service")
KINDS = (*ORGANISATION_KINDS, *OFFER_KINDS, "project", "priority", "call")
# Which records an index holds: "default" leaves out organisations known by their name only and
# projects without a title (Horizon Europe projects with a call topic only); "all" takes everything.
SCOPES = ("default", "all")
