import pytest
from django.test import Client
from django.urls import reverse

from laurier.testing import factories

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_served_in_canadian_french(client):
    response = client.get(reverse("account_login"))

    assert response.wsgi_request.LANGUAGE_CODE == "fr-ca"
    assert '<html lang="fr-ca">' in response.content.decode()


def test_switching_to_english_is_saved_on_the_account(login):
    user = factories.UserFactory(language="fr-ca")

    login(user).post(reverse("set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"


def test_the_chosen_language_follows_the_user_to_another_device(login):
    user = factories.UserFactory(language="fr-ca")
    login(user).post(reverse("set_language"), {"language": "en", "next": "/"})

    other_device = Client()
    other_device.force_login(user)
    response = other_device.get(reverse("home"))

    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in response.content.decode()


def test_an_unknown_language_is_ignored(login):
    user = factories.UserFactory(language="fr-ca")

    login(user).post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.language == "fr-ca"


def test_an_anonymous_visitor_can_switch_language_for_the_session(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("account_login"))

    assert '<html lang="en">' in response.content.decode()
