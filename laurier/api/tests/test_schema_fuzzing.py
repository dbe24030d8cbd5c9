"""Schemathesis against the live schema: every operation, a bounded number of generated calls
each, with a token of every scope. No call may give a server error, and every answer must match
what the schema says of it."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

application = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected: the schema comes from the app itself, without a database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
# The coverage phase tries every parameter's boundary values (the biggest integers, NUL bytes,
# far dates): PostgreSQL is the database that refuses most of them, and the phase is two thirds
# of this test's time, so it runs in the PostgreSQL run of the suite only; random calls run in both.
if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    schema.config.phases.coverage.enabled = False


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """The calls go through the WSGI handler, which closes old database connections at the
    start and end of each request: that would close the test's own connection, whose
    transaction holds the test's rows (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_calls_never_break_the_api_nor_its_schema(case, api_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, checks=CHECKS)
