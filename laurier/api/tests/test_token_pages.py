import datetime

import pytest
from django.utils import timezone, translation

from laurier.api.models import ApiToken
from laurier.organisations.models import AuditEvent
from laurier.testing.api import client_with, make_token

TOKENS = "/o/hydro/settings/tokens/"


def _form(**changes):
    data = {
        "name": "HR system",
        "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        "access_people": "write",
        "access_programs": "read",
    }
    data.update(changes)
    return data


def test_an_admin_makes_a_token_and_sees_its_key_once(login, admin_user, organisation):
    client = login(admin_user)

    response = client.post(TOKENS, _form(), follow=True)

    token = ApiToken.objects.get()
    assert token.organisation == organisation
    assert token.scopes == ["people:write", "programs:read"]
    assert token.created_by == admin_user
    key = response.context["new_key"]["key"]
    assert key.startswith(f"lau_{token.prefix}_")
    assert key in response.content.decode()
    assert client_with(key).get("/api/v1/people/").status_code == 200
    # Shown once: the next visit no longer has it.
    assert key not in client.get(TOKENS).content.decode()


def test_the_key_itself_is_stored_nowhere(login, admin_user):
    client = login(admin_user)
    response = client.post(TOKENS, _form(), follow=True)
    key = response.context["new_key"]["key"]

    token = ApiToken.objects.get()
    assert key not in str(token.__dict__)
    event = AuditEvent.objects.get(object_id=str(token.pk))
    assert key not in str(event.changes)


def test_a_token_without_permissions_is_refused_and_nothing_is_made(login, admin_user):
    client = login(admin_user)

    with translation.override("en"):
        response = client.post(
            TOKENS, _form(access_people="", access_programs=""), HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("days", [0, 800])
def test_an_expiry_today_or_beyond_two_years_is_refused(login, admin_user, days):
    client = login(admin_user)
    expires_on = timezone.localdate() + datetime.timedelta(days=days)

    response = client.post(TOKENS, _form(expires_on=expires_on.isoformat()))

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_a_form_sent_twice_makes_one_token(login, admin_user):
    client = login(admin_user)

    client.post(TOKENS, _form())
    second = client.post(TOKENS, _form())

    assert second.status_code == 400
    assert ApiToken.objects.count() == 1


def test_revoking_stops_the_token_at_once(login, admin_user, organisation):
    token, key = make_token(organisation, admin_user)
    client = login(admin_user)

    client.post(f"{TOKENS}{token.pk}/revoke/")

    token.refresh_from_db()
    assert token.revoked_by == admin_user
    response = client_with(key).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This API token was revoked."


def test_managers_may_not_see_the_tokens(login, manager_user):
    assert login(manager_user).get(TOKENS).status_code == 403


def test_another_organisations_token_cannot_be_revoked_from_here(
    login, admin_user, other_organisation, other_admin_user
):
    token, _key = make_token(other_organisation, other_admin_user)

    response = login(admin_user).post(f"{TOKENS}{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_lists_tokens_in_a_constant_number_of_queries(
    login, admin_user, organisation, django_assert_max_num_queries
):
    client = login(admin_user)
    make_token(organisation, admin_user, name="One")
    client.get(TOKENS)
    with django_assert_max_num_queries(12) as few:
        client.get(TOKENS)
    for number in range(8):
        make_token(organisation, admin_user, name=f"Token {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TOKENS)


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_page_reads_in_both_languages(login, admin_user, organisation, language):
    admin_user.language = language
    admin_user.save()
    make_token(organisation, admin_user, name="HR system")

    page = login(admin_user).get(TOKENS).content.decode()

    assert ("Jetons d’API" if language == "fr-ca" else "API tokens") in page
