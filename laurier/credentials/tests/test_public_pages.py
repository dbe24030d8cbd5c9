"""The public addresses a credential names: anyone, without an account, reads the issuer, its
keys, its status lists, its badges and each credential, as JSON-LD for a verifier or as a page
for a person, in French or in English."""

import datetime
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.credentials import verification
from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import issuer_for
from laurier.testing import factories

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSON_LD = "application/ld+json"


def make_badge(organisation, **fields):
    values = {
        "name_fr": "Mentor de l'année",
        "name_en": "Mentor of the year",
        "description_fr": "Choisi par ses pairs.",
        "description_en": "Chosen by their peers.",
        "criteria_fr": "Le vote des mentorés.",
        "criteria_en": "The mentees' vote.",
        "emblem": "star",
        "label": "2026",
        **fields,
    }
    return factories.BadgeClassFactory(organisation=organisation, **values)


@pytest.fixture
def badge(organisation):
    return make_badge(organisation)


@pytest.fixture
def credential(badge, organisation):
    person = factories.PersonFactory(
        organisation=organisation, first_name="Jeanne", last_name="Tremblay", language="fr-ca"
    )
    credential, _created = awarding.award_badge(badge, person, actor=None)
    return credential


def issuer_url(organisation):
    return reverse("credentials:issuer", args=[issuer_for(organisation).public_id])


def achievement_url(badge):
    return reverse(
        "credentials:achievement", args=[issuer_for(badge.organisation).public_id, badge.public_id]
    )


def image_url(badge):
    return reverse(
        "credentials:achievement_image",
        args=[issuer_for(badge.organisation).public_id, badge.public_id],
    )


def credential_url(credential):
    return reverse("credentials:credential", args=[credential.public_id])


def status_url(credential):
    return reverse(
        "credentials:status_list",
        args=[credential.organisation.issuer.public_id, credential.status_list.number],
    )


def html(response):
    return response.content.decode()


def assert_json_ld(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(JSON_LD)
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def assert_html(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Access-Control-Allow-Origin" not in response
    assert html(response).count("<h1") == 1
    return html(response)


def varies_on_accept(response):
    return "accept" in [part.strip().lower() for part in response.get("Vary", "").split(",")]


@pytest.fixture
def pages(organisation, badge, credential):
    """The negotiated public pages, each by its address."""
    return {
        "issuer": issuer_url(organisation),
        "achievement": achievement_url(badge),
        "credential": credential_url(credential),
    }


# Content negotiation


@pytest.mark.parametrize("page", ["issuer", "achievement", "credential"])
@pytest.mark.parametrize(
    "accept",
    [
        JSON_LD,
        "application/json",
        "application/ld+json, */*",
        "application/ld+json, application/json;q=0.9, */*;q=0.1",
        "application/ld+json, text/html;q=0.5",
        'application/ld+json;profile="https://www.w3.org/ns/credentials/v2"',
    ],
)
def test_a_verifier_asking_for_json_gets_json_ld(client, pages, page, accept):
    response = client.get(pages[page], HTTP_ACCEPT=accept)

    document = assert_json_ld(response)
    assert varies_on_accept(response)
    assert "@context" in document


@pytest.mark.parametrize("page", ["issuer", "achievement", "credential"])
def test_format_json_in_the_address_gets_json_ld_whatever_the_browser_accepts(client, pages, page):
    response = client.get(pages[page], {"format": "json"}, HTTP_ACCEPT=BROWSER_ACCEPT)

    assert "@context" in assert_json_ld(response)


@pytest.mark.parametrize("page", ["issuer", "achievement", "credential"])
@pytest.mark.parametrize(
    "accept", [BROWSER_ACCEPT, "*/*", None, "text/html, application/json;q=0.9"]
)
def test_a_person_gets_a_page(client, pages, page, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}

    response = client.get(pages[page], **headers)

    assert_html(response)
    assert varies_on_accept(response)


@pytest.mark.parametrize("page", ["issuer", "achievement", "credential"])
def test_the_page_and_its_json_vary_also_on_language(client, pages, page):
    for accept in (BROWSER_ACCEPT, JSON_LD):
        vary = client.get(pages[page], HTTP_ACCEPT=accept)["Vary"].lower()
        assert "accept-language" in vary


def test_the_credential_as_json_is_exactly_what_was_signed(client, credential):
    response = client.get(credential_url(credential), HTTP_ACCEPT=JSON_LD)

    assert assert_json_ld(response) == credential.document


def test_the_issuer_document_names_its_keys(client, organisation, credential):
    document = assert_json_ld(client.get(issuer_url(organisation), HTTP_ACCEPT=JSON_LD))

    assert document["id"] == credential.document["issuer"]["id"]
    assert document["name"] == "Hydro Laurentides"
    assert [m["id"] for m in document["verificationMethod"]] == [
        credential.signing_key.verification_method
    ]


def test_the_achievement_document_is_the_one_in_the_credential(client, badge, credential):
    with translation.override("fr-ca"):
        document = assert_json_ld(
            client.get(achievement_url(badge), HTTP_ACCEPT=JSON_LD, HTTP_ACCEPT_LANGUAGE="fr-ca")
        )

    in_credential = credential.document["credentialSubject"]["achievement"]
    assert {k: v for k, v in document.items() if k != "@context"} == in_credential


def test_the_achievement_document_speaks_the_readers_language(client, badge):
    french = client.get(achievement_url(badge), HTTP_ACCEPT=JSON_LD, HTTP_ACCEPT_LANGUAGE="fr-ca")
    english = client.get(achievement_url(badge), HTTP_ACCEPT=JSON_LD, HTTP_ACCEPT_LANGUAGE="en")

    assert (json.loads(french.content)["name"], json.loads(french.content)["inLanguage"]) == (
        "Mentor de l'année",
        "fr-CA",
    )
    assert (json.loads(english.content)["name"], json.loads(english.content)["inLanguage"]) == (
        "Mentor of the year",
        "en",
    )


# Status lists


@pytest.mark.parametrize("accept", [JSON_LD, BROWSER_ACCEPT])
def test_a_status_list_is_always_its_signed_json(client, credential, accept):
    response = client.get(status_url(credential), HTTP_ACCEPT=accept)

    document = assert_json_ld(response)
    assert document == credential.status_list.document
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == credential.document["credentialStatus"]["statusListCredential"]


def test_a_status_list_is_cached_a_minute_at_most(client, credential):
    response = client.get(status_url(credential))

    assert response["Cache-Control"] == "public, max-age=60"


def test_the_served_status_list_shows_a_revocation_at_once(client, credential):
    before = client.get(status_url(credential)).content

    awarding.revoke(credential, reason="Mistake", actor=None)

    assert client.get(status_url(credential)).content != before


def test_status_lists_of_another_issuer_or_number_are_not_found(
    client, credential, other_organisation
):
    other = issuer_for(other_organisation)
    number = credential.status_list.number

    assert (
        client.get(reverse("credentials:status_list", args=[other.public_id, number])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("credentials:status_list", args=[credential.organisation.issuer.public_id, 99])
        ).status_code
        == 404
    )


# Badge image


def test_the_badge_image_is_an_svg_that_can_run_nothing(client, badge):
    response = client.get(image_url(badge))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert html(response).lstrip().startswith(("<svg", "<?xml"))
    assert "<script" not in html(response)


# Unknown addresses


@pytest.mark.parametrize("name", ["issuer", "credential"])
def test_an_unknown_uuid_is_not_found(client, name, db):
    for accept in (JSON_LD, BROWSER_ACCEPT):
        response = client.get(
            reverse(f"credentials:{name}", args=[uuid.uuid4()]), HTTP_ACCEPT=accept
        )
        assert response.status_code == 404


def test_an_unknown_badge_is_not_found(client, organisation, badge):
    issuer = issuer_for(organisation).public_id
    for name in ("achievement", "achievement_image"):
        assert (
            client.get(reverse(f"credentials:{name}", args=[issuer, uuid.uuid4()])).status_code
            == 404
        )
        assert (
            client.get(
                reverse(f"credentials:{name}", args=[uuid.uuid4(), badge.public_id])
            ).status_code
            == 404
        )


def test_a_badge_under_another_organisations_issuer_is_not_found(client, badge, other_organisation):
    other = issuer_for(other_organisation).public_id

    for name in ("achievement", "achievement_image"):
        url = reverse(f"credentials:{name}", args=[other, badge.public_id])
        assert client.get(url).status_code == 404


def test_public_documents_cannot_be_posted_to(client, pages):
    for url in pages.values():
        assert client.post(url).status_code == 405


# Pages for people, in both languages


def test_the_issuer_page_lists_its_active_badges_and_keys(client, organisation, credential):
    make_badge(organisation, name_fr="Ancien badge", name_en="Old badge", active=False)

    with translation.override("en"):
        page = assert_html(client.get(issuer_url(organisation), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<h1>Hydro Laurentides</h1>" in page
    assert "Mentor of the year" in page
    assert "Old badge" not in page
    assert credential.signing_key.public_multikey in page
    assert "Signing keys" in page


def test_the_issuer_page_before_any_credential_says_so(client, organisation):
    page = assert_html(client.get(issuer_url(organisation), HTTP_ACCEPT_LANGUAGE="en"))

    assert "No credential has been signed yet." in page


def test_the_issuer_page_costs_the_same_queries_for_many_badges(
    client, organisation, django_assert_max_num_queries
):
    issuer_for(organisation)
    make_badge(organisation)
    with django_assert_max_num_queries(8) as few:
        client.get(issuer_url(organisation))
    for number in range(10):
        make_badge(organisation, name_en=f"Badge {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(issuer_url(organisation))


@pytest.mark.parametrize(
    ("language", "name", "description"),
    [
        ("fr-ca", "Mentor de l'année", "Choisi par ses pairs."),
        ("en", "Mentor of the year", "Chosen by their peers."),
    ],
)
def test_the_badge_page_speaks_the_readers_language(client, badge, language, name, description):
    page = assert_html(client.get(achievement_url(badge), HTTP_ACCEPT_LANGUAGE=language))

    assert f'<html lang="{language}"' in page
    assert f"<h1>{name.replace(chr(39), '&#x27;')}</h1>" in page
    assert description in page


def test_a_retired_badge_page_says_those_awarded_remain_valid(client, badge):
    badge.active = False
    badge.save()

    page = assert_html(client.get(achievement_url(badge), HTTP_ACCEPT_LANGUAGE="en"))

    assert "This badge is no longer awarded; those already awarded remain valid." in page


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_credential_page_says_valid_and_what_was_checked(client, credential, language):
    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE=language))

    assert f'<html lang="{language}"' in page
    assert 'class="verification valid"' in page
    assert "Jeanne Tremblay" in page
    # The credential was written in the holder's language, whatever the reader's.
    assert "Mentor de l&#x27;année" in page
    assert 'name="robots" content="noindex, nofollow"' in page


def test_the_credential_page_in_english(client, credential):
    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Valid" in page
    assert "has not been changed since, and holds today" in page
    assert "Awarded to Jeanne Tremblay by Hydro Laurentides" in page


def test_the_credential_page_names_the_holder_as_signed_after_a_rename(client, credential):
    credential.person.last_name = "Gagnon"
    credential.person.save()

    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))

    assert "Awarded to Jeanne Tremblay by Hydro Laurentides" in page
    assert "<dt>Awarded to</dt><dd>Jeanne Tremblay</dd>" in page
    assert "Gagnon" not in page


def test_the_credential_page_says_revoked_with_the_reason_once_revoked(client, credential):
    awarding.revoke(credential, reason="Awarded to the wrong person", actor=None)

    for language in ("fr-ca", "en"):
        page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE=language))
        assert 'class="verification revoked"' in page
        assert "Awarded to the wrong person" in page
    assert "Revoked" in page
    assert "Its issuer has revoked this credential" in page


def test_a_revoked_credentials_page_warns_above_its_copies(client, credential):
    awarding.revoke(credential, reason="Awarded to the wrong person", actor=None)

    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))

    warning = page.index("This credential is revoked: its copies no longer verify.")
    pdf_link = page.index(reverse("credentials:credential_pdf", args=[credential.public_id]))
    assert warning < pdf_link


def test_a_valid_credentials_page_offers_its_copies_without_warning(client, credential):
    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))

    assert reverse("credentials:credential_pdf", args=[credential.public_id]) in page
    assert "copies-warning" not in page


def test_each_check_has_its_mark_and_no_list_bullet(client, credential):
    from django.contrib.staticfiles import finders

    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))
    with open(finders.find("credentials/credentials.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()

    assert '<ul class="checks">' in page
    # Pico gives every list item a bullet: the checks' items must drop it themselves.
    assert ".checks li { list-style: none;" in css


def test_the_credential_page_of_a_badge_past_its_end_says_expired(
    client, organisation, monkeypatch
):
    badge = make_badge(organisation, valid_years=1)
    person = factories.PersonFactory(organisation=organisation)
    credential, _ = awarding.award_badge(badge, person, actor=None)
    later = credential.valid_until + datetime.timedelta(days=1)
    monkeypatch.setattr(verification.timezone, "now", lambda: later)

    page = assert_html(client.get(credential_url(credential), HTTP_ACCEPT_LANGUAGE="en"))

    assert 'class="verification expired"' in page
    assert "its validity has ended" in page
    assert "This credential has expired: its copies no longer verify as valid." in page


def test_the_credential_page_needs_no_login_and_costs_few_queries(
    client, credential, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(credential_url(credential))

    assert response.status_code == 200
