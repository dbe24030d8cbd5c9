"""Who reaches a program's compensation pages: its managers and the organisation's admins."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest

from laurier.recognition.models import CompensationDecision
from laurier.testing import factories

from .test_compensation_support import compensation_url, form_data  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = ["compensation", "compensation_decide"]


@pytest.mark.parametrize("name", PAGES)
def test_the_program_s_manager_and_an_admin_reach_the_pages(
    login, manager_user, admin_user, compensation_url, name
):
    assert login(manager_user).get(compensation_url(name)).status_code == 200
    assert login(admin_user).get(compensation_url(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_manager_of_another_program_gets_404(
    login, organisation, manager_user, compensation_url, name
):
    other = factories.ProgramFactory(organisation=organisation, slug="autre")
    response = login(manager_user).get(compensation_url(name, program_slug=other.slug))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_another_organisation_s_admin_gets_404(login, other_admin_user, compensation_url, name):
    assert login(other_admin_user).get(compensation_url(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_mentors_and_mentees_get_403(login, mentor_user, mentee_user, compensation_url, name):
    assert login(mentor_user).get(compensation_url(name)).status_code == 403
    assert login(mentee_user).get(compensation_url(name)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, compensation_url):
    response = client.get(compensation_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_manager_of_another_program_cannot_record_its_decision(
    login, organisation, manager_user, compensation_url
):
    other = factories.ProgramFactory(organisation=organisation, slug="autre")
    response = login(manager_user).post(
        compensation_url("compensation_decide", program_slug=other.slug), form_data(organisation)
    )
    assert response.status_code == 404
    assert not CompensationDecision.objects.exists()


def test_a_mentor_cannot_record_a_decision(login, organisation, mentor_user, compensation_url):
    response = login(mentor_user).post(
        compensation_url("compensation_decide"), form_data(organisation)
    )
    assert response.status_code == 403
    assert not CompensationDecision.objects.exists()


def test_another_organisation_s_admin_cannot_record_a_decision(
    login, organisation, other_admin_user, compensation_url
):
    response = login(other_admin_user).post(
        compensation_url("compensation_decide"), form_data(organisation)
    )
    assert response.status_code == 404
    assert not CompensationDecision.objects.exists()
