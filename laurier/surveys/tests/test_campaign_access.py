"""Only the program's managers and the organisation's admins reach its campaigns."""

import pytest
from django.urls import reverse

from conftest import member
from laurier.organisations.models import Role
from laurier.testing import factories

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "campaigns", False),
    ("get", "campaign_create", False),
    ("get", "campaign_detail", True),
    ("get", "campaign_rate", True),
    ("post", "campaign_remind", True),
    ("post", "campaign_close", True),
]


@pytest.fixture
def campaign(program):
    return factories.CampaignFactory(program=program)


def url(organisation, program, name, campaign, with_pk):
    args = [organisation.slug, program.slug] + ([campaign.pk] if with_pk else [])
    return reverse(f"surveys:{name}", args=args)


def call(client, method, address):
    return getattr(client, method)(address)


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_admins_reach_every_campaign_page(
    login, admin_user, organisation, program, campaign, method, name, with_pk
):
    response = call(login(admin_user), method, url(organisation, program, name, campaign, with_pk))

    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_another_organisations_admin_gets_404(
    login, other_admin_user, organisation, program, campaign, method, name, with_pk
):
    response = call(
        login(other_admin_user), method, url(organisation, program, name, campaign, with_pk)
    )

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_a_mentee_gets_403(
    login, mentee_user, organisation, program, campaign, method, name, with_pk
):
    response = call(login(mentee_user), method, url(organisation, program, name, campaign, with_pk))

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_a_mentor_gets_403(
    login, mentor_user, organisation, program, campaign, method, name, with_pk
):
    response = call(login(mentor_user), method, url(organisation, program, name, campaign, with_pk))

    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "with_pk"), PAGES)
def test_a_manager_of_another_program_gets_404(
    login, organisation, program, campaign, method, name, with_pk
):
    elsewhere = member(organisation, Role.MANAGER, email="elsewhere@example.org")
    factories.ProgramFactory(organisation=organisation).managers.add(elsewhere)

    response = call(login(elsewhere), method, url(organisation, program, name, campaign, with_pk))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "with_pk"), [p for p in PAGES if p[2]])
def test_another_programs_campaign_through_this_programs_address_gets_404(
    login, manager_user, organisation, program, method, name, with_pk
):
    other_program = factories.ProgramFactory(organisation=organisation)
    other_program.managers.add(manager_user)
    foreign = factories.CampaignFactory(program=other_program)

    response = call(login(manager_user), method, url(organisation, program, name, foreign, True))

    assert response.status_code == 404


@pytest.mark.parametrize(("method", "name", "with_pk"), [p for p in PAGES if p[2]])
def test_another_organisations_campaign_through_this_programs_address_gets_404(
    login, admin_user, other_organisation, organisation, program, method, name, with_pk
):
    foreign = factories.CampaignFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    )

    response = call(login(admin_user), method, url(organisation, program, name, foreign, True))

    assert response.status_code == 404


def test_a_person_of_another_organisation_cannot_be_chosen_by_id(
    login, admin_user, organisation, program, other_organisation
):
    import datetime

    from laurier.core.dates import organisation_today
    from laurier.surveys.models import Campaign

    survey = factories.SurveyFactory(organisation=organisation)
    factories.MentorEnrolmentFactory(program=program)
    stranger = factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=other_organisation)
    ).person

    response = login(admin_user).post(
        reverse("surveys:campaign_create", args=[organisation.slug, program.slug]),
        {
            "survey": survey.pk,
            "name": "Sneaky",
            "audience": Campaign.Audience.CHOSEN,
            "people": [stranger.pk],
            "closes_on": (
                organisation_today(organisation) + datetime.timedelta(days=5)
            ).isoformat(),
            "action": "launch",
        },
    )

    assert response.status_code == 200
    assert not Campaign.objects.exists()
