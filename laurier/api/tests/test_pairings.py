"""Pairings: a mentor and a mentee of a program, paired through the service and ended."""

import datetime

import pytest

from laurier.programs.models import Pairing
from laurier.testing import factories
from laurier.testing.api import client_with, make_token


@pytest.fixture
def mentor(program):
    return factories.MentorEnrolmentFactory(program=program, person__first_name="Ana").person


@pytest.fixture
def mentee(program):
    return factories.MenteeEnrolmentFactory(program=program, person__first_name="Léo").person


def pair(api, program, mentor, mentee, **extra):
    body = {"program": program.pk, "mentor": mentor.pk, "mentee": mentee.pk, **extra}
    return api.post("/api/v1/pairings/", body, format="json")


def test_pairs_an_active_mentor_with_an_active_mentee(api, program, mentor, mentee):
    cycle = factories.CycleFactory(program=program)

    response = pair(api, program, mentor, mentee, cycle=cycle.pk, starts_on="2026-02-01")

    assert response.status_code == 201, response.json()
    pairing = Pairing.objects.get(pk=response.json()["id"])
    assert (pairing.mentor, pairing.mentee, pairing.cycle) == (mentor, mentee, cycle)
    assert pairing.starts_on == datetime.date(2026, 2, 1)
    assert response.json()["status"] == "active"


def test_someone_not_enrolled_as_mentee_is_refused_by_the_service(api, program, mentor):
    stranger = factories.PersonFactory(organisation=program.organisation, first_name="Zoé")

    response = pair(api, program, mentor, stranger)

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["mentee"][0].endswith(
        "is not an active mentee of this program."
    )
    assert not Pairing.objects.exists()


def test_a_cycle_of_another_program_is_refused(api, organisation, program, mentor, mentee):
    cycle = factories.CycleFactory(program=factories.ProgramFactory(organisation=organisation))

    response = pair(api, program, mentor, mentee, cycle=cycle.pk)

    assert response.json()["error"]["fields"]["cycle"] == ["This cycle belongs to another program."]


@pytest.mark.parametrize("foreign", ["program", "mentor", "mentee", "cycle"])
def test_another_organisations_rows_do_not_exist(
    api, program, mentor, mentee, other_organisation, foreign
):
    row = {
        "program": lambda: factories.ProgramFactory(organisation=other_organisation),
        "mentor": lambda: factories.PersonFactory(organisation=other_organisation),
        "mentee": lambda: factories.PersonFactory(organisation=other_organisation),
        "cycle": lambda: factories.CycleFactory(program__organisation=other_organisation),
    }[foreign]()

    body = {"program": program.pk, "mentor": mentor.pk, "mentee": mentee.pk, foreign: row.pk}

    response = api.post("/api/v1/pairings/", body, format="json")

    assert response.status_code == 400
    assert "does not exist" in response.json()["error"]["fields"][foreign][0]
    assert not Pairing.objects.exists()


def test_the_same_idempotency_key_pairs_once(api, program, mentor, mentee):
    body = {"program": program.pk, "mentor": mentor.pk, "mentee": mentee.pk}

    first = api.post("/api/v1/pairings/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = api.post("/api/v1/pairings/", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Pairing.objects.count() == 1


@pytest.mark.parametrize("method", ["post", "patch"])
def test_a_read_only_token_cannot_pair_or_end(organisation, admin_user, program, method):
    pairing = factories.PairingFactory(program=program)
    key = make_token(organisation, admin_user, scopes=["people:read"])[1]
    path = "/api/v1/pairings/" + (f"{pairing.pk}/" if method == "patch" else "")

    response = getattr(client_with(key), method)(path, {"status": "completed"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Pairing.objects.get().status == Pairing.Status.ACTIVE


def test_ends_a_pairing(api, program):
    pairing = factories.PairingFactory(program=program, starts_on=datetime.date(2026, 1, 15))

    response = api.patch(
        f"/api/v1/pairings/{pairing.pk}/",
        {"status": "completed", "ends_on": "2026-10-31"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    pairing.refresh_from_db()
    assert (pairing.status, pairing.ends_on) == ("completed", datetime.date(2026, 10, 31))


def test_a_finished_pairing_needs_its_end_date(api, program):
    pairing = factories.PairingFactory(program=program)

    response = api.patch(
        f"/api/v1/pairings/{pairing.pk}/", {"status": "ended_early"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["ends_on"] == ["Give the date the pairing ended."]


def test_lists_pairings_and_filters_them(api, organisation, program, other_organisation):
    cycle = factories.CycleFactory(program=program)
    in_cycle = factories.PairingFactory(program=program, cycle=cycle)
    ended = factories.PairingFactory(
        program=program, status="completed", ends_on=datetime.date(2026, 6, 1)
    )
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation)
    )
    factories.PairingFactory(program__organisation=other_organisation)

    def ids(**filters):
        return {row["id"] for row in api.get("/api/v1/pairings/", filters).json()["results"]}

    assert ids() == {in_cycle.pk, ended.pk, elsewhere.pk}
    assert ids(program=program.pk) == {in_cycle.pk, ended.pk}
    assert ids(cycle=cycle.pk) == {in_cycle.pk}
    assert ids(status="completed") == {ended.pk}
    assert ids(mentor=ended.mentor_id) == {ended.pk}
    assert ids(mentee=elsewhere.mentee_id) == {elsewhere.pk}
    assert ids(person=elsewhere.mentor_id) == ids(person=elsewhere.mentee_id) == {elsewhere.pk}


def test_a_list_of_pairings_reads_in_constant_queries(api, program, django_assert_max_num_queries):
    def read(size):
        factories.PairingFactory.create_batch(size, program=program)
        with django_assert_max_num_queries(8):
            assert api.get("/api/v1/pairings/", {"page_size": 100}).status_code == 200

    read(2)
    read(30)
