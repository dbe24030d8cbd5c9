"""The demo loaded once for this folder's tests (per test worker): loading it takes seconds, and
these tests only read it.

Each test still runs in its own savepoint inside (as with Django's setUpTestData), so what one
test changes is undone before the next; the whole demo is rolled back after the last test of
the folder. Tests that need a database without the demo live outside this folder.
"""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings

from laurier.demo.demo_organisation import load_demo_organisation
from laurier.organisations.models import Organisation
from laurier.testing.overrides import settings_for_tests

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(scope="package")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**settings_for_tests()):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo_organisation(today=TODAY)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_loaded, db):
    return Organisation.objects.get(slug="demo")
