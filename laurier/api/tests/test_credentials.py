"""Badges and credentials through the API: what the credential pages show admins, and verifying
with the verdict of the public verification page."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from laurier.api.resources.credentials import VerifyRateThrottle
from laurier.api.scopes import ALL_SCOPES
from laurier.credentials import baking, certificates, images
from laurier.credentials.models import BadgeRule, Credential
from laurier.credentials.services import awarding
from laurier.testing import factories
from laurier.testing.api import client_with, make_token

pytestmark = pytest.mark.django_db


def award(organisation, badge=None, **person_fields):
    badge = badge or factories.BadgeClassFactory(organisation=organisation)
    person = factories.PersonFactory(organisation=organisation, **person_fields)
    return awarding.award_badge(badge, person, actor=None)[0]


def read_only_client(organisation, admin, family="credentials"):
    return client_with(make_token(organisation, admin, scopes=[f"{family}:read"])[1])


# --- Badges ------------------------------------------------------------------------------------


def test_lists_badges_with_their_rule_and_holders(api, organisation):
    badge = factories.BadgeClassFactory(
        organisation=organisation, rule=BadgeRule.HOURS, threshold=100
    )
    award(organisation, badge)
    revoked = award(organisation, badge)
    awarding.revoke(revoked, reason="Given by mistake", actor=None, tell_holder=False)

    row = api.get("/api/v1/badge-classes/").json()["results"][0]

    assert row["name"] == "100-hour mentor"
    assert (row["rule"], row["threshold"]) == ("hours", "100.0")
    assert (row["holder_count"], row["revoked_count"]) == (1, 1)
    assert row["achievement_url"].endswith(f"/badges/{badge.public_id}/")
    assert row["image_url"].endswith("/image.svg")


def test_a_badge_has_no_public_address_before_the_first_credential(api, organisation):
    factories.BadgeClassFactory(organisation=organisation)

    row = api.get("/api/v1/badge-classes/").json()["results"][0]

    assert (row["achievement_url"], row["image_url"]) == (None, None)


def test_filters_badges_by_rule(api, organisation):
    factories.BadgeClassFactory(organisation=organisation, name_en="By hand")
    factories.BadgeClassFactory(
        organisation=organisation, name_en="Yearly", rule=BadgeRule.YEARS, threshold=1
    )

    rows = api.get("/api/v1/badge-classes/", {"rule": "years"}).json()["results"]

    assert [row["name_en"] for row in rows] == ["Yearly"]


# --- Credentials issued ------------------------------------------------------------------------


def test_lists_credentials_with_holder_status_and_verification_address(api, organisation):
    credential = award(organisation)

    row = api.get("/api/v1/credentials/").json()["results"][0]

    assert row["id"] == credential.pk
    assert row["person"] == credential.person_id
    assert row["badge_class"] == credential.badge_class_id
    assert (row["kind"], row["status"]) == ("badge", "valid")
    assert row["url"] == credential.url
    # Neither the signed document nor anything of the signing key.
    assert not {"document", "jwt", "signing_key", "status_list"} & set(row)


def test_a_revoked_credential_says_so_and_why(api, organisation):
    credential = award(organisation)
    awarding.revoke(credential, reason="Given by mistake", actor=None, tell_holder=False)

    row = api.get(f"/api/v1/credentials/{credential.pk}/").json()

    assert row["status"] == "revoked"
    assert row["revocation_reason"] == "Given by mistake"


@pytest.mark.parametrize("status", ["valid", "revoked", "expired"])
def test_filters_credentials_by_status(api, organisation, status):
    valid = award(organisation)
    revoked = award(organisation)
    awarding.revoke(revoked, reason="Mistake", actor=None, tell_holder=False)
    expired = award(organisation)
    Credential.objects.filter(pk=expired.pk).update(
        valid_until=timezone.now() - datetime.timedelta(days=1)
    )
    expected = {"valid": valid, "revoked": revoked, "expired": expired}[status]

    rows = api.get("/api/v1/credentials/", {"status": status}).json()["results"]

    assert [(row["id"], row["status"]) for row in rows] == [(expected.pk, status)]


def test_filters_credentials_by_holder(api, organisation):
    mine = award(organisation)
    award(organisation)

    rows = api.get("/api/v1/credentials/", {"person": mine.person_id}).json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


def test_lists_only_the_organisations_credentials(api, organisation, other_organisation):
    mine = award(organisation)
    award(other_organisation)

    rows = api.get("/api/v1/credentials/").json()["results"]

    assert [row["id"] for row in rows] == [mine.pk]


@pytest.mark.parametrize("path", ["/api/v1/credentials/", "/api/v1/badge-classes/"])
def test_lists_answer_in_a_constant_number_of_queries(
    api, organisation, path, django_assert_max_num_queries
):
    badge = factories.BadgeClassFactory(organisation=organisation)
    award(organisation, badge)
    with django_assert_max_num_queries(8) as few:
        assert api.get(path).status_code == 200
    for _index in range(4):
        award(organisation, factories.BadgeClassFactory(organisation=organisation))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(path).json()["results"]) == 5


# --- Verifying ---------------------------------------------------------------------------------


def verify(client, credential):
    return client.post("/api/v1/credentials/verify/", {"credential": credential}, format="json")


@pytest.mark.parametrize("form", ["object", "json text", "jwt"])
def test_verifies_a_credential_in_each_form_the_page_accepts(api, organisation, form):
    credential = award(organisation)
    given = {
        "object": credential.document,
        "json text": json.dumps(credential.document),
        "jwt": credential.jwt,
    }[form]

    response = verify(api, given)

    assert response.status_code == 200, response.content
    verdict = response.json()
    assert (verdict["outcome"], verdict["valid"], verdict["title"]) == ("valid", True, "Valid")
    assert all(check["passed"] for check in verdict["checks"])
    assert verdict["credential"] == credential.pk
    assert verdict["claims"]["achievement"]["name"] == credential.name  # as signed
    assert verdict["claims"]["holder"] == credential.person.full_name


def test_an_altered_credential_is_reported_and_its_claims_withheld(api, organisation):
    document = award(organisation).document
    document["credentialSubject"]["achievement"]["name"] = "1000-hour mentor"

    verdict = verify(api, document).json()

    assert verdict["outcome"] == "tampered"
    assert verdict["valid"] is False
    assert verdict["claims"] is None


def test_a_revoked_credential_is_reported_revoked_with_its_reason(api, organisation):
    credential = award(organisation)
    awarding.revoke(credential, reason="Given by mistake", actor=None, tell_holder=False)

    verdict = verify(api, credential.jwt).json()

    assert verdict["outcome"] == "revoked"
    assert "Given by mistake" in verdict["checks"][-1]["detail"]


def test_another_organisations_credential_is_verified_without_its_id(api, other_organisation):
    credential = award(other_organisation)

    verdict = verify(api, credential.document).json()

    assert verdict["outcome"] == "valid"
    assert verdict["credential"] is None


def test_what_is_not_a_credential_gets_the_pages_verdict(api):
    verdict = verify(api, "not a credential at all").json()

    assert verdict["outcome"] == "malformed"
    assert verdict["checks"] == [
        {
            "label": "Readable",
            "passed": False,
            "detail": "This is neither a JSON credential nor a signed token (JWT).",
        }
    ]


@pytest.mark.parametrize("given", [None, "", 42, ["a", "list"]])
def test_a_body_without_a_credential_is_refused_in_the_error_shape(api, given):
    response = verify(api, given)

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"credential"}


def test_an_empty_body_is_refused_with_the_pages_message(api):
    response = api.post("/api/v1/credentials/verify/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Paste a credential or choose a file."]
    }


def test_verifies_a_badge_image_sent_as_a_file(api, organisation):
    credential = award(organisation)
    design = images.render_svg(certificates.design_of(credential))
    baked = baking.bake_png(images.render_png(design, size=64), credential.jwt)

    response = api.post(
        "/api/v1/credentials/verify/",
        {"file": SimpleUploadedFile("badge.png", baked, content_type="image/png")},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "valid"
    assert response.json()["credential"] == credential.pk


def test_a_file_without_a_credential_is_refused(api):
    response = api.post(
        "/api/v1/credentials/verify/",
        {"file": SimpleUploadedFile("notes.txt", b"Hello", content_type="text/plain")},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"] == [
        "“notes.txt” is neither a PNG or SVG image nor a credential."
    ]


def test_verifying_needs_only_the_read_permission(organisation, admin_user):
    credential = award(organisation)

    response = verify(read_only_client(organisation, admin_user), credential.jwt)

    assert response.status_code == 200
    assert response.json()["outcome"] == "valid"


@pytest.mark.parametrize(
    "call",
    [
        lambda client: client.get("/api/v1/credentials/"),
        lambda client: client.get("/api/v1/badge-classes/"),
        lambda client: verify(client, "eyJ"),
    ],
)
def test_a_token_without_the_credentials_scope_is_refused(organisation, admin_user, call):
    scopes = [scope for scope in ALL_SCOPES if not scope.startswith("credentials:")]
    client = client_with(make_token(organisation, admin_user, scopes=scopes)[1])

    response = call(client)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_verifications_are_limited_per_token(api, monkeypatch):
    monkeypatch.setattr(VerifyRateThrottle, "rate", "2/min")

    answers = [verify(api, "eyJ") for _call in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert api.get("/api/v1/credentials/").status_code == 200


@pytest.mark.parametrize("moment", ["0590-03-19T22:42:08-22:19", "9999-12-31T23:59:59-01:00"])
def test_a_moment_out_of_the_years_a_database_holds_is_a_400(api, moment):
    response = api.get("/api/v1/credentials/", {"issued_before": moment})

    assert response.status_code == 400
    assert "issued_before" in response.json()["error"]["fields"]


def test_a_moment_with_an_offset_postgresql_refuses_is_read_in_utc(api):
    # ISO 8601 allows +23:00; PostgreSQL's offsets stop at 15:59.
    response = api.get("/api/v1/credentials/", {"issued_before": "2026-01-01T00:00:00+23:00"})

    assert response.status_code == 200
