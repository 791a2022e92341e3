"""The permission matrix: every page and API operation of the site, requested as every role, against the
declared table of permission_rules.py.

* Every URL pattern (django.urls.get_resolver(), recursively; the admin site apart) and every operation of
  the OpenAPI schema must be declared: a new page or endpoint fails here until someone says who may use it.
* Pages are requested with the role's session; API operations with the role's API token (every scope) and,
  for GET, with its session too; an operation that needs a scope is also called with a token lacking it.
* Restricted pages are POSTed by every refused role (with the form the page gives an allowed role, or the
  declared body) and nothing may be written to the database.
* docs/permissions.md is generated from the table and must match it.

The world (permission_world.py) is built once for the module; each test runs in a savepoint rolled back
at its end, so that allowed writes do not leak into the next test.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from permission_rules import API, PAGES, Case
from permission_world import ROLE_TITLES, ROLES, build_world

DOCS = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
# Tables a refused request may still write to: the session of the signed-in client, login throttling.
BOOKKEEPING_TABLES = ("django_session", "axes_")
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


# ---- the world, once per module; a savepoint per test ------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)


# Every test runs in a transaction of its own inside the module's (pytest-django's django_db mark); the
# mark also makes pytest-django create the test database before the module's world is built in it.
pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    return world


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Cached fragments would outlive the rolled-back world; render every page afresh.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


# ---- what the site has -------------------------------------------------------------------------------

def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the site, as reverse() knows it; unnamed ones by their pattern."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            names.add(f"{namespace}:{name}" if namespace else name)
    return names


def api_operations() -> set[str]:
    from ris3hub.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations
            if method in ("get", "post", "put", "patch", "delete")}


def api_names() -> set[str]:
    """URL names of the API's operations (checked through the schema, not as pages)."""
    from ris3hub.api import api

    return {f"api:{pattern.name}" for pattern in api.urls[0]
            if pattern.name and pattern.name not in _API_PAGE_NAMES}


_API_PAGE_NAMES = {c.route.split(":", 1)[1] for c in PAGES if c.route.startswith("api:")}


def test_every_page_is_declared():
    declared = {c.route for c in PAGES}
    missing = url_names() - declared - api_names()
    assert not missing, f"pages without a line in tests/permissions/permission_rules.py: {sorted(missing)}"
    unknown = declared - url_names()
    assert not unknown, f"declared pages that do not exist: {sorted(unknown)}"


def test_every_api_operation_is_declared():
    declared = {c.route for c in API}
    missing = api_operations() - declared
    assert not missing, f"API operations without a line in tests/permissions/permission_rules.py: {sorted(missing)}"
    unknown = declared - api_operations()
    assert not unknown, f"declared API operations that do not exist: {sorted(unknown)}"


# ---- requests and outcomes ---------------------------------------------------------------------------

def fresh_client(world, role: str) -> Client:
    """A client signed in as the role's user through a session made directly (not Client.force_login: its
    request has no address, and the login throttle's reset then fails on PostgreSQL's inet column)."""
    client = Client()
    if role == "anonymous":
        return client
    user = world.users[role]
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker):
    """One signed-in client per role for the module (their sessions are part of the world)."""
    with django_db_blocker.unblock():
        return {role: fresh_client(world, role) for role in ROLES}


_SESSIONS: dict = {}


def client_for(world, role: str) -> Client:
    return _SESSIONS[role]


@pytest.fixture(autouse=True)
def _sessions_of_the_module(sessions):
    _SESSIONS.clear()
    _SESSIONS.update(sessions)


def query_of(world, case: Case) -> str:
    return case.query(world) if callable(case.query) else case.query


def page_url(world, case: Case) -> str:
    url = reverse(case.route, kwargs=case.kwargs(world) or None)
    query = query_of(world, case)
    return f"{url}?{query}" if query else url


def api_url(world, case: Case) -> str:
    path = case.route.split(" ", 1)[1]
    for key, value in case.kwargs(world).items():
        path = path.replace("{" + key + "}", str(value))
    query = query_of(world, case)
    return f"{path}?{query}" if query else path


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302) and response["Location"].startswith(settings.LOGIN_URL)


def page_outcome(case: Case, response) -> str:
    status = response.status_code
    if status in case.also_ok:
        return "ok"
    if status in (301, 302, 303):
        if is_login_redirect(response):
            return "login"
        if case.deny_redirect and response["Location"].split("?")[0] == case.deny_redirect:
            return "redirected"
        return "ok"
    if 200 <= status < 300:
        return "ok"
    return {403: "forbidden", 404: "hidden"}.get(status, f"status {status}")


def expected_page_refusal(case: Case, role: str) -> set[str]:
    if case.hidden:
        return {"hidden", "login"} if role == "anonymous" else {"hidden"}
    if case.deny_redirect:
        return {"redirected"}
    return {"login"} if role == "anonymous" else {"forbidden"}


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def check_shows(world, case: Case, role: str, response, problems: list[str], how: str) -> None:
    if case.shows is None or response.status_code != 200:
        return
    text = case.shows(world)
    shown = text in body_text(response)
    if shown != (role in case.shown_to):
        problems.append(f"{role} ({how}): {text!r} {'shown' if shown else 'not shown'}, expected "
                        f"{'shown' if role in case.shown_to else 'hidden'}")


def request_page(client: Client, case: Case, url: str, data: dict | None = None):
    if case.method == "POST":
        return client.post(url, data or {})
    return client.get(url)


@pytest.mark.parametrize("case", PAGES, ids=lambda c: c.label)
def test_page_as_every_role(w, case):
    url = page_url(w, case)
    problems = []
    for role in ROLES:
        # Signing out ends the session: those cases get a client of their own.
        client = fresh_client(w, role) if case.route.endswith("logout") else client_for(w, role)
        response = request_page(client, case, url, case.data(w) if case.data else None)
        outcome = page_outcome(case, response)
        if case.login_page:
            expected = {"login"}
        elif role in case.allowed:
            expected = {"ok"}
        else:
            expected = expected_page_refusal(case, role)
        if outcome not in expected:
            where = f" -> {response['Location']}" if response.status_code in (301, 302, 303) else ""
            problems.append(f"{role}: {outcome}{where}, expected {' or '.join(sorted(expected))}")
        check_shows(w, case, role, response, problems, "session")
    assert not problems, f"{case.method} {url}:\n  " + "\n  ".join(problems)


# ---- refused roles cannot POST to restricted pages ---------------------------------------------------

class FormFields(HTMLParser):
    """The fields of the POST forms of a page: [(action, {name: value})]."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._fields: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = {}
            self.forms.append((a.get("action") or "", self._fields))
        elif self._fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self._fields.setdefault(a["name"], a.get("value") or "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self._fields):
            self._fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_of(world, case: Case, url: str) -> dict:
    """The page's own form as an allowed role gets it (the fields as they are), to be posted by others."""
    role = next(r for r in ROLES if r in case.allowed)
    response = client_for(world, role).get(url)
    parser = FormFields()
    parser.feed(body_text(response))
    path = url.split("?")[0]
    own = [fields for action, fields in parser.forms if action in ("", path, url)]
    return max(own, key=len) if own else {}


def writes(queries) -> list[str]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and not match.group(2).strip('"').startswith(BOOKKEEPING_TABLES):
            found.append(query["sql"][:160])
    return found


RESTRICTED = [c for c in PAGES if c.allowed != frozenset(ROLES) and not c.login_page and c.allowed]


@pytest.mark.parametrize("case", RESTRICTED, ids=lambda c: c.label)
def test_refused_roles_cannot_post(w, case):
    url = page_url(w, case)
    data = case.data(w) if case.data else form_of(w, case, url)
    problems = []
    for role in ROLES:
        if role in case.allowed:
            continue
        client = client_for(w, role)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data)
        outcome = page_outcome(case, response)
        expected = expected_page_refusal(case, role)
        if outcome not in expected:
            problems.append(f"{role}: POST {outcome}, expected {' or '.join(sorted(expected))}")
        changed = writes(queries.captured_queries)
        if changed:
            problems.append(f"{role}: POST wrote to the database: {changed}")
    assert not problems, f"POST {url} with {sorted(data)}:\n  " + "\n  ".join(problems)


# ---- the API -----------------------------------------------------------------------------------------

def api_outcome(case: Case, response) -> str:
    status = response.status_code
    if 200 <= status < 300 or status in case.also_ok:
        return "ok"
    return {401: "unauthenticated", 403: "forbidden", 404: "hidden"}.get(status, f"status {status}")


def expected_api_refusal(case: Case, role: str) -> set[str]:
    if case.hidden:
        return {"hidden"}
    return {"unauthenticated"} if role == "anonymous" else {"forbidden"}


def call_api(client: Client, case: Case, url: str, world, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if case.method == "GET":
        return client.get(url, headers=headers)
    import json

    body = json.dumps(case.data(world) if case.data else {})
    return client.generic(case.method, url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("case", API, ids=lambda c: c.label)
def test_api_as_every_role(w, case):
    url = api_url(w, case)
    problems = []

    def judge(role, how, response):
        outcome = api_outcome(case, response)
        expected = {"ok"} if role in case.allowed else expected_api_refusal(case, role)
        if outcome not in expected:
            problems.append(f"{role} ({how}): {outcome} {response.content[:200]!r}, "
                            f"expected {' or '.join(sorted(expected))}")
        check_shows(w, case, role, response, problems, how)

    for role in ROLES:
        token = w.tokens.get(role)
        judge(role, "token" if token else "no auth", call_api(Client(), case, url, w, token))
        if case.method == "GET" and role != "anonymous":
            judge(role, "session", call_api(client_for(w, role), case, url, w))
    if case.scope and "administrator" in case.allowed:
        response = call_api(Client(), case, url, w, w.read_only_token)
        outcome = api_outcome(case, response)
        expected = "ok" if case.scope == "read" else "forbidden"
        if outcome != expected:
            problems.append(f"administrator (token with read only, operation needs {case.scope}): {outcome}, "
                            f"expected {expected}")
    assert not problems, f"{case.method} {url}:\n  " + "\n  ".join(problems)


# ---- the admin site ----------------------------------------------------------------------------------

def test_admin_site_only_for_administrators(w):
    problems = []
    for role in ROLES:
        response = client_for(w, role).get("/admin/")
        reached = response.status_code == 200
        if reached != (role == "administrator"):
            problems.append(f"{role}: {response.status_code} {response.get('Location', '')}")
    assert not problems, "/admin/:\n  " + "\n  ".join(problems)


# ---- docs/permissions.md -----------------------------------------------------------------------------

MARK = {True: "✓", False: "—"}


def permissions_markdown() -> str:
    lines = [
        "# Who may do what",
        "",
        "Generated from the declared permission table (tests/permissions/permission_rules.py); the test",
        "tests/permissions/test_permission_matrix.py checks every page and API operation against it as every",
        "role, and fails when this file differs from the table (regenerate it with",
        "`RIS3HUB_WRITE_PERMISSIONS_DOC=1 .venv/bin/pytest tests/permissions -k docs`).",
        "",
        "Roles: a **visitor** is not signed in; a **registered user** has an account and no role; an **editor**",
        "acts for one organisation (here: member A of a network); a **network coordinator** runs a network",
        "organisation (A and B are its members); an **analyst** reads all analytics, results and exports; an",
        "**administrator** (the managing authority) may do everything. \"Editor of another organisation\" shows",
        "the object-level refusals: an editor is refused the organisations they do not act for.",
        "",
        "Refusals: a visitor is sent to the login page (the API answers 401); a signed-in user gets 403, or",
        "404 where the object itself is hidden (drafts, someone else's token). Exports follow their pages.",
        "",
    ]
    for title, cases in (("Pages", PAGES), ("API", API)):
        header = ["What", "Where", *(ROLE_TITLES[r] for r in ROLES)]
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for case in cases:
            if not case.doc:
                continue
            where = f"`{case.route}`"
            if case.query and isinstance(case.query, str):
                where += f" `?{case.query}`"
            who = case.shown_to if case.shows else case.allowed
            cells = [MARK[r in who] for r in ROLES]
            lines.append(f"| {case.what} | {where} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def test_docs_match_the_table():
    text = permissions_markdown()
    if os.environ.get("RIS3HUB_WRITE_PERMISSIONS_DOC"):
        DOCS.write_text(text, encoding="utf-8")
    assert DOCS.is_file() and DOCS.read_text(encoding="utf-8") == text, (
        "docs/permissions.md differs from tests/permissions/permission_rules.py: regenerate it with "
        "RIS3HUB_WRITE_PERMISSIONS_DOC=1 .venv/bin/pytest tests/permissions -k docs")
