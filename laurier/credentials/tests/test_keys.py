"""How an organisation signs and revokes: Ed25519 keys encrypted at rest, rotated without
breaking earlier credentials, and Bitstring status lists that hide which credential is checked."""

import copy
import io
import json

import pytest
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from laurier.credentials import keys
from laurier.credentials.models import Credential, SigningKey, StatusList
from laurier.credentials.proofs import verify_data_integrity_proof
from laurier.credentials.services import awarding, issuance
from laurier.credentials.services.issuance import issuer_for, rotate_signing_key, signer_for
from laurier.credentials.status_lists import LIST_SIZE, bit_is_set, encode_bits
from laurier.credentials.verification import Outcome, verify_document, verify_text
from laurier.organisations.models import AuditEvent
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def award(organisation, badge=None):
    person = factories.PersonFactory(organisation=organisation)
    credential, _created = awarding.award_badge(
        badge or factories.BadgeClassFactory(organisation=organisation), person, actor=None
    )
    return credential


def raw_seed(private_key):
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def served_issuer(client, organisation):
    url = reverse("credentials:issuer", args=[organisation.issuer.public_id])
    return json.loads(client.get(url, HTTP_ACCEPT="application/ld+json").content)


# Keys at rest


def test_the_first_credential_makes_the_issuers_key(organisation):
    assert not SigningKey.objects.exists()

    credential = award(organisation)

    key = SigningKey.objects.get()
    assert credential.signing_key == key
    assert key.issuer.organisation == organisation
    assert key.verification_method == f"{key.issuer.url}#{key.name}"


def test_the_seed_is_stored_encrypted_never_as_its_32_bytes(organisation):
    key = award(organisation).signing_key
    stored = bytes(SigningKey.objects.get(pk=key.pk).encrypted_seed)

    seed = raw_seed(keys.decrypt_private_key(stored))

    assert len(seed) == 32
    assert seed not in stored
    assert stored != seed
    assert keys.public_multikey(keys.decrypt_private_key(stored)) == key.public_multikey


def test_the_seed_decrypts_only_with_the_configured_secrets(organisation, settings):
    stored = bytes(award(organisation).signing_key.encrypted_seed)

    with pytest.raises(InvalidToken):
        keys.decrypt_private_key(stored, secrets=["a stolen dump without the secret"])
    settings.CREDENTIAL_KEY_SECRETS = ["another server's secret"]
    with pytest.raises(InvalidToken):
        keys.decrypt_private_key(stored)


def test_a_database_copied_to_a_server_without_the_secret_signs_nothing(organisation, settings):
    award(organisation)
    settings.CREDENTIAL_KEY_SECRETS = ["another server's secret"]

    with pytest.raises(InvalidToken):
        award(organisation)
    assert Credential.objects.count() == 1


def test_encrypting_the_same_key_twice_gives_different_tokens():
    key = keys.new_private_key()

    assert keys.encrypt_private_key(key) != keys.encrypt_private_key(key)


def test_reencrypt_moves_a_seed_to_the_newest_secret():
    key = keys.new_private_key()
    old = keys.encrypt_private_key(key, secrets=["old secret"])

    new = keys.reencrypt(old, secrets=["new secret", "old secret"])

    assert raw_seed(keys.decrypt_private_key(new, secrets=["new secret"])) == raw_seed(key)
    with pytest.raises(InvalidToken):
        keys.decrypt_private_key(new, secrets=["old secret"])


def test_reencrypting_every_key_lets_the_old_secret_go(organisation, other_organisation, settings):
    settings.CREDENTIAL_KEY_SECRETS = ["old secret"]
    first = award(organisation)
    award(other_organisation)
    rotate_signing_key(organisation, actor=None)
    settings.CREDENTIAL_KEY_SECRETS = ["new secret", "old secret"]

    call_command("rotate_credential_secrets", stdout=io.StringIO())

    settings.CREDENTIAL_KEY_SECRETS = ["new secret"]
    for key in SigningKey.objects.all():
        keys.decrypt_private_key(key.encrypted_seed)
    assert award(organisation).signing_key != first.signing_key
    assert verify_text(first.jwt).outcome == Outcome.VALID


def test_the_public_key_round_trips_through_its_multikey_and_jwk():
    key = keys.new_private_key()
    multikey = keys.public_multikey(key)

    public = keys.public_key_from_multikey(multikey)
    jwk = keys.public_jwk(multikey, "https://example.org/i/1#key-1")

    assert multikey.startswith("z6Mk")
    assert keys.public_raw(public) == keys.public_raw(key.public_key())
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == (
        "OKP",
        "Ed25519",
        "https://example.org/i/1#key-1",
    )


# Rotation


def test_rotation_retires_the_key_and_the_next_credential_uses_the_new_one(organisation):
    before = award(organisation)

    new_key = rotate_signing_key(organisation, actor=None)
    after = award(organisation)

    before.signing_key.refresh_from_db()
    assert before.signing_key.retired_at is not None
    assert after.signing_key == new_key
    assert new_key.retired_at is None
    assert new_key.name != before.signing_key.name


def test_rotating_twice_in_a_year_names_each_key_once(organisation):
    award(organisation)

    rotate_signing_key(organisation, actor=None)
    rotate_signing_key(organisation, actor=None)

    names = list(SigningKey.objects.values_list("name", flat=True))
    assert len(set(names)) == 3
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1


def test_credentials_signed_before_a_rotation_keep_verifying(organisation):
    before = award(organisation)

    rotate_signing_key(organisation, actor=None)
    rotate_signing_key(organisation, actor=None)

    assert verify_document(before.document).outcome == Outcome.VALID
    assert verify_text(before.jwt).outcome == Outcome.VALID


def test_the_issuer_document_lists_every_key_it_ever_signed_with(client, organisation):
    before = award(organisation).signing_key
    after = rotate_signing_key(organisation, actor=None)

    document = served_issuer(client, organisation)

    methods = {m["id"]: m for m in document["verificationMethod"]}
    assert set(methods) == {before.verification_method, after.verification_method}
    assert set(document["assertionMethod"]) == set(methods)
    assert methods[before.verification_method]["publicKeyMultibase"] == before.public_multikey
    assert all(m["controller"] == document["id"] for m in methods.values())


def test_a_revocation_after_rotation_is_signed_with_the_new_key(organisation):
    before = award(organisation)
    new_key = rotate_signing_key(organisation, actor=None)

    awarding.revoke(before, reason="Mistake", actor=None)

    status_list = StatusList.objects.get(pk=before.status_list_id)
    assert status_list.document["proof"][0]["verificationMethod"] == new_key.verification_method
    assert verify_text(before.jwt).outcome == Outcome.REVOKED


def test_rotation_is_audited_without_the_seed(organisation, admin_user):
    award(organisation)

    key = rotate_signing_key(organisation, actor=admin_user)

    event = AuditEvent.objects.get(organisation=organisation, object_id=str(key.pk))
    assert event.changes["public_multikey"] == key.public_multikey
    assert "encrypted_seed" not in json.dumps(event.changes)


def test_another_organisations_credential_never_verifies_with_our_key(
    organisation, other_organisation
):
    ours = award(organisation)
    theirs = award(other_organisation)
    document = copy.deepcopy(theirs.document)
    document["issuer"] = copy.deepcopy(ours.document["issuer"])
    document["proof"][0]["verificationMethod"] = ours.signing_key.verification_method

    assert verify_document(document).outcome == Outcome.TAMPERED
    assert ours.signing_key.public_multikey != theirs.signing_key.public_multikey
    assert theirs.signing_key.issuer.organisation == other_organisation


def test_each_organisation_has_its_own_key_and_issuer(organisation, other_organisation):
    ours, theirs = award(organisation), award(other_organisation)

    assert ours.signing_key.issuer != theirs.signing_key.issuer
    assert ours.document["issuer"]["id"] != theirs.document["issuer"]["id"]
    assert verify_text(theirs.jwt).issuer.organisation == other_organisation


# Status lists


def test_bits_round_trip_from_the_first_bit_of_the_first_byte():
    encoded = encode_bits({0, 9, LIST_SIZE - 1})

    assert [bit_is_set(encoded, i) for i in (0, 1, 8, 9, LIST_SIZE - 1)] == [
        True,
        False,
        False,
        True,
        True,
    ]
    with pytest.raises(ValueError):
        bit_is_set(encoded, LIST_SIZE)
    with pytest.raises(ValueError):
        bit_is_set(encoded[1:], 0)


def test_a_list_is_at_least_16_kib_so_it_hides_which_credential_is_checked():
    assert LIST_SIZE // 8 >= 16 * 1024


def test_indexes_are_unique_and_drawn_at_random(organisation):
    badge = factories.BadgeClassFactory(organisation=organisation)
    credentials = [award(organisation, badge) for _ in range(40)]

    indexes = [c.status_index for c in credentials]
    assert len(set(indexes)) == 40
    assert all(0 <= index < LIST_SIZE for index in indexes)
    # Issued in order, yet neither in order nor bunched: nothing tells when one was issued.
    assert indexes != sorted(indexes)
    assert max(indexes) - min(indexes) > LIST_SIZE // 4
    assert {c.document["credentialStatus"]["statusListIndex"] for c in credentials} == {
        str(i) for i in indexes
    }


def test_a_new_list_opens_once_the_open_one_is_full(organisation, monkeypatch):
    monkeypatch.setattr(issuance, "LIST_CAPACITY", 3)
    badge = factories.BadgeClassFactory(organisation=organisation)

    credentials = [award(organisation, badge) for _ in range(7)]

    lists = list(StatusList.objects.order_by("number"))
    assert [status_list.number for status_list in lists] == [1, 2, 3]
    assert [Credential.objects.filter(status_list=s).count() for s in lists] == [3, 3, 1]
    assert all(s.document["proof"] for s in lists)
    assert all(verify_text(c.jwt).outcome == Outcome.VALID for c in credentials)


def test_a_batch_fills_the_open_list_then_opens_the_next(organisation, monkeypatch):
    monkeypatch.setattr(issuance, "LIST_CAPACITY", 4)
    people = factories.PersonFactory.create_batch(10, organisation=organisation)
    badge = factories.BadgeClassFactory(organisation=organisation)
    recipients = [
        awarding.badge_recipient(badge, person, f"test:{person.pk}", badge.created_at)
        for person in people
    ]

    issued = issuance.issue_many(organisation, recipients, kind="badge", actor=None)

    counts = [Credential.objects.filter(status_list=s).count() for s in StatusList.objects.all()]
    assert len(issued) == 10
    assert counts == [4, 4, 2]
    assert len({(c.status_list_id, c.status_index) for c in issued}) == 10


def test_revoking_re_signs_only_the_list_of_the_credential(organisation, monkeypatch):
    monkeypatch.setattr(issuance, "LIST_CAPACITY", 2)
    badge = factories.BadgeClassFactory(organisation=organisation)
    first, second, third = (award(organisation, badge) for _ in range(3))
    other_list = StatusList.objects.get(pk=third.status_list_id)

    awarding.revoke(first, reason="Mistake", actor=None)

    first_list = StatusList.objects.get(pk=first.status_list_id)
    assert first_list.pk != other_list.pk
    assert StatusList.objects.get(pk=other_list.pk).document == other_list.document
    encoded = first_list.document["credentialSubject"]["encodedList"]
    assert bit_is_set(encoded, first.status_index)
    assert not bit_is_set(encoded, second.status_index)


def test_a_revoked_list_still_verifies_as_signed_by_its_issuer(organisation):
    credential = award(organisation)

    awarding.revoke(credential, reason="Mistake", actor=None)

    status_list = StatusList.objects.get(pk=credential.status_list_id)
    key = keys.public_key_from_multikey(credential.signing_key.public_multikey)

    verify_data_integrity_proof(status_list.document, key)  # raises if it does not hold


def test_revoking_twice_changes_nothing(organisation, admin_user):
    credential = award(organisation)
    first = awarding.revoke(credential, reason="Mistake", actor=admin_user)
    status_list = StatusList.objects.get(pk=credential.status_list_id)
    events = AuditEvent.objects.count()

    again = awarding.revoke(credential, reason="Another reason", actor=None)

    again.refresh_from_db()
    assert (again.revoked_at, again.revocation_reason, again.revoked_by) == (
        first.revoked_at,
        "Mistake",
        admin_user,
    )
    assert StatusList.objects.get(pk=status_list.pk).document == status_list.document
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoking_needs_a_reason(organisation, reason):
    credential = award(organisation)
    status_list = StatusList.objects.get(pk=credential.status_list_id)

    with translation.override("en"), pytest.raises(awarding.CredentialRefused) as refused:
        awarding.revoke(credential, reason=reason, actor=None)

    assert "why" in str(refused.value)
    credential.refresh_from_db()
    assert credential.revoked_at is None
    assert StatusList.objects.get(pk=status_list.pk).document == status_list.document
    assert verify_text(credential.jwt).outcome == Outcome.VALID


def test_revocation_is_audited(organisation, admin_user):
    credential = award(organisation)

    awarding.revoke(credential, reason="Mistake", actor=admin_user)

    event = AuditEvent.objects.filter(object_id=str(credential.pk)).latest("pk")
    assert event.action == AuditEvent.Action.UPDATE
    assert "document" not in event.changes
    assert "Mistake" in json.dumps(event.changes)


def test_the_signing_key_is_made_once_per_issuer(organisation):
    issuer = issuer_for(organisation)

    with transaction.atomic():
        first = signer_for(issuer).key
    with transaction.atomic():
        second = signer_for(issuer).key

    assert first == second
