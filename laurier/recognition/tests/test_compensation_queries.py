"""Compensation pages run a fixed number of queries, whatever the history and the ledger."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laurier.programs.figures_cache import figures_changed
from laurier.recognition.categories import RecognitionCategory
from laurier.recognition.models import LedgerEntry
from laurier.recognition.selectors.compensation import fiscal_year_of
from laurier.testing import factories

from .test_compensation_support import (  # noqa: F401
    compensation_url,
    manager_client,
    paid_decision,
    today_of,
    volunteer_decision,
)

pytestmark = pytest.mark.django_db


def count_queries(client, address):
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(program, manager, size):
    """`size` earlier decisions, mentors and stipend payments, and a paying decision in force."""
    organisation = program.organisation
    today = today_of(organisation)
    for index in range(size):
        volunteer_decision(
            program,
            decided_on=today - datetime.timedelta(days=400 + index),
            recorded_by=manager,
        )
        factories.MentorEnrolmentFactory(program=program)
    budget, _created = factories.BudgetFactory._meta.model.objects.get_or_create(
        program=program,
        fiscal_year=fiscal_year_of(organisation, today),
        defaults={"organisation": organisation, "currency": "CAD", "money": "100000.00"},
    )
    option = factories.RecognitionOptionFactory(
        organisation=organisation, category=RecognitionCategory.STIPEND
    )
    for _index in range(size):
        factories.LedgerEntryFactory(
            budget=budget, kind=LedgerEntry.Kind.SPENDING, money="100.00", option=option
        )
    paid_decision(program, decided_on=today, recorded_by=manager)


@pytest.mark.parametrize(
    ("name", "query"),
    [("compensation", ""), ("compensation", "?export=csv"), ("compensation_decide", "")],
)
def test_the_pages_run_the_same_queries_for_2_or_30_decisions(
    django_assert_max_num_queries,
    manager_client,
    compensation_url,
    program,
    manager_user,
    name,
    query,
):
    grow(program, manager_user, 2)
    small = count_queries(manager_client, compensation_url(name) + query)
    grow(program, manager_user, 28)

    with django_assert_max_num_queries(small):
        response = manager_client.get(compensation_url(name) + query)
    if query:
        assert len(b"".join(response).splitlines()) > 30


def test_the_dashboard_warning_adds_no_query(
    django_assert_max_num_queries, manager_client, program, manager_user
):
    address = reverse(
        "programs:dashboard",
        kwargs={"organisation_slug": program.organisation.slug, "program_slug": program.slug},
    )
    without = count_queries(manager_client, address)
    grow(program, manager_user, 5)
    # The factories write without the services, which would have moved the figures' version.
    figures_changed(program.organisation_id)

    with django_assert_max_num_queries(without):
        response = manager_client.get(address)
    assert "This program pays its mentors" in response.content.decode()
