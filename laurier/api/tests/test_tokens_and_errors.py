"""How the API treats its callers: tokens, permissions, limits, repeated calls, error shape."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from laurier.api.models import ApiToken
from laurier.organisations.models import Membership, Role
from laurier.programs.models import Person
from laurier.testing.api import client_with, make_token

PEOPLE = "/api/v1/people/"
NEW_PERSON = {"first_name": "Zoé", "last_name": "Tremblay", "email": "zoe@example.org"}


def test_a_call_without_a_token_is_refused_with_401_and_the_error_shape(db):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(PEOPLE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "error": {
            "status": 401,
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
        }
    }


@pytest.mark.parametrize("key", ["lau_0000_nothing", "not-a-laurier-key", "lau_"])
def test_an_unknown_key_is_refused(db, key):
    response = client_with(key).get(PEOPLE)

    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API token is not valid."


def test_an_expired_token_says_when_it_expired(organisation, admin_user):
    token, key = make_token(organisation, admin_user)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = client_with(key).get(PEOPLE)

    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("This API token expired on ")


def test_a_token_stops_when_its_creator_is_no_longer_an_admin(organisation, admin_user):
    _token, key = make_token(organisation, admin_user)
    Membership.objects.filter(user=admin_user).update(role=Role.MANAGER)

    response = client_with(key).get(PEOPLE)

    assert response.status_code == 401
    assert "no longer an admin" in response.json()["error"]["message"]


def test_a_call_records_when_the_token_was_last_used(organisation, admin_user):
    token, key = make_token(organisation, admin_user)

    client_with(key).get(PEOPLE)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_cannot_write(organisation, admin_user):
    _token, key = make_token(organisation, admin_user, scopes=["people:read"])
    client = client_with(key)

    assert client.get(PEOPLE).status_code == 200
    response = client.post(PEOPLE, NEW_PERSON, format="json")

    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "permission_denied",
        "message": "This token does not have the “people:write” permission.",
    }
    assert not Person.objects.exists()


def test_a_token_reads_only_its_families(organisation, admin_user):
    _token, key = make_token(organisation, admin_user, scopes=["programs:read"])

    response = client_with(key).get(PEOPLE)

    assert response.status_code == 403
    assert "people:read" in response.json()["error"]["message"]


def test_the_token_acts_as_its_creator_in_the_audit_trail(api, admin_user):
    from laurier.organisations.models import AuditEvent

    api.post(PEOPLE, NEW_PERSON, format="json")

    event = AuditEvent.objects.filter(object_type__endswith="person").get()
    assert event.actor == admin_user


def test_calls_over_the_tokens_rate_are_refused_with_retry_after(api, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        answers = [api.get(PEOPLE).status_code for _ in range(4)]
        refused = api.get(PEOPLE)
    finally:
        cache.clear()
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        del settings.REST_FRAMEWORK
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"


def test_the_rate_is_counted_per_token(organisation, admin_user, settings):
    cache.clear()
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = {"token": "2/min"}
    try:
        first = client_with(make_token(organisation, admin_user, name="A")[1])
        second = client_with(make_token(organisation, admin_user, name="B")[1])
        first_answers = [first.get(PEOPLE).status_code for _ in range(3)]
        second_answer = second.get(PEOPLE).status_code
    finally:
        cache.clear()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES

    assert first_answers == [200, 200, 429]
    assert second_answer == 200


def test_the_same_idempotency_key_creates_once_and_answers_the_same(api):
    first = api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="import-42")
    again = api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="import-42")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Person.objects.count() == 1


def test_an_idempotency_key_reused_for_another_call_is_refused(api):
    api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    response = api.post(
        PEOPLE,
        {**NEW_PERSON, "email": "other@example.org"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unprocessable"
    assert Person.objects.count() == 1


def test_a_failed_call_keeps_no_key_so_it_can_be_corrected(api):
    refused = api.post(
        PEOPLE, {**NEW_PERSON, "email": "nope"}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    corrected = api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="k2")

    assert refused.status_code == 400
    assert corrected.status_code == 201


def test_idempotency_keys_belong_to_one_token(api, organisation, admin_user):
    other = client_with(make_token(organisation, admin_user, name="Other")[1])

    api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="same")
    response = other.post(
        PEOPLE, {**NEW_PERSON, "email": "b@example.org"}, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )

    assert response.status_code == 201
    assert Person.objects.count() == 2


def test_a_list_is_paginated_and_the_page_size_is_capped(api, organisation):
    from laurier.testing import factories

    factories.PersonFactory.create_batch(3, organisation=organisation)

    response = api.get(PEOPLE, {"page_size": 2})
    capped = api.get(PEOPLE, {"page_size": 100000})

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2
    assert response.json()["next"].endswith("page=2&page_size=2")
    assert capped.status_code == 200


def test_a_page_beyond_the_last_answers_404_in_the_error_shape(api):
    response = api.get(PEOPLE, {"page": 9})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_dates_are_given_in_the_organisations_time_zone(api, organisation):
    from laurier.testing import factories

    factories.PersonFactory(organisation=organisation)

    created = api.get(PEOPLE).json()["results"][0]["created_at"]

    assert created.endswith(("-05:00", "-04:00"))


def test_an_idempotency_key_is_forgotten_after_a_day(api):
    import datetime

    from laurier.api.models import IdempotencyKey

    api.post(PEOPLE, NEW_PERSON, format="json", HTTP_IDEMPOTENCY_KEY="daily")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))

    again = api.post(
        PEOPLE,
        {**NEW_PERSON, "email": "next@example.org"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="daily",
    )

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Person.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1
