"""Mentoring sessions: read, and logged one or many at a time, all or nothing."""

import datetime

import pytest

from laurier.hours.models import MentoringSession
from laurier.organisations.models import AuditEvent
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

STARTED = datetime.date(2026, 1, 15)


@pytest.fixture
def pairing(program):
    return factories.PairingFactory(program=program, starts_on=STARTED)


def session(pairing, day, minutes=60, **extra):
    return {"pairing": pairing.pk, "held_on": day, "duration_minutes": minutes, **extra}


def test_logs_one_session_as_a_manager(api, pairing, admin_user):
    response = api.post(
        "/api/v1/sessions/",
        session(pairing, "2026-03-02", 90, format="group", setting="online", notes="Budget"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    logged = MentoringSession.objects.get(pk=response.json()["id"])
    assert (logged.held_on, logged.duration_minutes, logged.format) == (
        datetime.date(2026, 3, 2),
        90,
        "group",
    )
    assert (logged.logged_by, logged.logged_by_user) == ("manager", admin_user)
    assert response.json()["hours"] == "1.5"
    assert response.json()["mentor"] == pairing.mentor_id


def test_logs_a_list_of_sessions_across_programs_in_the_order_sent(api, organisation, pairing):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation), starts_on=STARTED
    )
    items = [
        session(pairing, "2026-03-02"),
        session(elsewhere, "2026-03-03"),
        session(pairing, "2026-03-04"),
    ]

    response = api.post("/api/v1/sessions/", items, format="json")

    assert response.status_code == 201, response.json()
    assert [row["held_on"] for row in response.json()] == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert [row["pairing"] for row in response.json()] == [pairing.pk, elsewhere.pk, pairing.pk]
    assert MentoringSession.objects.count() == 3
    assert AuditEvent.objects.filter(object_type="hours.mentoringsession").count() == 3


def test_one_bad_item_logs_nothing_and_every_bad_item_is_named_by_its_index(
    api, organisation, pairing
):
    elsewhere = factories.PairingFactory(
        program=factories.ProgramFactory(organisation=organisation), starts_on=STARTED
    )
    items = [
        session(elsewhere, "2026-03-02"),
        session(pairing, "2025-12-01"),  # before the pairing started: the service's rule
        session(pairing, "2026-03-04", minutes="long"),
        session(pairing, "2026-03-05"),
    ]

    response = api.post("/api/v1/sessions/", items, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields == {
        "1.non_field_errors": ["The pairing only started on 2026-01-15."],
        "2.duration_minutes": ["A valid integer is required."],
    }
    assert not MentoringSession.objects.exists()


def test_an_item_that_is_not_an_object_is_named_by_its_index(api, pairing):
    response = api.post("/api/v1/sessions/", [session(pairing, "2026-03-02"), None], format="json")

    assert list(response.json()["error"]["fields"]) == ["1.non_field_errors"]
    assert not MentoringSession.objects.exists()


def test_one_bad_object_is_refused_by_field(api, pairing):
    response = api.post("/api/v1/sessions/", session(pairing, "2026-03-02", 2), format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["duration_minutes"]


def test_a_future_session_is_refused_by_the_service(api, pairing):
    future = datetime.date.today() + datetime.timedelta(days=3)

    response = api.post("/api/v1/sessions/", [session(pairing, future.isoformat())], format="json")

    assert response.json()["error"]["fields"] == {
        "0.non_field_errors": ["A session cannot be logged before it happens."]
    }


def test_a_session_already_logged_or_repeated_in_the_list_is_refused(api, pairing):
    factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2026, 3, 2))
    items = [
        session(pairing, "2026-03-02"),
        session(pairing, "2026-03-09"),
        session(pairing, "2026-03-09"),
    ]

    response = api.post("/api/v1/sessions/", items, format="json")

    assert sorted(response.json()["error"]["fields"]) == [
        "0.non_field_errors",
        "2.non_field_errors",
    ]
    assert MentoringSession.objects.count() == 1


def test_another_organisations_pairing_does_not_exist(api, pairing, other_organisation):
    foreign = factories.PairingFactory(program__organisation=other_organisation, starts_on=STARTED)

    response = api.post(
        "/api/v1/sessions/",
        [session(pairing, "2026-03-02"), session(foreign, "2026-03-02")],
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["1.pairing"]
    assert "does not exist" in response.json()["error"]["fields"]["1.pairing"][0]
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize(("count", "message"), [(0, "at least one"), (1001, "at most 1,000")])
def test_an_empty_or_too_long_list_is_refused(api, pairing, count, message):
    response = api.post(
        "/api/v1/sessions/", [session(pairing, "2026-03-02")] * count, format="json"
    )

    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["non_field_errors"][0]


def test_the_same_idempotency_key_logs_once(api, pairing):
    items = [session(pairing, "2026-03-02"), session(pairing, "2026-03-03")]

    first = api.post("/api/v1/sessions/", items, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    again = api.post("/api/v1/sessions/", items, format="json", HTTP_IDEMPOTENCY_KEY="s-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert MentoringSession.objects.count() == 2


def test_a_read_only_token_cannot_log(organisation, admin_user, pairing):
    key = make_token(organisation, admin_user, scopes=["sessions:read"])[1]

    response = client_with(key).post(
        "/api/v1/sessions/", session(pairing, "2026-03-02"), format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "This token does not have the “sessions:write” permission."
    )
    assert not MentoringSession.objects.exists()


def test_logging_takes_queries_per_program_not_per_session(
    api, organisation, django_assert_max_num_queries
):
    programs = factories.ProgramFactory.create_batch(2, organisation=organisation)

    def log(size):
        pairings = [
            factories.PairingFactory(program=programs[index % 2], starts_on=STARTED)
            for index in range(size)
        ]
        items = [session(pairing, "2026-03-02") for pairing in pairings]
        with django_assert_max_num_queries(30):
            assert api.post("/api/v1/sessions/", items, format="json").status_code == 201

    log(2)
    log(40)


def test_lists_sessions_newest_first_and_filters_them(
    api, organisation, pairing, other_organisation
):
    march = factories.MentoringSessionFactory(pairing=pairing, held_on=datetime.date(2026, 3, 2))
    may = factories.MentoringSessionFactory(
        pairing=pairing,
        held_on=datetime.date(2026, 5, 4),
        logged_by="mentor",
        confirmed_at=datetime.datetime(2026, 5, 5, tzinfo=datetime.UTC),
    )
    elsewhere = factories.MentoringSessionFactory(
        pairing__program__organisation=organisation, held_on=datetime.date(2026, 4, 1)
    )
    factories.MentoringSessionFactory(pairing__program__organisation=other_organisation)

    def ids(**filters):
        return [row["id"] for row in api.get("/api/v1/sessions/", filters).json()["results"]]

    assert ids() == [may.pk, elsewhere.pk, march.pk]
    assert ids(program=pairing.program_id) == [may.pk, march.pk]
    assert ids(pairing=pairing.pk, held_from="2026-04-01") == [may.pk]
    assert ids(held_until="2026-04-01") == [elsewhere.pk, march.pk]
    assert ids(mentor=elsewhere.mentor_id) == [elsewhere.pk]
    assert ids(mentee=pairing.mentee_id) == [may.pk, march.pk]
    assert ids(person=elsewhere.mentee_id) == [elsewhere.pk]
    assert ids(confirmed="true") == [may.pk]
    assert ids(confirmed="false") == [elsewhere.pk, march.pk]


def test_a_list_of_sessions_reads_in_constant_queries(api, pairing, django_assert_max_num_queries):
    def read(size):
        factories.MentoringSessionFactory.create_batch(size, pairing=pairing)
        with django_assert_max_num_queries(8):
            assert api.get("/api/v1/sessions/", {"page_size": 100}).status_code == 200

    read(2)
    read(30)


def test_a_pairing_id_beyond_any_database_integer_does_not_exist(api):
    response = api.post(
        "/api/v1/sessions/",
        [{"pairing": 861303665084758241574912, "held_on": "2026-01-05", "duration_minutes": 60}],
        format="json",
    )

    assert response.status_code == 400
    assert "0.pairing" in response.json()["error"]["fields"]
