"""A credential's files, at its unguessable address: the signed JSON, the JWT, and its image
with the credential baked inside (PNG and SVG), each of which verifies on its own."""

import json

import pytest
from django.urls import reverse

from laurier.credentials import certificates
from laurier.credentials.baking import PNG_SIGNATURE, extract_png, extract_svg
from laurier.credentials.images import Emblem
from laurier.credentials.services import awarding
from laurier.credentials.verification import Outcome, verify_text

from .holders import (  # noqa: F401 (fixtures)
    award_credential_fixture,
    badge_credential_fixture,
    badge_fixture,
    holder_fixture,
    training_credential_fixture,
)


def url(name, credential):
    return reverse(f"credentials:{name}", args=[credential.public_id])


# JSON and JWT


def test_the_json_is_the_signed_document(client, badge_credential):
    response = client.get(url("credential_json", badge_credential))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mentor-100-heures-')
    assert response["Content-Disposition"].endswith('.json"')
    assert json.loads(response.content) == badge_credential.document


def test_the_json_downloaded_verifies(client, badge_credential):
    response = client.get(url("credential_json", badge_credential))

    assert verify_text(response.content.decode()).outcome == Outcome.VALID


def test_the_jwt_downloaded_verifies(client, badge_credential):
    response = client.get(url("credential_jwt", badge_credential))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].endswith('.jwt"')
    assert response.content.decode() == badge_credential.jwt
    assert verify_text(response.content.decode()).outcome == Outcome.VALID


# Baked images


def test_the_png_carries_the_credential_which_verifies(client, badge_credential):
    response = client.get(url("credential_png", badge_credential))

    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    baked = extract_png(response.content)
    assert json.loads(baked) == badge_credential.document
    assert verify_text(baked).outcome == Outcome.VALID


def test_the_svg_carries_the_credential_which_verifies(client, badge_credential):
    response = client.get(url("credential_svg", badge_credential))

    assert response["Content-Type"] == "image/svg+xml"
    baked = extract_svg(response.content)
    assert verify_text(baked).outcome == Outcome.VALID


def test_the_svg_may_run_nothing_when_opened_on_its_own(client, badge_credential):
    response = client.get(url("credential_svg", badge_credential))

    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_images_are_named_after_the_badge(client, badge_credential):
    png = client.get(url("credential_png", badge_credential))
    svg = client.get(url("credential_svg", badge_credential))

    assert png["Content-Disposition"].startswith('inline; filename="mentor-100-heures-')
    assert svg["Content-Disposition"].endswith('.svg"')


def test_the_badge_image_is_its_class_design(badge_credential):
    design = certificates.design_of(badge_credential)

    assert (design.shape, design.palette, design.emblem, design.label) == (
        "medallion",
        "forest",
        "clock",
        "100 h",
    )


def test_a_recognition_and_training_hours_have_an_emblem_of_their_own(
    award_credential, training_credential
):
    assert certificates.design_of(award_credential).emblem == Emblem.TROPHY
    training = certificates.design_of(training_credential)
    assert (training.emblem, training.label) == (Emblem.CLOCK, "2025")


@pytest.mark.parametrize("kind", ["award_credential", "training_credential"])
def test_every_kind_has_a_baked_image_that_verifies(client, request, kind):
    credential = request.getfixturevalue(kind)

    png = client.get(url("credential_png", credential)).content
    svg = client.get(url("credential_svg", credential)).content

    assert verify_text(extract_png(png)).outcome == Outcome.VALID
    assert verify_text(extract_svg(svg)).outcome == Outcome.VALID


def test_a_badge_design_is_rendered_once(badge_credential):
    certificates.baked_png(badge_credential)
    renders = certificates.design_png.cache_info().misses

    certificates.baked_png(badge_credential)

    assert certificates.design_png.cache_info().misses == renders


def test_a_revoked_credentials_image_verifies_as_revoked(client, badge_credential):
    awarding.revoke(badge_credential, reason="Awarded by mistake", actor=None)

    png = client.get(url("credential_png", badge_credential)).content

    assert verify_text(extract_png(png)).outcome == Outcome.REVOKED


# The addresses


@pytest.mark.parametrize(
    "name",
    ["credential_json", "credential_jwt", "credential_png", "credential_svg", "credential_pdf"],
)
def test_an_unknown_credential_is_404(client, db, name):
    address = reverse(f"credentials:{name}", args=["0b0a3c1e-9d0e-4d5f-8b7a-1f2e3d4c5b6a"])

    assert client.get(address).status_code == 404


@pytest.mark.parametrize(
    "name", ["credential_json", "credential_jwt", "credential_png", "credential_svg"]
)
def test_the_files_are_never_listed_by_search_engines(client, badge_credential, name):
    response = client.get(url(name, badge_credential))

    assert response["X-Robots-Tag"] == "noindex"


def test_the_files_answer_only_to_get(client, badge_credential):
    assert client.post(url("credential_json", badge_credential)).status_code == 405


def test_the_files_need_no_login(client, badge_credential):
    # The holder shares the address: whoever they give it to may download.
    assert client.get(url("credential_png", badge_credential)).status_code == 200


# Rate limit: anyone may download, and each image or PDF is drawn anew


def test_the_31st_drawn_file_in_a_minute_is_refused(client, badge_credential):
    for name in ["credential_png"] * 30:
        assert client.get(url(name, badge_credential)).status_code == 200

    response = client.get(url("credential_pdf", badge_credential), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response.content.decode() == (
        "Too many downloads in a minute: wait a moment, then try again."
    )


def test_the_download_limit_is_per_client(client, badge_credential):
    for _ in range(30):
        client.get(url("credential_png", badge_credential), REMOTE_ADDR="192.0.2.1")

    other = client.get(url("credential_png", badge_credential), REMOTE_ADDR="192.0.2.2")

    assert other.status_code == 200


def test_the_signed_files_and_the_svg_cards_show_are_not_limited(client, badge_credential):
    for _ in range(30):
        client.get(url("credential_png", badge_credential))

    assert client.get(url("credential_json", badge_credential)).status_code == 200
    assert client.get(url("credential_jwt", badge_credential)).status_code == 200
    # A page of 24 badge cards, shown twice, draws 48 of them.
    for _ in range(48):
        assert client.get(url("credential_svg", badge_credential)).status_code == 200
