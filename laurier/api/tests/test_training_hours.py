"""Training hours: per person and calendar year, the figures of the training-hours page."""

import datetime
from decimal import Decimal

import pytest

from laurier.core.dates import organisation_today
from laurier.recognition.models import Event, EventInvitation
from laurier.testing import factories
from laurier.testing.api import client_with, make_token


def workshop_attended(program, starts_at, hours, *people):
    workshop = Event.objects.create(
        organisation=program.organisation,
        program=program,
        kind="workshop",
        name_fr="Atelier",
        name_en="Workshop",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        training_hours=Decimal(hours),
    )
    for person in people:
        EventInvitation.objects.create(event=workshop, person=person, answer="going", attended=True)


@pytest.fixture
def pairing(program):
    """In 2025: 90 minutes of mentoring, and a three-hour workshop for the mentor."""
    pairing = factories.PairingFactory(
        program=program,
        starts_on=datetime.date(2025, 1, 6),
        mentor__last_name="Aubin",
        mentee__last_name="Bélanger",
    )
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 3, 1), duration_minutes=60
    )
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=datetime.date(2025, 4, 1), duration_minutes=30
    )
    moment = datetime.datetime(2025, 5, 10, 10, tzinfo=datetime.UTC)
    workshop_attended(program, moment, "3", pairing.mentor)
    return pairing


def test_lists_each_persons_hours_of_the_year_by_name(api, pairing):
    response = api.get("/api/v1/training-hours/", {"year": 2025})

    assert response.status_code == 200
    mentor, mentee = response.json()["results"]
    assert (mentor["person"], mentee["person"]) == (pairing.mentor_id, pairing.mentee_id)
    assert mentor["year"] == 2025
    assert (mentor["mentor_minutes"], mentor["training_minutes"], mentor["total_minutes"]) == (
        90,
        180,
        270,
    )
    assert (mentor["mentor_sessions"], mentor["training_events"]) == (2, 1)
    assert mentor["total_hours"] == "4.5"
    assert (mentee["mentee_minutes"], mentee["session_count"], mentee["total_hours"]) == (
        90,
        2,
        "1.5",
    )


def test_counts_this_year_when_no_year_is_given(api, organisation, pairing):
    factories.MentoringSessionFactory(
        pairing=pairing, held_on=organisation_today(organisation), duration_minutes=45
    )

    mentor = api.get("/api/v1/training-hours/").json()["results"][0]

    assert (mentor["year"], mentor["mentor_minutes"]) == (organisation_today(organisation).year, 45)


def test_reads_one_persons_hours(api, pairing):
    response = api.get(f"/api/v1/training-hours/{pairing.mentee_id}/", {"year": 2025})

    assert response.status_code == 200
    assert response.json()["mentee_minutes"] == 90


def test_filters_by_person_and_by_program(api, organisation, pairing):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation),
        mentor=pairing.mentor,
        starts_on=datetime.date(2025, 1, 6),
    )
    factories.MentoringSessionFactory(
        pairing=elsewhere, held_on=datetime.date(2025, 6, 1), duration_minutes=20
    )

    def rows(**filters):
        return api.get("/api/v1/training-hours/", {"year": 2025, **filters}).json()["results"]

    assert [row["mentor_minutes"] for row in rows(person=pairing.mentor_id)] == [110]
    in_program = rows(program=elsewhere.program_id)
    assert {row["person"] for row in in_program} == {pairing.mentor_id, elsewhere.mentee_id}
    assert {row["person"]: row["mentor_minutes"] for row in in_program}[pairing.mentor_id] == 20


def test_another_organisations_people_and_programs_count_nothing(
    api, other_api, pairing, other_organisation
):
    other = factories.PairingFactory(program__organisation=other_organisation)

    listed = other_api.get("/api/v1/training-hours/", {"year": 2025}).json()["results"]
    assert {row["person"] for row in listed} == {other.mentor_id, other.mentee_id}
    assert api.get(f"/api/v1/training-hours/{other.mentor_id}/").status_code == 404
    response = api.get("/api/v1/training-hours/", {"year": 2025, "program": other.program_id})
    assert response.json()["count"] == 0


@pytest.mark.parametrize("year", ["1999", "2101", "last"])
def test_a_year_out_of_range_is_refused(api, year):
    response = api.get("/api/v1/training-hours/", {"year": year})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["year"]


def test_a_sessions_read_token_reads_training_hours(organisation, admin_user, pairing):
    key = make_token(organisation, admin_user, scopes=["sessions:read"])[1]

    assert client_with(key).get("/api/v1/training-hours/").status_code == 200


def test_reads_in_constant_queries(api, program, django_assert_max_num_queries):
    def read(size):
        for _pairing in range(size):
            pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2025, 1, 6))
            factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2025, 2, 3))
        with django_assert_max_num_queries(6):
            response = api.get("/api/v1/training-hours/", {"year": 2025, "page_size": 100})
        assert response.status_code == 200

    read(2)
    read(20)
