"""schemathesis against the OpenAPI schema at /api/schema, in-process through the WSGI application.

Every operation is called with generated valid and invalid parameters on a database holding real
rows of every domain (tests/fuzz/conftest.py). An answer must never be a server error, and must
match what the schema says of it: a documented status code, its content type, its body's schema.
Examples per operation are bounded so that the whole file runs in a couple of minutes.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from django.db import connection
from django.test import Client

from ris3hub.api import api
from ris3hub.wsgi import application

pytestmark = pytest.mark.django_db


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


# The schema as /api/schema serves it (tests/api checks that endpoint), read without a request:
# collection has no database, and schemathesis.pytest.from_fixture does not run under pytest 9.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
schema.app = application


@pytest.fixture
def api_data(everything, settings, monkeypatch):
    """Rate limits off: they answer 429 to a fuzzer, which is their job (tests/security covers them).

    schemathesis calls the WSGI application itself, so each request ends with Django's
    close_old_connections, which closes a connection found inside the test's transaction: harmless
    on SQLite's in-memory database, fatal on PostgreSQL (django.test.Client detaches that signal
    around each of its own requests, and attaches it again after).
    """
    settings.RATELIMIT_ENABLE = False
    monkeypatch.setattr(connection, "close_if_unusable_or_obsolete", lambda: None)
    return everything


MAX_EXAMPLES = 20

# What the first runs found: each answered 500 (or a status the schema did not document).
FOUND = [
    ("/api/indicators/?offset=60542676085857253851136", 422),  # OverflowError: offset beyond SQLite's integers
    ("/api/search/meet?a=1694847144973239041115094515712&b=1", 404),  # the same, in an id list
    ("/api/search/team?challenge=&competence=&max_size=4", 422),  # ValueError: no competence
    ("/api/practices/?topic=null", 422),  # 422 was not documented
    ("/api/practices/workshops/?upcoming=maybe", 422),
]


def test_every_operation_answers_as_its_schema_says(api_data):
    """Each operation in turn on one database (built once: building it is most of the cost)."""
    client = Client()
    for url, status in FOUND:
        response = client.get(url)
        assert response.status_code == status, (url, response.content)
        assert response.json()["ok"] is False
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def answers(case):
            case.call_and_validate(checks=CHECKS)

        try:
            answers()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, then reported together
            failures.append(f"{operation.label}:\n{error}")
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)
