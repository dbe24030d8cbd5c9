"""Rotating the secret that encrypts the signing keys: keys stay usable, the old secret is no
longer needed."""

import io

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command

from laurier.credentials.keys import decrypt_private_key
from laurier.credentials.models import SigningKey
from laurier.credentials.services.issuance import rotate_signing_key


def test_keys_are_re_encrypted_under_the_new_secret(settings, organisation):
    settings.CREDENTIAL_KEY_SECRETS = ["old secret"]
    key = rotate_signing_key(organisation, actor=None)
    seed = decrypt_private_key(key.encrypted_seed).private_bytes_raw()

    settings.CREDENTIAL_KEY_SECRETS = ["new secret", "old secret"]
    call_command("rotate_credential_secrets", stdout=io.StringIO())

    stored = bytes(SigningKey.objects.get(pk=key.pk).encrypted_seed)
    assert decrypt_private_key(stored, ["new secret"]).private_bytes_raw() == seed
    with pytest.raises(InvalidToken):
        decrypt_private_key(stored, ["old secret"])
