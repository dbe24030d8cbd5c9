"""A campaign's recipients page, where a manager sends one recipient a new link: found by name
or e-mail, paginated, in a constant number of queries, and silent about who answered an
anonymous survey."""

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.surveys.models import Survey
from laurier.testing import factories


@pytest.fixture
def manager(client, manager_user):
    client.force_login(manager_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def campaign_with(program, *first_names, anonymous=False):
    survey = factories.SurveyFactory(
        organisation=program.organisation,
        frozen=True,
        anonymous=anonymous,
        purpose=Survey.Purpose.OTHER,
    )
    campaign = factories.CampaignFactory(program=program, survey=survey)
    for first_name in first_names:
        factories.RecipientFactory(
            campaign=campaign,
            person__organisation=program.organisation,
            person__first_name=first_name,
            person__email=f"{first_name.lower()}@example.org",
            responded_at=timezone.now(),
        )
    return campaign


def recipients_url(campaign, **query):
    address = reverse(
        "surveys:campaign_recipients",
        args=[campaign.organisation.slug, campaign.program.slug, campaign.pk],
    )
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_campaign_page_leads_to_its_recipients(manager, program):
    campaign = campaign_with(program, "Léa")

    page = manager.get(
        reverse(
            "surveys:campaign_detail", args=[program.organisation.slug, program.slug, campaign.pk]
        )
    ).content.decode()

    assert recipients_url(campaign) in page


def test_a_search_finds_a_recipient_by_e_mail(manager, program):
    campaign = campaign_with(program, "Léa", "Marc")

    page = manager.get(recipients_url(campaign, find="marc@example")).content.decode()

    assert "marc@example.org" in page
    assert "léa@example.org" not in page.lower()


@pytest.mark.parametrize(("anonymous", "shown"), [(False, True), (True, False)])
def test_who_answered_shows_only_where_results_name_people(manager, program, anonymous, shown):
    campaign = campaign_with(program, "Léa", anonymous=anonymous)

    page = manager.get(recipients_url(campaign)).content.decode()

    assert ("Answered on" in page) is shown


@pytest.mark.parametrize("count", [1, 30])
def test_the_page_reads_the_same_queries_whatever_the_recipients(
    manager, program, count, django_assert_max_num_queries
):
    campaign = campaign_with(program, *(f"Person{n}" for n in range(count)))

    with django_assert_max_num_queries(12):
        response = manager.get(recipients_url(campaign))

    assert response.status_code == 200
    assert response.content.decode().count('name="link"') == count
