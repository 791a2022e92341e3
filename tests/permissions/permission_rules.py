"""The declared permission table: for every page and API operation of the site, who may use it.

Each ``Case`` names a route (a URL name, or an API operation as "METHOD /api/path"), how to fill its
path parameters from the world (permission_world.py), the roles allowed, and what the
capability is in words (docs/permissions.md is generated from these). A route may have several cases when
the answer depends on the object (a draft and a published consultation, one's own organisation and
another's).

Outcomes checked (tests/permissions/test_permission_matrix.py):

* allowed: 2xx, or a redirect that is not to the login page;
* refused, pages: anonymous visitors are sent to the login page (302 to /accounts/login/), signed-in users
  get 403, or 404 where the object is hidden from them (``hidden``); a few pages send refused users to
  another page (``deny_redirect``);
* refused, API: 401 without a user, 403 with one, 404 where the object is hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from permission_world import ROLES

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = frozenset({"administrator"})
ANALYSTS = frozenset({"analyst", "administrator"})
EDITORS_OF_A = frozenset({"editor", "administrator"})
EDITORS_OF_OUTSIDER = frozenset({"outsider_editor", "administrator"})
COORDINATORS = frozenset({"coordinator", "administrator"})
# Contact details of member A: its editors, its network's coordinators, analysts, administrators.
CONTACTS_OF_A = frozenset({"editor", "coordinator", "analyst", "administrator"})
# The round's readers: its coordinator, the members reporting in it (A's editor), analysts, administrators.
ROUND_READERS = frozenset({"editor", "coordinator", "analyst", "administrator"})
# The event's participant among the roles: A's editor registered (validated) to the brokerage day.
PARTICIPANT = frozenset({"editor"})
# A's editor also stands for "the members of a round who fill their own report".
# The event is organised by the network: its coordinator and administrators organise it.
ORGANISERS = COORDINATORS
NOBODY: frozenset[str] = frozenset()


Kwargs = Callable[[object], dict]


def _none(world) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    route: str
    allowed: frozenset
    what: str
    kwargs: Kwargs = _none
    method: str = "GET"
    query: str | Callable[[object], str] = ""  # a query string, or made from the world
    data: Callable[[object], dict] | None = None  # POST body (a form for pages, JSON for the API)
    hidden: bool = False  # refusals answer 404 (the object is hidden); anonymous visitors 404 or the login page
    deny_redirect: str = ""  # refused users are sent to this page instead
    login_page: bool = False  # the page is an alias of the login page: it redirects there for everyone
    shows: Callable[[object], str] | None = None  # text the answer contains exactly for ``shown_to``
    shown_to: frozenset = EVERYONE
    scope: str = ""  # API: the token scope the operation needs (checked with a token lacking it)
    doc: bool = True  # listed in docs/permissions.md
    # Answers that also count as allowed: a form rejected after the permission check (400), the search
    # index not built in the test world (503, the same for every role).
    also_ok: tuple = ()

    @property
    def label(self) -> str:
        suffix = f"?{self.query}" if self.query and isinstance(self.query, str) else ""
        return f"{self.method} {self.route}{suffix} [{self.what}]"


def pk(getter) -> Kwargs:
    return lambda w: {"pk": getter(w).pk}


def slug(getter) -> Kwargs:
    return lambda w: {"slug": getter(w).slug}


A = lambda w: w.orgs.member_a  # noqa: E731
OUT = lambda w: w.orgs.outsider  # noqa: E731
NET = lambda w: w.orgs.network  # noqa: E731
EVENT = lambda w: w.events.event  # noqa: E731
ROUND = lambda w: w.monitoring.round  # noqa: E731
PUB_C = lambda w: w.consultations.published  # noqa: E731
DRAFT_C = lambda w: w.consultations.draft  # noqa: E731
PUB_P = lambda w: w.practices.published  # noqa: E731
DRAFT_P = lambda w: w.practices.draft  # noqa: E731
WORKSHOP = lambda w: w.practices.workshop  # noqa: E731
DRAFT_W = lambda w: w.practices.draft_workshop  # noqa: E731
REGION = lambda w: {"code": "ITH5"}  # noqa: E731


def child(org, kind, item=None) -> Kwargs:
    def kwargs(w):
        values = {"pk": org(w).pk, "kind": kind}
        if item is not None:
            values["item"] = item(w).pk
        return values
    return kwargs


def history(label, getter) -> Kwargs:
    return lambda w: {"label": label, "pk": str(getter(w).pk)}


PAGES: list[Case] = [
    # Accounts
    Case("accounts:login", EVERYONE, "sign in"),
    Case("accounts:logout", EVERYONE, "sign out", method="POST"),
    Case("accounts:signup", EVERYONE, "create an account"),
    Case("accounts:account", SIGNED_IN, "my account: roles, requests, consents"),
    Case("accounts:password_change", SIGNED_IN, "change my password"),
    Case("accounts:password_reset", EVERYONE, "ask for a password reset"),
    Case("accounts:password_reset_done", EVERYONE, "password reset sent"),
    Case("accounts:password_reset_confirm", EVERYONE, "set a new password from the e-mailed link",
         kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}, doc=False),
    Case("accounts:password_reset_complete", EVERYONE, "password reset done", doc=False),
    Case("accounts:data", SIGNED_IN, "download my personal data (JSON)"),
    Case("accounts:delete", SIGNED_IN, "delete my account"),
    Case("accounts:requests", COORDINATORS, "decide requests to act for an organisation"),
    Case("accounts:request_new", SIGNED_IN, "ask to act for an organisation"),
    Case("accounts:decide", COORDINATORS, "approve or refuse a request for a member of the network",
         kwargs=pk(lambda w: w.editor_request), method="POST",
         data=lambda w: {"decision": "refuse", "note": "no"}),
    # API pages outside the schema's operations
    Case("api:openapi-json", EVERYONE, "the OpenAPI schema"),
    Case("api:openapi-view", EVERYONE, "the API documentation (Swagger UI)"),
    Case("api:api-root", EVERYONE, "the API index", doc=False),
    Case("api:unknown_path", NOBODY, "an unknown API path answers 404", kwargs=lambda w: {"rest": "nowhere"},
         hidden=True, doc=False),
    Case("set_language", EVERYONE, "choose the language", method="POST", data=lambda w: {"language": "it"}),
    # Regions and S3 analytics
    Case("regions:list", EVERYONE, "list of regions"),
    Case("regions:list", EVERYONE, "export the regions (CSV)", query="export=csv"),
    Case("regions:region", EVERYONE, "region profile", kwargs=REGION),
    Case("analytics:profile", EVERYONE, "a region's S3 profile", kwargs=REGION),
    Case("analytics:report", EVERYONE, "a region's S3 report", kwargs=REGION),
    Case("analytics:report_pdf", EVERYONE, "a region's S3 report (PDF)", kwargs=REGION),
    # Registry
    Case("registry:list", EVERYONE, "list of organisations"),
    Case("registry:list", EVERYONE, "export the organisations (CSV, public columns only)", query="export=csv",
         shows=lambda w: w.orgs.member_a.contact_email, shown_to=NOBODY),
    Case("registry:list", EVERYONE, "export the organisations (XLSX)", query="export=xlsx"),
    Case("registry:organisation", EVERYONE, "an organisation's profile", kwargs=pk(A)),
    Case("registry:organisation", EVERYONE, "an organisation's contact details", kwargs=pk(A),
         shows=lambda w: w.orgs.member_a.contact_email, shown_to=CONTACTS_OF_A),
    Case("registry:network", EVERYONE, "an organisation's network", kwargs=pk(NET)),
    Case("registry:edit", EDITORS_OF_A, "edit one's organisation's profile", kwargs=pk(A)),
    Case("registry:edit", EDITORS_OF_OUTSIDER, "edit another organisation's profile", kwargs=pk(OUT), doc=False),
    Case("registry:edit", COORDINATORS, "edit the network organisation's own profile", kwargs=pk(NET)),
    Case("registry:add-child", EDITORS_OF_A, "add equipment, services, competences", kwargs=child(A, "equipment")),
    Case("registry:edit-child", EDITORS_OF_A, "edit equipment, services, competences",
         kwargs=child(A, "equipment", lambda w: w.orgs.equipment)),
    Case("registry:edit-child", EDITORS_OF_OUTSIDER, "edit another organisation's equipment",
         kwargs=child(OUT, "equipment", lambda w: w.orgs.outsider_equipment), doc=False),
    Case("registry:delete-child", EDITORS_OF_A, "delete equipment, services, competences",
         kwargs=child(A, "services", lambda w: w.orgs.service)),
    # Projects
    Case("projects:list", EVERYONE, "list of projects"),
    Case("projects:list", EVERYONE, "export the projects (XLSX)", query="export=xlsx"),
    Case("projects:project", EVERYONE, "a project", kwargs=lambda w: {"number": w.projects.project.number}),
    # Events
    Case("events:list", EVERYONE, "published events"),
    Case("events:login", EVERYONE, "old events login: the site login", login_page=True, doc=False),
    Case("events:logout", EVERYONE, "sign out (events)", method="POST", doc=False),
    Case("events:detail", EVERYONE, "a published event", kwargs=slug(EVENT)),
    Case("events:detail", ADMIN, "an unpublished event (its organisers)", kwargs=slug(lambda w: w.events.draft),
         deny_redirect="/events/"),
    Case("events:register", EVERYONE, "register to an event", kwargs=slug(EVENT)),
    Case("events:profile", PARTICIPANT, "my event profile", kwargs=slug(EVENT)),
    Case("events:marketplace", PARTICIPANT, "the event marketplace", kwargs=slug(EVENT)),
    Case("events:request-meeting", PARTICIPANT, "request a meeting",
         kwargs=lambda w: {"slug": w.events.event.slug, "pk": w.events.guest.pk}, method="POST",
         data=lambda w: {"message": "Hello"}),
    Case("events:requests", PARTICIPANT, "my meeting requests", kwargs=slug(EVENT)),
    Case("events:answer-request", PARTICIPANT, "answer a meeting request",
         kwargs=lambda w: {"slug": w.events.event.slug, "pk": w.events.meeting_request.pk}, method="POST",
         data=lambda w: {"decision": "decline", "message": "No"}),
    Case("events:cancel-request", PARTICIPANT, "cancel my meeting request",
         kwargs=lambda w: {"slug": w.events.event.slug, "pk": w.events.meeting_request.pk}, method="POST",
         data=lambda w: {}),
    Case("events:agenda", PARTICIPANT, "my agenda", kwargs=slug(EVENT)),
    Case("events:agenda-pdf", PARTICIPANT, "my agenda (PDF)", kwargs=slug(EVENT)),
    Case("events:agenda-ics", PARTICIPANT, "my agenda (iCalendar)", kwargs=slug(EVENT)),
    Case("events:follow-up", PARTICIPANT, "follow-up of my meetings", kwargs=slug(EVENT)),
    Case("events:dashboard", ORGANISERS, "organise an event: dashboard", kwargs=slug(EVENT)),
    Case("events:validate", ORGANISERS, "validate registrations",
         kwargs=lambda w: {"slug": w.events.event.slug, "pk": w.events.guest.pk}, method="POST",
         data=lambda w: {"decision": "reject", "note": "no"}),
    Case("events:grid", ORGANISERS, "the meeting grid", kwargs=slug(EVENT)),
    Case("events:schedule", ORGANISERS, "run the meeting scheduler", kwargs=slug(EVENT), method="POST",
         data=lambda w: {"time_limit": "1"}),
    Case("events:confirm", ORGANISERS, "confirm the schedule", kwargs=slug(EVENT), method="POST",
         data=lambda w: {}),
    Case("events:lock", ORGANISERS, "lock a meeting",
         kwargs=lambda w: {"slug": w.events.event.slug, "pk": w.events.meeting.pk}, method="POST",
         data=lambda w: {"locked": "1"}),
    Case("events:plan-xlsx", ORGANISERS, "export the event plan (XLSX)", kwargs=slug(EVENT)),
    Case("events:plan-pdf", ORGANISERS, "export the event plan (PDF)", kwargs=slug(EVENT)),
    Case("events:check-in", ORGANISERS, "check participants in", kwargs=slug(EVENT)),
    # Search and matchmaking
    Case("core:home", EVERYONE, "home page"),
    Case("core:search", EVERYONE, "site search"),
    Case("core:about", EVERYONE, "about"),
    Case("search:search", EVERYONE, "find partners"),
    Case("search:need", EVERYONE, "match a need to offers"),
    Case("search:team", EVERYONE, "form a team"),
    Case("search:partners", EVERYONE, "partner regions"),
    Case("search:call", EVERYONE, "organisations for a call", kwargs=pk(lambda w: w.projects.call)),
    Case("search:organisation_calls", EVERYONE, "calls for an organisation", kwargs=pk(A)),
    # Monitoring
    Case("monitoring:home", EVERYONE, "monitoring home"),
    Case("monitoring:login", EVERYONE, "old monitoring login: the site login", login_page=True, doc=False),
    Case("monitoring:logout", EVERYONE, "sign out (monitoring)", method="POST", doc=False),
    Case("monitoring:dashboard", EVERYONE, "strategy monitoring dashboard", kwargs=pk(lambda w: w.strategy)),
    Case("monitoring:export_xlsx", EVERYONE, "export the dashboard (XLSX)", kwargs=pk(lambda w: w.strategy)),
    Case("monitoring:export_pdf", EVERYONE, "export the dashboard (PDF)", kwargs=pk(lambda w: w.strategy)),
    Case("monitoring:indicator", EVERYONE, "an indicator's values", kwargs=pk(lambda w: w.monitoring.indicator)),
    Case("monitoring:rounds", SIGNED_IN, "reporting rounds I take part in"),
    Case("monitoring:round_new", COORDINATORS, "open a reporting round"),
    Case("monitoring:round", ROUND_READERS, "a reporting round", kwargs=pk(ROUND)),
    Case("monitoring:round_template", frozenset({"editor", "coordinator", "administrator"}),
         "download a round's XLSX template (its coordinators and members)", kwargs=pk(ROUND)),
    Case("monitoring:submission", ROUND_READERS, "read a member's report",
         kwargs=pk(lambda w: w.monitoring.submission_a)),
    Case("monitoring:submission", ANALYSTS | COORDINATORS, "read another member's report",
         kwargs=pk(lambda w: w.monitoring.submission_b), doc=False),
    Case("monitoring:submission_upload", PARTICIPANT, "upload one's organisation's report (its editors)",
         kwargs=pk(lambda w: w.monitoring.submission_a), method="POST", data=lambda w: {}, also_ok=(400,)),
    Case("monitoring:submission_review", COORDINATORS, "review a member's report",
         kwargs=pk(lambda w: w.monitoring.submission_a), method="POST",
         data=lambda w: {"action": "request_changes", "message": "more detail"}),
    # Consultations
    Case("consultation:list", EVERYONE, "published consultations"),
    Case("consultation:login", EVERYONE, "old consultation login: the site login", login_page=True, doc=False),
    Case("consultation:logout", EVERYONE, "sign out (consultations)", method="POST", doc=False),
    Case("consultation:create", ADMIN, "create a consultation"),
    Case("consultation:answer", EVERYONE, "answer a published consultation", kwargs=slug(PUB_C)),
    Case("consultation:answer", ANALYSTS, "see a draft consultation", kwargs=slug(DRAFT_C), hidden=True),
    Case("consultation:thanks", EVERYONE, "thanks page", kwargs=slug(PUB_C), doc=False),
    Case("consultation:thanks", NOBODY, "no thanks page for a draft", kwargs=slug(DRAFT_C), hidden=True, doc=False),
    Case("consultation:edit", ADMIN, "edit a consultation", kwargs=slug(PUB_C)),
    Case("consultation:results", ANALYSTS, "consultation results", kwargs=slug(PUB_C)),
    Case("consultation:results", ANALYSTS, "results of a draft consultation", kwargs=slug(DRAFT_C), doc=False),
    Case("consultation:run-themes", ADMIN, "run the theme analysis", kwargs=slug(PUB_C), method="POST",
         data=lambda w: {}),
    Case("consultation:report", ANALYSTS, "consultation report", kwargs=slug(PUB_C)),
    Case("consultation:report-pdf", ANALYSTS, "export the consultation report (PDF)", kwargs=slug(PUB_C)),
    Case("consultation:answers-xlsx", ANALYSTS, "export the answers (XLSX)", kwargs=slug(PUB_C)),
    # Good practices and workshops
    Case("practices:list", EVERYONE, "good practices"),
    Case("practices:login", EVERYONE, "old practices login: the site login", login_page=True, doc=False),
    Case("practices:logout", EVERYONE, "sign out (practices)", method="POST", doc=False),
    Case("practices:create", ADMIN, "create a good practice"),
    Case("practices:calendar", EVERYONE, "workshop calendar"),
    Case("practices:workshop-create", ADMIN, "create a workshop"),
    Case("practices:calendar-ics", EVERYONE, "workshop calendar (iCalendar)"),
    Case("practices:workshop", EVERYONE, "a published workshop", kwargs=slug(WORKSHOP)),
    Case("practices:workshop", ADMIN, "an unpublished workshop", kwargs=slug(DRAFT_W), hidden=True),
    Case("practices:workshop-edit", ADMIN, "edit a workshop", kwargs=slug(WORKSHOP)),
    Case("practices:workshop-ics", EVERYONE, "a workshop (iCalendar)", kwargs=slug(WORKSHOP), doc=False),
    Case("practices:workshop-ics", NOBODY, "no iCalendar for an unpublished workshop", kwargs=slug(DRAFT_W),
         hidden=True, doc=False),
    Case("practices:detail", EVERYONE, "a published good practice", kwargs=slug(PUB_P)),
    Case("practices:detail", EVERYONE, "a practice author's e-mail", kwargs=slug(PUB_P),
         shows=lambda w: w.practices.published.author_email, shown_to=CONTACTS_OF_A, doc=False),
    Case("practices:detail", ADMIN, "an unpublished good practice", kwargs=slug(DRAFT_P), hidden=True),
    Case("practices:edit", ADMIN, "edit a good practice", kwargs=slug(PUB_P)),
    Case("practices:follow", SIGNED_IN, "follow a good practice", kwargs=slug(PUB_P), method="POST",
         data=lambda w: {}),
    # Audit log and tokens
    Case("audit:log", ADMIN, "the audit log of every change"),
    Case("audit:history", EDITORS_OF_A, "the change history of one's organisation",
         kwargs=history("registry.organisation", A)),
    Case("audit:history", EDITORS_OF_OUTSIDER, "the change history of another organisation",
         kwargs=history("registry.organisation", OUT), doc=False),
    Case("audit:history", ADMIN, "the change history of any other record",
         kwargs=history("consultation.consultation", PUB_C)),
    Case("tokens:list", SIGNED_IN, "my API tokens"),
    Case("tokens:revoke", frozenset({"editor"}), "revoke my API token (its owner only)",
         kwargs=lambda w: {"pk": w.token_ids["editor"]}, method="POST", data=lambda w: {}, hidden=True),
]


def _api(method: str, path: str, allowed, what: str, kwargs: Kwargs = _none, **extra) -> Case:
    return Case(f"{method} {path}", allowed, what, kwargs=kwargs, method=method, **extra)


EVENT_SLUG = lambda w: {"slug": w.events.event.slug}  # noqa: E731
MEETING = lambda w: {"slug": w.events.event.slug, "meeting_id": w.events.meeting.pk}  # noqa: E731

API: list[Case] = [
    _api("GET", "/api/", EVERYONE, "API index"),
    _api("GET", "/api/regions/", EVERYONE, "regions"),
    _api("GET", "/api/regions/{code}", EVERYONE, "a region", REGION),
    _api("GET", "/api/regions/{code}/geometry", EVERYONE, "a region's shape", REGION, doc=False),
    _api("GET", "/api/organisations/", EVERYONE, "organisations"),
    _api("GET", "/api/organisations/{id}", EVERYONE, "an organisation", lambda w: {"id": w.orgs.member_a.pk}),
    _api("GET", "/api/organisations/{id}", EVERYONE, "an organisation's contacts (token with read)",
         lambda w: {"id": w.orgs.member_a.pk}, shows=lambda w: w.orgs.member_a.contact_email,
         shown_to=CONTACTS_OF_A),
    _api("GET", "/api/projects/", EVERYONE, "projects"),
    _api("GET", "/api/projects/{number}", EVERYONE, "a project", lambda w: {"number": w.projects.project.number}),
    _api("GET", "/api/taxonomy/schemes", EVERYONE, "classification schemes"),
    _api("GET", "/api/taxonomy/schemes/{code}/concepts", EVERYONE, "a scheme's concepts",
         lambda w: {"code": w.projects.scheme.code}, doc=False),
    _api("GET", "/api/indicators/", EVERYONE, "indicators"),
    _api("GET", "/api/indicators/{code}/observations", EVERYONE, "an indicator's observations",
         lambda w: {"code": "gdp"}, hidden=True, doc=False),
    _api("GET", "/api/s3/schemes", EVERYONE, "S3 domain schemes"),
    _api("GET", "/api/s3/regions/{code}/opportunities", EVERYONE, "a region's diversification opportunities",
         REGION),
    _api("GET", "/api/s3/regions/{code}/specialisation", EVERYONE, "a region's specialisation", REGION),
    _api("GET", "/api/monitoring/strategies/{strategy_id}/indicators", EVERYONE, "a strategy's indicators",
         lambda w: {"strategy_id": w.strategy.pk}),
    _api("GET", "/api/monitoring/indicators/{indicator_id}/values", EVERYONE, "an indicator's values",
         lambda w: {"indicator_id": w.monitoring.indicator.pk}, doc=False),
    _api("GET", "/api/monitoring/queries", EVERYONE, "monitoring queries", doc=False),
    _api("GET", "/api/events/", EVERYONE, "published events"),
    _api("GET", "/api/events/{slug}", EVERYONE, "a published event", EVENT_SLUG),
    _api("GET", "/api/events/{slug}", ADMIN, "an unpublished event (its organisers, token with read)",
         lambda w: {"slug": w.events.draft.slug}, hidden=True),
    _api("GET", "/api/events/{slug}/problem", ORGANISERS, "an event's scheduling problem", EVENT_SLUG,
         scope="read"),
    _api("GET", "/api/events/{slug}/meetings", ORGANISERS, "an event's meetings", EVENT_SLUG, scope="read"),
    _api("POST", "/api/events/{slug}/meetings/{meeting_id}/move", ORGANISERS, "move a meeting", MEETING,
         data=lambda w: {"slot": None, "place": None}, scope="write"),
    _api("POST", "/api/events/{slug}/meetings/{meeting_id}/lock", ORGANISERS, "lock a meeting", MEETING,
         data=lambda w: {"locked": False}, scope="write"),
    _api("POST", "/api/events/{slug}/schedule", ORGANISERS, "run the scheduler", EVENT_SLUG,
         data=lambda w: {"time_limit": 1}, scope="write"),
    _api("GET", "/api/events/{slug}/outcomes", ORGANISERS, "an event's outcomes", EVENT_SLUG, scope="read"),
    _api("GET", "/api/consultations/", EVERYONE, "published consultations"),
    _api("GET", "/api/consultations/{slug}", EVERYONE, "a published consultation", slug(PUB_C)),
    _api("GET", "/api/consultations/{slug}", ANALYSTS, "a draft consultation (token with read)", slug(DRAFT_C),
         hidden=True),
    _api("GET", "/api/consultations/{slug}/questions/{question_id}/themes", ANALYSTS,
         "themes of a consultation's answers",
         lambda w: {"slug": w.consultations.published.slug, "question_id": w.consultations.question.pk},
         scope="read"),
    _api("GET", "/api/practices/", EVERYONE, "good practices"),
    _api("GET", "/api/practices/workshops/", EVERYONE, "workshops"),
    _api("GET", "/api/practices/{slug}", EVERYONE, "a good practice", slug(PUB_P)),
    _api("GET", "/api/practices/{slug}", EVERYONE, "a practice author's e-mail (token with read)", slug(PUB_P),
         shows=lambda w: w.practices.published.author_email, shown_to=CONTACTS_OF_A, doc=False),
    # The API shows published practices only, to administrators too (they see drafts on the pages).
    _api("GET", "/api/practices/{slug}", NOBODY, "an unpublished good practice", slug(DRAFT_P), hidden=True,
         doc=False),
    _api("GET", "/api/search/", EVERYONE, "search", query="q=laboratory", also_ok=(503,)),
    _api("GET", "/api/search/match", EVERYONE, "match a need", query="need=materials+testing", also_ok=(503,)),
    _api("GET", "/api/search/team", EVERYONE, "form a team", query="challenge=materials+testing", also_ok=(503,)),
    _api("GET", "/api/search/partners/{region}", EVERYONE, "partner regions", lambda w: {"region": "ITH5"}),
    _api("GET", "/api/search/organisations/{id}/calls", EVERYONE, "calls for an organisation",
         lambda w: {"id": w.orgs.member_a.pk}, doc=False, also_ok=(503,)),
    _api("GET", "/api/search/calls/{id}", EVERYONE, "organisations for a call",
         lambda w: {"id": w.projects.call.pk}, doc=False, also_ok=(503,)),
    _api("GET", "/api/search/index", EVERYONE, "search index status", doc=False),
    _api("GET", "/api/search/talent", ANALYSTS, "graduates' profiles (personal data)", scope="read"),
    _api("GET", "/api/search/overlaps", EVERYONE, "overlapping initiatives", doc=False),
    _api("GET", "/api/search/meet", EVERYONE, "whom should I meet", doc=False,
         query=lambda w: f"a={w.orgs.member_a.pk}&b={w.orgs.company.pk}&b={w.orgs.outsider.pk}"),
    _api("GET", "/api/exports/{dataset}", SIGNED_IN, "download a dataset (token with export)",
         lambda w: {"dataset": "organisations"}, scope="export",
         shows=lambda w: w.orgs.member_a.contact_email, shown_to=NOBODY),
]
