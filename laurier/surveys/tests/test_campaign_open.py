"""One definition of an open campaign: the queryset, the loaded campaign and the list agree."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from laurier.surveys.models import Campaign, open_condition
from laurier.surveys.selectors.campaigns import campaigns_of_program
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(program):
    now = timezone.now()
    return {
        "open": factories.CampaignFactory(
            program=program, closes_at=now + datetime.timedelta(days=1)
        ),
        "past its date": factories.CampaignFactory(
            program=program, closes_at=now - datetime.timedelta(seconds=1)
        ),
        "closed by hand": factories.CampaignFactory(
            program=program, closes_at=now + datetime.timedelta(days=1), closed_at=now
        ),
    }


def test_open_and_closed_split_the_campaigns(campaigns):
    assert list(Campaign.objects.open()) == [campaigns["open"]]
    assert set(Campaign.objects.closed()) == {
        campaigns["past its date"],
        campaigns["closed by hand"],
    }


def test_the_loaded_campaign_and_the_list_agree_with_the_queryset(program, campaigns):
    listed = {campaign.pk: campaign.closed for campaign in campaigns_of_program(program)}

    for campaign in campaigns.values():
        assert campaign.is_open == Campaign.objects.open().filter(pk=campaign.pk).exists()
        assert listed[campaign.pk] == (not campaign.is_open)


def test_the_condition_reads_through_a_relation(campaigns):
    recipient = factories.RecipientFactory(campaign=campaigns["open"])
    factories.RecipientFactory(campaign=campaigns["closed by hand"])

    assert list(recipient.__class__.objects.filter(open_condition(prefix="campaign__"))) == [
        recipient
    ]
