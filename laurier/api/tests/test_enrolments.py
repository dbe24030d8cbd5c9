"""Mentors and mentees: enrol people of the organisation in its programs, change their status."""

import datetime

import pytest

from laurier.core.dates import organisation_today
from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, MentorEnrolment, Pairing
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

ROLES = [("mentors", MentorEnrolment), ("mentees", MenteeEnrolment)]
FACTORIES = {
    "mentors": factories.MentorEnrolmentFactory,
    "mentees": factories.MenteeEnrolmentFactory,
}


@pytest.fixture
def person(organisation):
    return factories.PersonFactory(organisation=organisation, first_name="Zoé", last_name="Roy")


@pytest.mark.parametrize(("resource", "model"), ROLES)
def test_enrols_a_person_of_the_organisation(api, program, person, resource, model):
    response = api.post(
        f"/api/v1/{resource}/",
        {"program": program.pk, "person": person.pk, "since": "2026-03-01"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    enrolment = model.objects.get(pk=response.json()["id"])
    assert (enrolment.program, enrolment.person) == (program, person)
    assert enrolment.since == datetime.date(2026, 3, 1)
    assert response.json()["status"] == "active"


def test_enrols_from_today_when_no_date_is_given(api, organisation, program, person):
    response = api.post(
        "/api/v1/mentors/", {"program": program.pk, "person": person.pk}, format="json"
    )

    assert response.status_code == 201
    assert MentorEnrolment.objects.get().since == organisation_today(organisation)


def test_a_person_already_mentor_of_the_program_is_refused_by_the_service(api, program, person):
    factories.MentorEnrolmentFactory(program=program, person=person)

    response = api.post(
        "/api/v1/mentors/", {"program": program.pk, "person": person.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"] == [
        "Zoé Roy is already a mentor of this program."
    ]
    assert MentorEnrolment.objects.count() == 1


@pytest.mark.parametrize("foreign", ["program", "person"])
def test_another_organisations_program_or_person_does_not_exist(
    api, program, person, other_organisation, foreign
):
    body = {"program": program.pk, "person": person.pk}
    body[foreign] = {
        "program": lambda: factories.ProgramFactory(organisation=other_organisation),
        "person": lambda: factories.PersonFactory(organisation=other_organisation),
    }[foreign]().pk

    response = api.post("/api/v1/mentees/", body, format="json")

    assert response.status_code == 400
    assert "does not exist" in response.json()["error"]["fields"][foreign][0]
    assert not MenteeEnrolment.objects.exists()


def test_the_same_idempotency_key_enrols_once(api, program, person):
    body = {"program": program.pk, "person": person.pk}

    first = api.post("/api/v1/mentors/", body, format="json", HTTP_IDEMPOTENCY_KEY="enrol-1")
    again = api.post("/api/v1/mentors/", body, format="json", HTTP_IDEMPOTENCY_KEY="enrol-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert MentorEnrolment.objects.count() == 1


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_read_only_token_cannot_enrol_or_change(
    organisation, admin_user, program, person, method
):
    enrolment = factories.MentorEnrolmentFactory(program=program)
    key = make_token(organisation, admin_user, scopes=["people:read"])[1]
    path = "/api/v1/mentors/" + (f"{enrolment.pk}/" if method == "patch" else "")

    response = getattr(client_with(key), method)(
        path, {"program": program.pk, "person": person.pk, "status": "paused"}, format="json"
    )

    assert response.status_code == 403
    assert (
        response.json()["error"]["message"]
        == "This token does not have the “people:write” permission."
    )
    assert MentorEnrolment.objects.get().status == EnrolmentStatus.ACTIVE


def test_lists_mentors_and_filters_them(api, organisation, program, other_organisation):
    other_program = factories.ProgramFactory(organisation=organisation)
    paused = factories.MentorEnrolmentFactory(program=program, status=EnrolmentStatus.PAUSED)
    active = factories.MentorEnrolmentFactory(program=program)
    elsewhere = factories.MentorEnrolmentFactory(program=other_program)
    factories.MentorEnrolmentFactory(program__organisation=other_organisation)
    factories.MenteeEnrolmentFactory(program=program)

    def ids(**filters):
        return {row["id"] for row in api.get("/api/v1/mentors/", filters).json()["results"]}

    assert ids() == {paused.pk, active.pk, elsewhere.pk}
    assert ids(program=program.pk) == {paused.pk, active.pk}
    assert ids(status="paused") == {paused.pk}
    assert ids(person=elsewhere.person_id) == {elsewhere.pk}


def test_a_list_of_mentors_reads_in_constant_queries(api, program, django_assert_max_num_queries):
    def read(size):
        factories.MentorEnrolmentFactory.create_batch(size, program=program)
        with django_assert_max_num_queries(8):
            response = api.get("/api/v1/mentors/", {"page_size": 100})
        assert response.status_code == 200

    read(2)
    read(30)


@pytest.mark.parametrize("resource", ["mentors", "mentees"])
def test_pauses_an_enrolment_with_a_reason_and_a_date(api, program, resource):
    enrolment = FACTORIES[resource](program=program)

    response = api.patch(
        f"/api/v1/{resource}/{enrolment.pk}/",
        {"status": "paused", "status_reason": "Parental leave", "status_changed_on": "2026-04-01"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PAUSED
    assert enrolment.status_reason == "Parental leave"
    assert enrolment.status_changed_on == datetime.date(2026, 4, 1)


def test_a_new_status_without_a_date_changes_today(api, organisation, program):
    enrolment = factories.MenteeEnrolmentFactory(program=program)

    api.patch(f"/api/v1/mentees/{enrolment.pk}/", {"status": "paused"}, format="json")

    enrolment.refresh_from_db()
    assert enrolment.status_changed_on == organisation_today(organisation)


def test_leaving_ends_the_mentors_running_pairings(api, program):
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 15))
    enrolment = MentorEnrolment.objects.get(program=program, person=pairing.mentor)

    response = api.patch(
        f"/api/v1/mentors/{enrolment.pk}/",
        {"status": "left", "status_changed_on": "2026-06-30"},
        format="json",
    )

    assert response.status_code == 200
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ends_on) == (
        Pairing.Status.ENDED_EARLY,
        datetime.date(2026, 6, 30),
    )


def test_a_change_before_the_person_joined_is_refused_on_its_field(api, program):
    enrolment = factories.MentorEnrolmentFactory(program=program, since=datetime.date(2025, 9, 1))

    response = api.patch(
        f"/api/v1/mentors/{enrolment.pk}/",
        {"status": "left", "status_changed_on": "2025-08-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["status_changed_on"] == [
        "The change cannot happen before the person joined the program."
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_the_program_and_person_of_an_enrolment_do_not_change(api, program, person):
    enrolment = factories.MentorEnrolmentFactory(program=program)

    api.patch(f"/api/v1/mentors/{enrolment.pk}/", {"person": person.pk}, format="json")

    enrolment.refresh_from_db()
    assert enrolment.person != person
