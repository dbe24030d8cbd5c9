"""Lists and the dashboard run a fixed number of queries, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = ["dashboard", "mentors", "mentees", "pairings"]


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_program_pages_run_the_same_queries_for_3_or_30_pairings(
    django_assert_max_num_queries, admin_client, program, program_url, today, populate_program, page
):
    populate_program(program, 3, today)
    small = count_queries(admin_client, program_url(page))
    populate_program(program, 27, today)
    with django_assert_max_num_queries(small):
        admin_client.get(program_url(page))


@pytest.mark.parametrize("page", ["mentors", "pairings"])
def test_program_exports_run_the_same_queries_for_3_or_30_pairings(
    django_assert_max_num_queries, admin_client, program, program_url, today, populate_program, page
):
    populate_program(program, 3, today)
    small = count_queries(admin_client, program_url(page), {"export": "csv"})
    populate_program(program, 27, today)
    with django_assert_max_num_queries(small):
        admin_client.get(program_url(page), {"export": "csv"})


@pytest.mark.parametrize("page", ["people", "list"])
def test_organisation_lists_run_the_same_queries_for_3_or_30_pairings(
    django_assert_max_num_queries, admin_client, program, org_url, today, populate_program, page
):
    populate_program(program, 3, today)
    small = count_queries(admin_client, org_url(page))
    populate_program(program, 27, today)
    with django_assert_max_num_queries(small):
        admin_client.get(org_url(page))


def test_mentor_page_runs_the_same_queries_for_few_or_many_sessions(
    django_assert_max_num_queries, admin_client, program, program_url, today
):
    from laurier.testing import factories

    pairing = factories.PairingFactory(program=program)
    factories.MentoringSessionFactory.create_batch(2, pairing=pairing)
    url = program_url("mentor_detail", pairing.mentor.pk)
    small = count_queries(admin_client, url)
    for _number in range(5):
        more = factories.PairingFactory(program=program, mentor=pairing.mentor)
        factories.MentoringSessionFactory.create_batch(5, pairing=more)
    with django_assert_max_num_queries(small):
        admin_client.get(url)


def test_dashboard_stays_under_a_small_fixed_budget(
    django_assert_max_num_queries, admin_client, program, program_url, today, populate_program
):
    populate_program(program, 30, today)
    with django_assert_max_num_queries(12):
        admin_client.get(program_url("dashboard"))
