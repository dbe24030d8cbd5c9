"""The verification page: anyone pastes a credential or uploads its badge image and reads whether
it holds, in their language; too large, empty or too frequent submissions get a clear message."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laurier.credentials import baking, images
from laurier.credentials.services import awarding
from laurier.credentials.verification import Outcome, verify_document
from laurier.credentials.views import verify as verify_view
from laurier.credentials.views.public import badge_design
from laurier.testing import factories

pytestmark = pytest.mark.django_db

URL = reverse("credentials:verify")
A_DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limit lives in the cache, which outlives a test in the same process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def badge(organisation):
    return factories.BadgeClassFactory(organisation=organisation)


@pytest.fixture
def credential(badge, organisation):
    person = factories.PersonFactory(
        organisation=organisation, first_name="Jeanne", last_name="Tremblay"
    )
    credential, _created = awarding.award_badge(badge, person, actor=None)
    return credential


@pytest.fixture
def badge_png(badge):
    return images.render_png(images.render_svg(badge_design(badge)), size=128)


def verify(client, language="en", **data):
    return client.post(URL, data, HTTP_ACCEPT_LANGUAGE=language)


def page(response):
    return response.content.decode()


def upload(name, content, content_type="application/octet-stream"):
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content, content_type=content_type)


def verdict(response):
    """The outcome the page shows, from the class of its result section."""
    text = page(response)
    marker = 'class="verification '
    if marker not in text:
        return None
    return text.split(marker, 1)[1].split('"', 1)[0]


# The page


def test_the_page_needs_no_account_and_has_a_labelled_form(client):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    text = page(response)
    assert response.status_code == 200
    assert text.count("<h1") == 1
    assert '<label for="id_text">Paste the credential</label>' in text
    assert '<label for="id_file">Or upload it</label>' in text
    assert 'enctype="multipart/form-data"' in text
    assert "<script>" not in text


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_page_speaks_the_readers_language(client, language):
    text = page(client.get(URL, HTTP_ACCEPT_LANGUAGE=language))

    assert f'<html lang="{language}"' in text


# Pasting


def test_a_pasted_json_credential_is_valid(client, credential):
    response = verify(client, text=json.dumps(credential.document))

    assert response.status_code == 200
    assert verdict(response) == "valid"
    text = page(response)
    assert "has not been changed since, and holds today" in text
    assert "Data Integrity, eddsa-rdfc-2022" in text
    assert reverse("credentials:credential", args=[credential.public_id]) in text


def test_a_pasted_jwt_is_valid(client, credential):
    response = verify(client, text=credential.jwt)

    assert verdict(response) == "valid"
    assert "JWT, EdDSA" in page(response)


def test_the_page_shows_what_the_credential_attests(client, credential):
    text = page(verify(client, text=credential.jwt))

    assert "Mentor 100 heures" in text
    assert "100 heures de mentorat confirmées." in text
    assert "Hydro Laurentides" in text


def test_a_changed_credential_is_said_to_be_altered(client, credential):
    document = json.loads(json.dumps(credential.document))
    document["credentialSubject"]["achievement"]["name"] = "Mentor 1000 heures"

    response = verify(client, text=json.dumps(document))

    assert verdict(response) == "tampered"
    assert "Do not trust this credential" in page(response)


def test_an_altered_credential_shows_nothing_of_what_it_claims(client, credential):
    document = json.loads(json.dumps(credential.document))
    document["credentialSubject"]["achievement"]["name"] = "Mentor 1000 heures"
    document["credentialSubject"]["identifier"][0]["identityHash"] = "Faussaire Imposteur"

    # What was pasted stays in the form, for the reader to correct: the answer is above it.
    text = page(verify(client, text=json.dumps(document))).split('enctype="multipart', 1)[0]

    assert "Do not trust this credential" in text
    assert "Mentor 1000 heures" not in text
    assert "Faussaire Imposteur" not in text
    assert "Jeanne Tremblay" not in text
    assert "Issued by" not in text
    assert "Awarded to" not in text
    assert reverse("credentials:credential", args=[credential.public_id]) not in text


def test_a_valid_credential_names_its_holder_as_signed(client, credential):
    # The person renamed since: the credential still attests the name it was issued to.
    credential.person.last_name = "Gagnon"
    credential.person.save()

    text = page(verify(client, text=credential.jwt))

    assert "<dt>Awarded to</dt><dd>Jeanne Tremblay</dd>" in text
    assert "Jeanne Gagnon" not in text


def test_a_revoked_credential_still_names_its_holder_and_what_it_attested(client, credential):
    awarding.revoke(credential, reason="Awarded by mistake", actor=None)

    response = verify(client, text=credential.jwt)

    text = page(response)
    assert verdict(response) == "revoked"
    assert "<dt>Awarded to</dt><dd>Jeanne Tremblay</dd>" in text
    assert "Mentor 100 heures" in text


def test_an_expired_credential_still_names_its_holder(organisation, badge):
    badge.valid_years = 1
    badge.save()
    person = factories.PersonFactory(
        organisation=organisation, first_name="Jeanne", last_name="Tremblay"
    )
    credential, _created = awarding.award_badge(badge, person, actor=None)
    result = verify_document(credential.document, now=credential.valid_until + A_DAY)

    claims = verify_view.signed_claims(result)

    assert result.outcome == Outcome.EXPIRED
    assert claims["holder"] == "Jeanne Tremblay"
    assert claims["achievement"]["name"] == "Mentor 100 heures"


def test_a_revoked_credential_shows_its_reason(client, credential):
    awarding.revoke(credential, reason="Awarded to the wrong person", actor=None)

    response = verify(client, text=credential.jwt)

    assert verdict(response) == "revoked"
    assert "Awarded to the wrong person" in page(response)


def test_text_that_is_no_credential_is_said_so(client):
    response = verify(client, text="hello, is this my badge?")

    assert verdict(response) == "malformed"
    assert "is not an Open Badges 3.0 credential" in page(response)


def test_what_is_pasted_is_escaped_on_the_page(client, credential):
    document = json.loads(json.dumps(credential.document))
    document["credentialSubject"]["achievement"]["name"] = "<script>alert(1)</script>"
    document["credentialSubject"]["achievement"]["description"] = "<img src=x onerror=alert(1)>"

    response = verify(client, text=json.dumps(document))

    assert verdict(response) == "tampered"
    assert "<script>alert(1)" not in page(response)
    assert "<img src=x" not in page(response)


@pytest.mark.parametrize("language", ["fr-ca", "en"])
def test_the_answer_speaks_the_readers_language(client, credential, language):
    response = verify(client, language=language, text=credential.jwt)

    assert verdict(response) == "valid"
    assert f'<html lang="{language}"' in page(response)


def test_the_answer_in_english_names_each_check(client, credential):
    text = page(verify(client, text=credential.jwt))

    for label in ("Open Badges 3.0 format", "Issuer", "Signature", "Validity", "Revocation"):
        assert f"<strong>{label}</strong>" in text


# Uploading


def test_an_uploaded_baked_png_is_verified(client, credential, badge_png):
    baked = baking.bake_png(badge_png, credential.document)

    response = verify(client, file=upload("badge.png", baked, "image/png"))

    assert verdict(response) == "valid"


def test_an_uploaded_png_baked_with_the_jwt_is_verified(client, credential, badge_png):
    baked = baking.bake_png(badge_png, credential.jwt)

    assert verdict(verify(client, file=upload("badge.png", baked, "image/png"))) == "valid"


def test_an_uploaded_baked_svg_is_verified(client, credential, badge):
    baked = baking.bake_svg(images.render_svg(badge_design(badge)), credential.document)

    response = verify(client, file=upload("badge.svg", baked, "image/svg+xml"))

    assert verdict(response) == "valid"


def test_an_uploaded_json_or_jwt_file_is_verified(client, credential):
    as_json = upload("credential.json", json.dumps(credential.document), "application/json")
    as_jwt = upload("credential.jwt", credential.jwt, "text/plain")

    assert verdict(verify(client, file=as_json)) == "valid"
    assert verdict(verify(client, file=as_jwt)) == "valid"


def test_the_file_is_read_rather_than_what_is_pasted(client, credential, badge_png):
    baked = baking.bake_png(badge_png, credential.jwt)

    response = verify(client, text="hello", file=upload("badge.png", baked))

    assert verdict(response) == "valid"


def test_an_image_without_a_credential_is_said_so(client, badge_png):
    response = verify(client, file=upload("badge.png", badge_png, "image/png"))

    assert response.status_code == 200
    assert verdict(response) is None
    assert "This image holds no credential." in page(response)


def test_a_file_that_is_neither_image_nor_credential_is_said_so(client):
    response = verify(client, file=upload("notes.txt", "just some notes"))

    assert response.status_code == 200
    assert "is neither a PNG or SVG image nor a credential" in page(response)


def test_a_6_mb_file_is_refused_with_the_limit(client, credential, badge_png):
    large = baking.bake_png(badge_png, credential.jwt) + b"\0" * (6 * 1024 * 1024)

    response = verify(client, file=upload("large.png", large, "image/png"))

    assert response.status_code == 200
    assert verdict(response) is None
    assert "This file is too large: at most 5.0\xa0MB." in page(response)


def test_a_text_longer_than_any_credential_is_refused(client):
    response = verify(client, text="x" * 200_001)

    assert response.status_code == 200
    assert verdict(response) is None


# Empty and too frequent


@pytest.mark.parametrize("data", [{}, {"text": ""}, {"text": "   \n "}])
def test_an_empty_submission_asks_for_a_credential(client, data):
    response = client.post(URL, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert verdict(response) is None
    assert "Paste a credential or choose a file." in page(response)


def test_the_31st_verification_in_a_minute_is_refused_and_verifies_nothing(
    client, credential, monkeypatch
):
    for _ in range(30):
        assert verdict(verify(client, text="hello")) == "malformed"
    verified = []
    from laurier.credentials.views import verify as verify_view

    monkeypatch.setattr(verify_view, "verify_text", lambda text: verified.append(text))

    response = verify(client, text=credential.jwt)

    assert response.status_code == 429
    assert verdict(response) is None
    assert "Too many verifications in a minute: wait a moment." in page(response)
    assert verified == []


def test_the_limit_is_per_client(client, credential):
    for _ in range(30):
        verify(client, text="hello")

    other = client.post(URL, {"text": credential.jwt}, REMOTE_ADDR="192.0.2.7")

    assert verdict(other) == "valid"
