"""Rate limits on logging in, on password resets and on every public address (personal links,
feeds, invitations, credentials' and profiles' public pages)."""

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from laurier.contests.views import nominate
from laurier.core import personal_links
from laurier.testing import factories
from laurier.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def in_french(message):
    with translation.override("fr-ca"):
        return str(translation.gettext(message))


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_that_address(
    client, admin_user
):
    for _attempt in range(5):
        log_in(client, "admin@example.org", "wrong")

    response = log_in(client, "admin@example.org", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    refusal = in_french("Too many failed login attempts. Try again later.")
    assert refusal != "Too many failed login attempts. Try again later."
    assert refusal in response.text


def test_wrong_passwords_for_one_address_do_not_lock_another(client, admin_user, manager_user):
    for _attempt in range(5):
        log_in(client, "admin@example.org", "wrong")

    response = log_in(client, "manager@example.org", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager_user.pk)


def test_a_fourth_password_reset_for_one_address_in_the_hour_is_refused(smtp_server, client):
    factories.UserFactory(email="lea@example.org")
    for _request in range(3):
        client.post(reverse("account_reset_password"), {"email": "lea@example.org"})

    response = client.post(reverse("account_reset_password"), {"email": "lea@example.org"})

    assert response.status_code == 429
    assert in_french("Too many requests") in response.text
    assert len(smtp_server.messages) == 3


PUBLIC_ADDRESSES = [
    ("survey_links:answer", ["x" * 43]),
    ("notes_public:write", ["x" * 43]),
    ("events_public:rsvp", ["x" * 43]),
    ("recognition_public:calendar_feed", ["x" * 43]),
    ("organisations:invitation_accept", ["x" * 43]),
    ("contests:nominate_by_link", ["x" * 43]),
    ("contests:juror_home", ["x" * 43]),
    ("contests:nominee_page", ["x" * 43]),
    ("credentials:credential", [uuid.UUID(int=1)]),
    ("credentials:public_profile", [uuid.UUID(int=1)]),
]


@pytest.mark.parametrize(("name", "args"), PUBLIC_ADDRESSES)
def test_a_client_that_keeps_guessing_a_public_address_is_stopped(client, monkeypatch, name, args):
    monkeypatch.setattr(personal_links, "LINK_FAILURE_LIMIT", 2)
    monkeypatch.setattr(nominate, "LINK_FAILURE_LIMIT", 2)
    address = reverse(name, args=args)

    statuses = [client.get(address).status_code for _guess in range(3)]

    assert statuses == [404, 404, 429]


def test_a_client_stopped_on_one_kind_of_address_still_opens_the_others(client, monkeypatch):
    monkeypatch.setattr(personal_links, "LINK_FAILURE_LIMIT", 1)
    client.get(reverse("recognition_public:calendar_feed", args=["x" * 43]))

    response = client.get(reverse("organisations:invitation_accept", args=["x" * 43]))

    assert response.status_code == 404
