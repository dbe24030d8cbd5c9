"""A program manager reaches the credentials of the people of the programs they manage, and no
others: another program's person does not exist for them (404), in every list and export too.
An admin reaches every credential of the organisation. The badges themselves belong to the
organisation: every manager sees and edits them."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from laurier.credentials.models import Credential
from laurier.credentials.services import awarding
from laurier.programs.models import EnrolmentStatus
from laurier.testing import factories

from .manager_support import badge_form_data, make_badge, mentor_of, url


@pytest.fixture
def badge(organisation):
    return make_badge(organisation)


@pytest.fixture
def other_program(organisation):
    return factories.ProgramFactory(organisation=organisation, name="Envol", slug="envol")


@pytest.fixture
def ours(badge, program):
    """The credential of a mentor of the manager's program."""
    person = mentor_of(program, first_name="Léa", last_name="Bédard", email="lea@example.org")
    return awarding.award_badge(badge, person, actor=None)[0]


@pytest.fixture
def theirs(badge, other_program):
    """The credential of a mentor who is only in a program the manager does not manage."""
    person = mentor_of(
        other_program, first_name="Marc", last_name="Ailleurs", email="marc@example.org"
    )
    return awarding.award_badge(badge, person, actor=None)[0]


@pytest.fixture
def manager(login, manager_user):
    return login(manager_user)


@pytest.fixture
def admin(login, admin_user):
    return login(admin_user)


def revoke(client, credential):
    return client.post(
        url("issued_revoke", credential.pk), {"reason": "By mistake", "confirm": "on"}
    )


def exported_names(client):
    response = client.get(url("issued"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row[2] for row in rows[1:]}


def count_queries(client, address, data=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(address, data or {}).status_code == 200
    return len(context.captured_queries)


# --- Another program's credential ---------------------------------------------------------------


def test_manager_of_other_program_gets_404_for_its_credential(manager, theirs):
    assert manager.get(url("issued_detail", theirs.pk)).status_code == 404


def test_manager_of_other_program_gets_404_when_revoking_and_nothing_changes(manager, theirs):
    assert revoke(manager, theirs).status_code == 404
    assert Credential.objects.get(pk=theirs.pk).revoked_at is None


def test_manager_of_other_program_does_not_list_its_credential(manager, ours, theirs):
    page = manager.get(url("issued")).content.decode()

    assert url("issued_detail", ours.pk) in page
    assert url("issued_detail", theirs.pk) not in page


def test_manager_of_other_program_does_not_find_its_credential_by_e_mail(manager, theirs):
    page = manager.get(url("issued"), {"q": "marc@example.org"}).content.decode()

    assert url("issued_detail", theirs.pk) not in page


def test_manager_of_other_program_does_not_export_its_credential(manager, ours, theirs):
    assert exported_names(manager) == {"Léa Bédard"}


def test_manager_of_other_program_does_not_see_its_badge_holders(manager, badge, ours, theirs):
    page = manager.get(url("badge_detail", badge.pk)).content.decode()

    assert url("issued_detail", ours.pk) in page
    assert url("issued_detail", theirs.pk) not in page
    assert "Ailleurs" not in page


def test_manager_of_other_program_counts_only_the_holders_they_see(manager, badge, ours, theirs):
    with translation.override("en"):
        page = manager.get(url("badges")).content.decode()

    assert "1 holder" in page
    assert "2 holders" not in page


def test_manager_of_other_program_gets_404_when_awarding_its_mentor(manager, badge, other_program):
    stranger = mentor_of(other_program)

    response = manager.post(url("badge_award", badge.pk), {"people": [stranger.pk]})

    assert response.status_code == 404
    assert not Credential.objects.exists()


def test_manager_of_other_program_gets_404_when_awarding_to_that_program(
    manager, badge, other_program
):
    mentor_of(other_program)

    response = manager.post(url("badge_award", badge.pk), {"program": other_program.pk})

    assert response.status_code == 404
    assert not Credential.objects.exists()


# --- The manager's own program ------------------------------------------------------------------


def test_a_manager_opens_and_revokes_a_credential_of_their_program(manager, ours):
    assert manager.get(url("issued_detail", ours.pk)).status_code == 200
    assert revoke(manager, ours).status_code == 302
    assert Credential.objects.get(pk=ours.pk).revoked_at is not None


def test_a_manager_sees_someone_in_both_programs(manager, badge, program, theirs):
    factories.MentorEnrolmentFactory(program=program, person=theirs.person)

    assert manager.get(url("issued_detail", theirs.pk)).status_code == 200


@pytest.mark.parametrize("status", [EnrolmentStatus.PAUSED, EnrolmentStatus.LEFT])
def test_a_manager_sees_a_mentor_of_their_program_whatever_the_enrolment_status(
    manager, badge, program, status
):
    person = factories.PersonFactory(organisation=program.organisation)
    factories.MentorEnrolmentFactory(program=program, person=person, status=status)
    credential = awarding.award_badge(badge, person, actor=None)[0]

    assert manager.get(url("issued_detail", credential.pk)).status_code == 200


def test_a_manager_sees_a_mentee_of_their_program(manager, badge, program):
    person = factories.PersonFactory(organisation=program.organisation)
    factories.MenteeEnrolmentFactory(program=program, person=person)
    credential = awarding.award_badge(badge, person, actor=None)[0]

    assert manager.get(url("issued_detail", credential.pk)).status_code == 200


def test_a_manager_of_no_program_sees_no_credential(login, organisation, ours):
    user = factories.UserFactory()
    factories.MembershipFactory(organisation=organisation, user=user, role="manager")
    client = login(user)

    assert client.get(url("issued_detail", ours.pk)).status_code == 404
    assert url("issued_detail", ours.pk) not in client.get(url("issued")).content.decode()


# --- Badges stay the organisation's -------------------------------------------------------------


def test_every_manager_may_open_and_edit_every_badge(manager, badge, theirs):
    assert manager.get(url("badge_detail", badge.pk)).status_code == 200

    response = manager.post(url("badge_edit", badge.pk), badge_form_data(label="New"))

    assert response.status_code == 302


# --- The admin ----------------------------------------------------------------------------------


def test_an_admin_reaches_the_credentials_of_every_program(admin, badge, ours, theirs):
    assert admin.get(url("issued_detail", ours.pk)).status_code == 200
    assert admin.get(url("issued_detail", theirs.pk)).status_code == 200
    assert exported_names(admin) == {"Léa Bédard", "Marc Ailleurs"}
    holders = admin.get(url("badge_detail", badge.pk)).content.decode()
    assert url("issued_detail", theirs.pk) in holders


def test_an_admin_may_award_a_mentor_of_any_program(admin, badge, other_program):
    mentor = mentor_of(other_program)

    response = admin.post(url("badge_award", badge.pk), {"people": [mentor.pk]})

    assert response.status_code == 302
    assert Credential.objects.get().person == mentor


# --- Queries ------------------------------------------------------------------------------------


def test_the_scoped_list_runs_the_same_queries_for_few_or_many_people(
    django_assert_max_num_queries, manager, badge, program, other_program, ours, theirs
):
    small = count_queries(manager, url("issued"))
    for _number in range(6):
        awarding.award_badge(badge, mentor_of(program), actor=None)
        awarding.award_badge(badge, mentor_of(other_program), actor=None)

    with django_assert_max_num_queries(small):
        manager.get(url("issued"))


def test_the_scoped_holders_run_the_same_queries_for_few_or_many_people(
    django_assert_max_num_queries, manager, badge, program, other_program, ours, theirs
):
    small = count_queries(manager, url("badge_detail", badge.pk))
    for _number in range(6):
        awarding.award_badge(badge, mentor_of(program), actor=None)
        awarding.award_badge(badge, mentor_of(other_program), actor=None)

    with django_assert_max_num_queries(small):
        manager.get(url("badge_detail", badge.pk))
