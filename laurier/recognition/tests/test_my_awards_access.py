"""Only the mentor sees a recognition, and only once it is given: anything else is not found."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest

from laurier.recognition.models import Award
from laurier.testing import factories

from .test_my_awards_support import (  # noqa: F401
    award_in_database,
    free_option,
    mentor_person,
    my_award_url,
    my_awards_url,
)

pytestmark = pytest.mark.django_db


def test_my_own_given_recognition_opens(login, mentor_user, mentor_person, program):
    award = award_in_database(program, mentor_person)

    assert login(mentor_user).get(my_award_url(award)).status_code == 200


def test_someone_elses_recognition_is_not_found(login, mentor_user, mentor_person, program):
    colleague = factories.MentorEnrolmentFactory(program=program).person
    award = award_in_database(program, colleague)

    assert login(mentor_user).get(my_award_url(award)).status_code == 404


@pytest.mark.parametrize(
    "status", [Award.Status.PLANNED, Award.Status.APPROVED, Award.Status.CANCELLED]
)
def test_a_recognition_not_given_is_not_found(login, mentor_user, mentor_person, program, status):
    award = award_in_database(program, mentor_person, status=status)

    assert login(mentor_user).get(my_award_url(award)).status_code == 404


def test_another_organisations_recognition_is_not_found_through_mine(
    login, mentor_user, mentor_person, other_organisation
):
    factories.MembershipFactory(organisation=other_organisation, user=mentor_user)
    elsewhere = factories.PersonFactory(organisation=other_organisation, user=mentor_user)
    award = award_in_database(factories.ProgramFactory(organisation=other_organisation), elsewhere)

    client = login(mentor_user)

    assert client.get(my_award_url(award, "hydro")).status_code == 404
    assert client.get(my_award_url(award, "other")).status_code == 200


def test_a_user_of_another_organisation_gets_404(login, other_admin_user, mentor_person, program):
    award = award_in_database(program, mentor_person)

    client = login(other_admin_user)

    assert client.get(my_awards_url()).status_code == 404
    assert client.get(my_award_url(award)).status_code == 404


def test_a_manager_without_a_person_record_cannot_open_a_mentors_recognition(
    login, manager_user, mentor_person, program
):
    award = award_in_database(program, mentor_person)

    assert login(manager_user).get(my_award_url(award)).status_code == 404


def test_a_stranger_is_sent_to_sign_in(client, mentor_person, program):
    award = award_in_database(program, mentor_person)

    for url in (my_awards_url(), my_award_url(award)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_pages_only_read(login, mentor_user, mentor_person, program):
    award = award_in_database(program, mentor_person)

    client = login(mentor_user)

    assert client.post(my_awards_url()).status_code == 405
    assert client.post(my_award_url(award)).status_code == 405
