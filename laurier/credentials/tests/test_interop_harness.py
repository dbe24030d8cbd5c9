"""The independent verifier harness (tests/interop) tells good credentials from bad ones.

The credentials here are signed by small local helpers, not by Laurier's code, so that the harness
is proved on its own: it accepts what a correct signer makes and refuses a changed character.
"""

import base64
import gzip
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parents[1] / "ob3" / "contexts"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
}
ISSUER = "https://laurier.example/o/acme/issuer"
KID = f"{ISSUER}#key-2026-1"
STATUS_LIST = "https://laurier.example/o/acme/status/1"
FORGED_STATUS_LIST = "https://laurier.example/o/acme/status/2"
UNKNOWN_STATUS_LIST = "https://laurier.example/o/acme/status/99"
REVOKED_INDEX = 7
KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"laurier interop harness").digest())
NOW = datetime.now(UTC).replace(microsecond=0)


def timestamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def base58(data):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = alphabet[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def public_multikey(key):
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58(b"\xed\x01" + raw)


CONTEXTS = {url: json.loads((CONTEXTS_DIR / f).read_text()) for url, f in CONTEXT_FILES.items()}


def offline_loader(url, options=None):
    if url not in CONTEXTS:
        raise jsonld.JsonLdError(f"unknown context {url}", "jsonld.LoadDocumentError")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXTS[url]}


def canonical_hash(document):
    nquads = jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": offline_loader,
        },
    )
    return hashlib.sha256(nquads.encode()).digest()


def sign_data_integrity(credential, key=KEY, kid=KID):
    """eddsa-rdfc-2022: the proof configuration's hash, then the document's, signed."""
    config = {
        "@context": credential["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": timestamp(NOW),
        "verificationMethod": kid,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(canonical_hash(config) + canonical_hash(credential))
    proof = {k: v for k, v in config.items() if k != "@context"}
    return {**credential, "proof": [{**proof, "proofValue": "z" + base58(signature)}]}


def sign_jwt(credential, key=KEY, kid=KID, typ="vc+jwt"):
    header = {"alg": "EdDSA", "kid": kid, "typ": typ, "cty": "vc"}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
        for part in (header, credential)
    )
    return signing_input + "." + b64url(key.sign(signing_input.encode()))


def controller_document():
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1",
        ],
        "id": ISSUER,
        "type": ["Profile"],
        "name": "Acme mentoring",
        "verificationMethod": [
            {
                "id": KID,
                "type": "Multikey",
                "controller": ISSUER,
                "publicKeyMultibase": public_multikey(KEY),
            }
        ],
        "assertionMethod": [KID],
    }


def encoded_list(revoked_indexes, size=131_072):
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def status_list_credential(revoked_indexes, url=STATUS_LIST):
    return sign_data_integrity(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": ISSUER,
            "validFrom": timestamp(NOW - timedelta(days=1)),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": encoded_list(revoked_indexes),
            },
        }
    )


def forged_status_list(revoked_indexes):
    """A list whose bits were changed after it was signed."""
    signed = status_list_credential(set(), url=FORGED_STATUS_LIST)
    subject = {**signed["credentialSubject"], "encodedList": encoded_list(revoked_indexes)}
    return {**signed, "credentialSubject": subject}


def badge(
    index,
    *,
    name="Mentor 100 h",
    status_list=STATUS_LIST,
    valid_from=NOW - timedelta(days=1),
    valid_until=NOW + timedelta(days=365 * 5),
):
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        ],
        "id": f"https://laurier.example/credentials/{uuid.UUID(int=index)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Acme mentoring"},
        "validFrom": timestamp(valid_from),
        "validUntil": timestamp(valid_until),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": "sha256$" + hashlib.sha256(b"jeanne@acme.example").hexdigest(),
                }
            ],
            "achievement": {
                "id": "https://laurier.example/o/acme/badges/mentor-100h",
                "type": ["Achievement"],
                "achievementType": "Badge",
                "name": name,
                "description": "Mentored 100 hours / A mentoré 100 heures",
                "criteria": {"narrative": "100 hours of mentoring recorded in Laurier."},
            },
        },
        "credentialStatus": {
            "id": f"{status_list}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list,
        },
        "credentialSchema": [
            {
                "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
                "ob_v3p0_achievementcredential_schema.json",
                "type": "1EdTechJsonSchemaValidator2019",
            }
        ],
    }


def change_one_character(text, old, new):
    assert text.count(old) >= 1
    return text.replace(old, new, 1)


def tampered_jwt(token):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = change_one_character(claims["name"], "h", "H")
    forged = b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{header}.{forged}.{signature}"


@pytest.fixture(scope="module")
def verdicts(independent_verifier):
    """All the cases in one Node process (each start costs about a quarter of a second)."""
    valid = sign_data_integrity(badge(3))
    revoked = sign_data_integrity(badge(REVOKED_INDEX))
    tampered = {**valid, "name": change_one_character(valid["name"], "h", "H")}
    expired = badge(4, valid_from=NOW - timedelta(days=800), valid_until=NOW - timedelta(days=30))
    other_key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"another issuer").digest())
    items = {
        "valid di": {"credential": valid},
        "tampered di": {"credential": tampered},
        "revoked di": {"credential": revoked},
        "di with unknown status list": {
            "credential": sign_data_integrity(badge(5, status_list=UNKNOWN_STATUS_LIST))
        },
        "expired di": {"credential": sign_data_integrity(expired)},
        "valid jwt": {"jwt": sign_jwt(valid)},
        "tampered jwt": {"jwt": tampered_jwt(sign_jwt(valid))},
        "revoked jwt": {"jwt": sign_jwt(revoked)},
        "expired jwt": {"jwt": sign_jwt(expired)},
        "not yet valid jwt": {"jwt": sign_jwt(badge(6, valid_from=NOW + timedelta(days=2)))},
        "jwt with another typ": {"jwt": sign_jwt(valid, typ="JWT")},
        "jwt with unknown kid": {
            "jwt": sign_jwt(valid, key=other_key, kid="https://elsewhere.example/issuer#key-1")
        },
        "jwt with unknown status list": {
            "jwt": sign_jwt(badge(5, status_list=UNKNOWN_STATUS_LIST))
        },
        "not a jwt": {"jwt": "not.a.jwt"},
        "di on a forged status list": {
            "credential": sign_data_integrity(badge(9, status_list=FORGED_STATUS_LIST))
        },
        "jwt on a forged status list": {"jwt": sign_jwt(badge(9, status_list=FORGED_STATUS_LIST))},
    }
    documents = [
        controller_document(),
        status_list_credential({REVOKED_INDEX, 100_000}),
        forged_status_list({9}),
    ]
    answers = independent_verifier(
        [{"name": name, **item} for name, item in items.items()], documents
    )
    return {answer["name"]: answer for answer in answers}


def test_a_correctly_signed_credential_verifies_and_is_not_revoked(verdicts):
    assert verdicts["valid di"] == {
        "name": "valid di",
        "format": "di",
        "verified": True,
        "revoked": False,
        "errors": [],
    }


def test_one_changed_character_in_the_name_fails_the_proof(verdicts):
    verdict = verdicts["tampered di"]
    assert verdict["verified"] is False
    assert "Invalid signature." in verdict["errors"]


def test_a_credential_whose_bit_is_set_in_its_status_list_is_revoked(verdicts):
    # The library keeps the two apart: the proof holds, the list says revoked.
    assert verdicts["revoked di"]["verified"] is True
    assert verdicts["revoked di"]["revoked"] is True


def test_an_unknown_status_list_url_is_an_error_for_that_credential_only(verdicts):
    verdict = verdicts["di with unknown status list"]
    assert verdict["verified"] is False
    assert verdict["revoked"] is None
    assert any(f"unknown document {UNKNOWN_STATUS_LIST}" in error for error in verdict["errors"])
    assert verdicts["valid di"]["verified"] is True


def test_a_credential_past_its_valid_until_fails(verdicts):
    verdict = verdicts["expired di"]
    assert verdict["verified"] is False
    assert any('after "validUntil"' in error for error in verdict["errors"])


def test_a_correctly_signed_jwt_verifies_and_is_not_revoked(verdicts):
    assert verdicts["valid jwt"] == {
        "name": "valid jwt",
        "format": "jwt",
        "verified": True,
        "revoked": False,
        "errors": [],
    }


def test_one_changed_character_in_a_jwt_fails_its_signature(verdicts):
    verdict = verdicts["tampered jwt"]
    assert verdict["verified"] is False
    assert verdict["errors"] == ["signature verification failed"]


def test_a_jwt_reports_revoked_from_the_status_list_its_payload_names(verdicts):
    assert verdicts["revoked jwt"]["verified"] is True
    assert verdicts["revoked jwt"]["revoked"] is True


def test_a_jwt_outside_its_validity_period_fails(verdicts):
    assert any('after "validUntil"' in e for e in verdicts["expired jwt"]["errors"])
    assert any('before "validFrom"' in e for e in verdicts["not yet valid jwt"]["errors"])
    assert verdicts["expired jwt"]["verified"] is False
    assert verdicts["not yet valid jwt"]["verified"] is False


def test_a_jwt_must_be_typed_vc_jwt(verdicts):
    verdict = verdicts["jwt with another typ"]
    assert verdict["verified"] is False
    assert verdict["errors"] == ['JWT "typ" must be "vc+jwt", not "JWT"']


def test_a_jwt_signed_by_a_key_no_given_document_lists_is_an_error(verdicts):
    verdict = verdicts["jwt with unknown kid"]
    assert verdict["verified"] is False
    assert any(
        "unknown document https://elsewhere.example/issuer#key-1" in e for e in verdict["errors"]
    )


def test_a_jwt_naming_an_unknown_status_list_is_an_error(verdicts):
    verdict = verdicts["jwt with unknown status list"]
    assert verdict["verified"] is False
    assert verdict["revoked"] is None
    assert any(f"unknown document {UNKNOWN_STATUS_LIST}" in e for e in verdict["errors"])


def test_a_malformed_jwt_is_an_error_not_a_crash(verdicts):
    assert verdicts["not a jwt"]["verified"] is False
    assert verdicts["not a jwt"]["errors"]


def test_a_status_list_changed_after_signing_is_refused(verdicts):
    for name in ("di on a forged status list", "jwt on a forged status list"):
        verdict = verdicts[name]
        assert verdict["verified"] is False, name
        assert verdict["revoked"] is None, name
        assert any(
            '"BitstringStatusListCredential" not verified' in e and "Invalid signature." in e
            for e in verdict["errors"]
        ), verdict


def test_now_replaces_the_clock_for_the_validity_period(independent_verifier):
    credential = sign_data_integrity(badge(8))
    later = timestamp(NOW + timedelta(days=365 * 6))
    [verdict] = independent_verifier(
        [{"name": "in six years", "jwt": sign_jwt(credential)}],
        [controller_document(), status_list_credential(set())],
        now=later,
    )
    assert verdict["verified"] is False
    assert any('after "validUntil"' in e for e in verdict["errors"])
