import pytest
from django.db.models import RestrictedError

from laurier.organisations.models import Organisation
from laurier.surveys.models import Survey
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def test_deleting_an_organisation_deletes_its_campaigns_and_surveys():
    campaign = factories.CampaignFactory()
    organisation = campaign.organisation

    organisation.delete()

    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert not Survey.objects.exists()


def test_a_survey_that_was_sent_cannot_be_deleted_alone():
    campaign = factories.CampaignFactory()

    with pytest.raises(RestrictedError):
        campaign.survey.delete()
