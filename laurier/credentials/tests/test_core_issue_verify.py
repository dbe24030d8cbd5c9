"""The core: a badge awarded is a signed OB 3.0 credential that Laurier verifies, and that
verifies no more once changed or revoked."""

import copy
import json

import pytest
from django.utils import translation

from laurier.credentials.documents import schema_errors
from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import rotate_signing_key
from laurier.credentials.verification import Outcome, verify_document, verify_text
from laurier.testing import factories


@pytest.fixture
def badge(organisation):
    return factories.BadgeClassFactory(organisation=organisation)


@pytest.fixture
def person(organisation):
    return factories.PersonFactory(organisation=organisation, language="fr-ca")


def test_an_awarded_badge_is_a_credential_matching_the_official_schema(badge, person):
    credential, created = awarding.award_badge(badge, person, actor=None)

    assert created
    assert schema_errors(credential.document) == []
    assert credential.document["credentialSubject"]["achievement"]["name"] == "Mentor 100 heures"
    assert credential.document["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_awarding_twice_keeps_the_first_credential(badge, person):
    first, _ = awarding.award_badge(badge, person, actor=None)
    second, created = awarding.award_badge(badge, person, actor=None)

    assert not created
    assert second == first


def test_a_fresh_credential_verifies_as_json_and_as_jwt(badge, person):
    credential, _ = awarding.award_badge(badge, person, actor=None)

    assert verify_document(credential.document).outcome == Outcome.VALID
    assert verify_text(credential.jwt).outcome == Outcome.VALID
    assert verify_text(json.dumps(credential.document)).outcome == Outcome.VALID


def test_one_changed_character_is_tampering(badge, person):
    credential, _ = awarding.award_badge(badge, person, actor=None)
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Mentor 100 heureS"
    header, payload, signature = credential.jwt.split(".")
    changed_signature = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert verify_document(document).outcome == Outcome.TAMPERED
    assert verify_text(f"{header}.{payload}.{changed_signature}").outcome == Outcome.TAMPERED


def test_a_revoked_credential_verifies_as_revoked_with_its_reason(badge, person):
    credential, _ = awarding.award_badge(badge, person, actor=None)

    awarding.revoke(credential, reason="Awarded by mistake", actor=None)

    result = verify_document(credential.document)
    assert result.outcome == Outcome.REVOKED
    with translation.override("en"):
        assert "Awarded by mistake" in str(result.checks[-1].detail)


def test_credentials_signed_before_a_key_rotation_still_verify(badge, person, organisation):
    before, _ = awarding.award_badge(badge, person, actor=None)

    rotate_signing_key(organisation, actor=None)
    after, _ = awarding.award_badge(
        badge, factories.PersonFactory(organisation=organisation), actor=None
    )

    assert before.signing_key != after.signing_key
    assert verify_document(before.document).outcome == Outcome.VALID
    assert verify_document(after.document).outcome == Outcome.VALID


def test_a_badge_revoked_by_mistake_can_be_awarded_again(badge, person):
    first, _ = awarding.award_badge(badge, person, actor=None)
    awarding.revoke(first, reason="Wrong person", actor=None)

    second, created = awarding.award_badge(badge, person, actor=None)

    assert created
    assert verify_document(second.document).outcome == Outcome.VALID
