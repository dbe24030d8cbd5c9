"""The admins' issuer settings: what the credentials say about the organisation, its keys, and
a new signing key that leaves earlier credentials valid."""

import pytest
from django.utils import translation

from laurier.credentials.models import Issuer, SigningKey
from laurier.credentials.services import awarding
from laurier.credentials.verification import Outcome, verify_document
from laurier.organisations.models import AuditEvent

from .manager_support import make_badge, mentor_of, speaking, url


@pytest.fixture
def admin(login, admin_user):
    return login(admin_user)


@pytest.fixture
def credential(organisation, program):
    return awarding.award_badge(make_badge(organisation), mentor_of(program), actor=None)[0]


def test_managers_and_mentors_may_not_change_how_the_organisation_signs(
    login, manager_user, mentor_user
):
    for user in (manager_user, mentor_user):
        client = login(user)
        assert client.get(url("issuer_settings")).status_code == 403
        assert client.post(url("issuer_rotate_key"), {"confirm": "on"}).status_code == 403
    assert not SigningKey.objects.exists()


def test_another_organisations_admin_gets_404(login, other_admin_user):
    client = login(other_admin_user)

    assert client.get(url("issuer_settings")).status_code == 404
    assert client.post(url("issuer_rotate_key"), {"confirm": "on"}).status_code == 404


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_the_page_shows_the_public_address_and_the_keys(login, admin_user, credential, language):
    page = login(speaking(admin_user, language)).get(url("issuer_settings")).content.decode()

    issuer = Issuer.objects.get()
    assert issuer.url in page
    assert credential.signing_key.name in page
    assert credential.signing_key.public_multikey in page


def test_the_issuer_details_are_saved(admin, admin_user):
    response = admin.post(
        url("issuer_settings"),
        {
            "website": "https://hydro.example",
            "email": "badges@hydro.example",
            "linkedin_organization_id": "1234567",
        },
    )

    issuer = Issuer.objects.get()
    assert response.status_code == 302
    assert (issuer.website, issuer.email, issuer.linkedin_organization_id) == (
        "https://hydro.example",
        "badges@hydro.example",
        "1234567",
    )
    assert AuditEvent.objects.filter(object_type="credentials.issuer", actor=admin_user).exists()


def test_a_linkedin_id_is_digits_only(admin):
    with translation.override("en"):
        response = admin.post(
            url("issuer_settings"), {"linkedin_organization_id": "hydro-laurentides"}
        )

    assert response.status_code == 200
    assert "A LinkedIn company ID is made of digits only." in response.content.decode()
    assert Issuer.objects.get().linkedin_organization_id == ""


def test_a_bad_email_changes_nothing(admin):
    response = admin.post(url("issuer_settings"), {"email": "not an address"})

    assert response.status_code == 200
    assert Issuer.objects.get().email == ""


def test_rotating_needs_a_confirmation(admin, credential):
    with translation.override("en"):
        response = admin.post(url("issuer_rotate_key"), {})

    assert response.status_code == 200
    assert "Tick the box to confirm the new key." in response.content.decode()
    assert SigningKey.objects.count() == 1


def test_rotating_retires_the_key_and_earlier_credentials_stay_valid(admin, credential):
    old_key = credential.signing_key

    response = admin.post(url("issuer_rotate_key"), {"confirm": "on"})

    old_key.refresh_from_db()
    assert response.status_code == 302
    assert old_key.retired_at is not None
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1
    assert verify_document(credential.document).outcome == Outcome.VALID


def test_the_page_says_earlier_credentials_stay_valid(admin):
    with translation.override("en"):
        page = admin.get(url("issuer_settings")).content.decode()

    assert "The credentials already issued stay valid" in page


def test_the_fields_are_labelled_with_a_capital_like_every_form(admin):
    with translation.override("en"):
        page = admin.get(url("issuer_settings")).content.decode()

    assert ">Website" in page
    assert ">Contact e-mail" in page
