"""Campaign pages run a fixed number of queries, whatever the number of people and answers."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laurier.surveys.models import Recipient
from laurier.surveys.services.campaigns import close_campaign

from .test_campaign_support import (  # noqa: F401
    answer,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
)

pytestmark = pytest.mark.django_db


def count_queries(client, address, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(address, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(program, survey, actor, people, name, *, close=True):
    """A campaign to `people` new mentors, all of whom answered, with a comment each."""
    enrol_mentors(program, people)
    campaign = launch(program, survey, actor, name=name)
    for index, recipient in enumerate(Recipient.objects.filter(campaign=campaign)):
        answer(recipient, comment=f"Comment {index}")
    # Closed, so that an anonymous campaign shows (and exports) its results.
    return close_campaign(campaign, actor=actor) if close else campaign


def test_the_list_runs_the_same_queries_for_2_or_12_campaigns(
    django_assert_max_num_queries, manager_client, organisation, program, manager_user, campaign_url
):
    survey = pulse_survey(organisation, anonymous=False)
    for index in range(2):
        grow(program, survey, manager_user, 3, f"Small {index}")
    small = count_queries(manager_client, campaign_url("campaigns"))
    for index in range(10):
        grow(program, survey, manager_user, 4, f"Large {index}")

    with django_assert_max_num_queries(small):
        manager_client.get(campaign_url("campaigns"))


@pytest.mark.parametrize("anonymous", [True, False])
@pytest.mark.parametrize("params", [{}, {"export": "csv"}])
def test_the_campaign_page_runs_the_same_queries_for_6_or_40_responses(
    django_assert_max_num_queries,
    manager_client,
    organisation,
    program,
    manager_user,
    campaign_url,
    anonymous,
    params,
):
    survey = pulse_survey(organisation, anonymous=anonymous)
    small_campaign = grow(program, survey, manager_user, 6, "Small")
    small = count_queries(
        manager_client, campaign_url("campaign_detail", small_campaign.pk), params
    )
    large_campaign = grow(program, survey, manager_user, 40, "Large")

    with django_assert_max_num_queries(small):
        manager_client.get(campaign_url("campaign_detail", large_campaign.pk), params)


def test_the_rate_runs_the_same_queries_for_6_or_40_people(
    django_assert_max_num_queries, manager_client, organisation, program, manager_user, campaign_url
):
    survey = pulse_survey(organisation)
    small_campaign = grow(program, survey, manager_user, 6, "Small", close=False)
    small = count_queries(manager_client, campaign_url("campaign_rate", small_campaign.pk))
    large_campaign = grow(program, survey, manager_user, 40, "Large", close=False)

    with django_assert_max_num_queries(small):
        manager_client.get(campaign_url("campaign_rate", large_campaign.pk))
