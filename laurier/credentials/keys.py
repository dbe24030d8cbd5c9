"""Ed25519 signing keys, kept encrypted at rest.

The private seed is encrypted with a key derived from `settings.CREDENTIAL_KEY_SECRETS`, which
lives outside the database (newest secret first), so a stolen database dump signs nothing. Listing
an older secret after a newer one lets `manage.py rotate_credential_secrets` re-encrypt every key.
"""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .encoding import b64u, multikey_from_raw, raw_from_multikey


def _fernet_key(secret: str) -> bytes:
    derived = HKDF(hashes.SHA256(), 32, salt=None, info=b"laurier/signing-keys").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


def _cipher(secrets=None) -> MultiFernet:
    secrets = secrets or settings.CREDENTIAL_KEY_SECRETS
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def encrypt_private_key(key: Ed25519PrivateKey, secrets=None) -> bytes:
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return _cipher(secrets).encrypt(seed)


def decrypt_private_key(token: bytes, secrets=None) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_cipher(secrets).decrypt(bytes(token)))


def reencrypt(token: bytes, secrets=None) -> bytes:
    """The same seed, encrypted under the newest secret."""
    return _cipher(secrets).rotate(bytes(token))


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_multikey(key: Ed25519PrivateKey) -> str:
    return multikey_from_raw(public_raw(key.public_key()))


def public_key_from_multikey(multikey: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw_from_multikey(multikey))


def public_jwk(multikey: str, kid: str) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64u(raw_from_multikey(multikey)), "kid": kid}
