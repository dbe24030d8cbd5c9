"""Campaign pages are sound for assistive technology: unique ids, labelled fields, one <h1>."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest

from laurier.core.tests.test_page_markup import check_markup
from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Campaign, Recipient, Survey
from laurier.surveys.services.campaigns import close_campaign
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401
    answer,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
    today,
)

pytestmark = pytest.mark.django_db


def assert_sound(response):
    assert response.status_code == 200
    assert check_markup(response.content.decode()) == ([], [], 1)


@pytest.fixture(params=[True, False], ids=["anonymous", "named"])
def campaign(request, organisation, program, manager_user):
    enrol_mentors(program, 6)
    factories.MenteeEnrolmentFactory(program=program)
    campaign = launch(program, pulse_survey(organisation, anonymous=request.param), manager_user)
    for recipient in Recipient.objects.filter(campaign=campaign)[:5]:
        answer(recipient, comment="A comment")
    # An anonymous campaign shows its results once closed; the named one stays open.
    return close_campaign(campaign, actor=manager_user) if request.param else campaign


def test_the_list_is_sound(manager_client, campaign, campaign_url):
    assert_sound(manager_client.get(campaign_url("campaigns")))


def test_the_campaign_page_is_sound(manager_client, campaign, campaign_url):
    assert_sound(manager_client.get(campaign_url("campaign_detail", campaign.pk)))


def test_the_empty_form_is_sound(manager_client, campaign, campaign_url):
    assert_sound(manager_client.get(campaign_url("campaign_create")))


def test_the_form_with_chosen_people_and_errors_is_sound(
    manager_client, campaign, campaign_url, today
):
    chosen = Recipient.objects.filter(campaign=campaign).values_list("person", flat=True)[:2]
    response = manager_client.post(
        campaign_url("campaign_create"),
        {
            "survey": campaign.survey.copied_from_id,
            "audience": Campaign.Audience.CHOSEN,
            "people": list(chosen),
            "closes_on": today.isoformat(),
            "remind_after_days": "30",
            "action": "launch",
        },
    )
    assert_sound(response)
    assert not Campaign.objects.exclude(pk=campaign.pk).exists()


def test_the_form_after_adding_every_match_is_sound(manager_client, campaign, campaign_url, today):
    response = manager_client.post(
        campaign_url("campaign_create"),
        {
            "closes_on": (today + datetime.timedelta(days=3)).isoformat(),
            "action": "add_all",
        },
    )
    assert_sound(response)
    assert len(response.context["chosen"]) == 7


def test_each_result_row_is_headed_by_its_choice_or_value(manager_client, campaign, campaign_url):
    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert '<th scope="row">Yes</th>' in page
    assert '<th scope="row">Badge</th>' in page
    assert '<th scope="row">4</th>' in page
    assert "<tr><td>" not in page


def test_help_and_errors_follow_the_input_and_describe_it(
    manager_client, campaign, campaign_url, today
):
    response = manager_client.post(
        campaign_url("campaign_create"),
        {
            "survey": campaign.survey.copied_from_id,
            "audience": Campaign.Audience.MENTORS,
            "closes_on": today.isoformat(),
            "action": "launch",
        },
    )
    page = response.content.decode()

    label = page.index('<label for="id_closes_on">')
    field = page.index('id="id_closes_on"', label + 30)
    help_text = page.index('id="id_closes_on_helptext"')
    error = page.index('id="id_closes_on_error"')
    assert label < page.index("</label>", label) < field < help_text < error
    assert 'aria-describedby="id_closes_on_helptext id_closes_on_error"' in page


def test_the_campaign_page_with_failed_emails_is_sound(manager_client, campaign, campaign_url):
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.FAILED, last_error="550 <no> user")
    response = manager_client.get(campaign_url("campaign_detail", campaign.pk))

    assert_sound(response)
    assert "550 &lt;no&gt; user" in response.content.decode()


def test_the_form_warning_of_a_second_pulse_is_sound(
    manager_client, organisation, program, manager_user, campaign_url, today
):
    cycle = factories.CycleFactory(program=program)
    enrol_mentors(program, organisation.anonymity_threshold)
    pulse = pulse_survey(organisation, purpose=Survey.Purpose.PULSE)
    launch(program, pulse, manager_user, cycle=cycle)
    response = manager_client.post(
        campaign_url("campaign_create"),
        {
            "survey": pulse.pk,
            "cycle": cycle.pk,
            "audience": Campaign.Audience.MENTORS,
            "closes_on": (today + datetime.timedelta(days=10)).isoformat(),
            "action": "launch",
        },
    )

    assert_sound(response)
    assert 'id="split-pulse"' in response.content.decode()
