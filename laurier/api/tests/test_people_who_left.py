"""The API obeys the services: people marked as having left are enrolled, paired or made
active no more (the rule of programs.services, as on the pages)."""

import datetime

import pytest

from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing
from laurier.testing import factories

LEFT_ON = datetime.date(2026, 1, 5)


@pytest.fixture
def leaver(organisation):
    return factories.PersonFactory(
        organisation=organisation, first_name="Zoé", last_name="Partie", left_on=LEFT_ON
    )


def test_someone_who_left_cannot_be_enrolled(api, program, leaver):
    response = api.post(
        "/api/v1/mentors/", {"program": program.pk, "person": leaver.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["person"] == ["Zoé Partie has left the organisation."]
    assert not MentorEnrolment.objects.exists()


def test_someone_who_left_cannot_be_paired(api, organisation, program, leaver):
    # Enrolled before the HR file said they left, and never ended.
    factories.MentorEnrolmentFactory(program=program, person=leaver)
    mentee = factories.MenteeEnrolmentFactory(program=program).person

    response = api.post(
        "/api/v1/pairings/",
        {"program": program.pk, "mentor": leaver.pk, "mentee": mentee.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "mentor" in response.json()["error"]["fields"]
    assert not Pairing.objects.exists()


def test_the_enrolment_of_someone_who_left_cannot_be_made_active_again(api, program, leaver):
    enrolment = factories.MentorEnrolmentFactory(
        program=program, person=leaver, status=EnrolmentStatus.LEFT, since=LEFT_ON
    )

    response = api.patch(f"/api/v1/mentors/{enrolment.pk}/", {"status": "active"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.LEFT
