"""The two ways Laurier signs a credential, and checks a signature.

- Data Integrity, cryptosuite eddsa-rdfc-2022: the proof travels inside the credential, which is
  the form Open Badges 3.0 wallets and verifiers read. Canonicalising costs a few milliseconds.
- VC-JOSE (a compact JWS with `typ: vc+jwt`): the whole credential as a signed token, checked in
  a tenth of a millisecond; offered as a download and used where speed matters.
"""

import hashlib
import json
from functools import lru_cache

from cryptography.exceptions import InvalidSignature

from .documents import canonical_nquads
from .encoding import b58decode, b58encode, b64u, b64u_decode

CRYPTOSUITE = "eddsa-rdfc-2022"
JWT_TYPE = "vc+jwt"


class ProofError(Exception):
    """A proof that is missing, malformed or does not match the document."""


@lru_cache(maxsize=256)
def _config_hash(config_json: str) -> bytes:
    # A batch signs with one proof configuration (same key, same time): hash it once.
    return hashlib.sha256(canonical_nquads(json.loads(config_json)).encode()).digest()


def _proof_hash_data(document, proof_options) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {"@context": document["@context"], **proof_options}
    return (
        _config_hash(json.dumps(config, sort_keys=True))
        + hashlib.sha256(canonical_nquads(unsecured).encode()).digest()
    )


def add_data_integrity_proof(document, private_key, verification_method, created) -> dict:
    """`document` with an eddsa-rdfc-2022 proof by `verification_method`, made at `created`
    (an XSD dateTime such as '2026-11-25T01:00:00Z'). The proof is an array, as OB 3.0 wants."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_proof_hash_data(document, options))
    proof = {**options, "proofValue": "z" + b58encode(signature)}
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return {**unsecured, "proof": [proof]}


def data_integrity_proof(document) -> dict:
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or len(proofs) != 1 or not isinstance(proofs[0], dict):
        raise ProofError("expected exactly one proof")
    proof = proofs[0]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("not an eddsa-rdfc-2022 Data Integrity proof")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofError("the proof is not for an assertion")
    return proof


def verify_data_integrity_proof(document, public_key) -> None:
    """Raises ProofError unless `document`'s proof was made by `public_key` over this very
    content."""
    proof = data_integrity_proof(document)
    value = proof.get("proofValue", "")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("the proof value is not base58btc")
    options = {key: val for key, val in proof.items() if key != "proofValue"}
    try:
        signature = b58decode(value[1:])
        public_key.verify(signature, _proof_hash_data(document, options))
    except (InvalidSignature, ValueError) as error:
        raise ProofError("the signature does not match the content") from error
    except Exception as error:  # pyld raises its own errors on a document it cannot expand
        raise ProofError(f"the content cannot be canonicalised: {error}") from error


def _json_bytes(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def sign_jwt(credential, private_key, kid) -> str:
    header = {"alg": "EdDSA", "kid": kid, "typ": JWT_TYPE, "cty": "vc"}
    signing_input = b64u(_json_bytes(header)) + "." + b64u(_json_bytes(credential))
    return signing_input + "." + b64u(private_key.sign(signing_input.encode()))


def jwt_parts(token: str):
    """(header, credential) of a compact JWS, without checking its signature."""
    try:
        header_part, payload_part, _signature = token.strip().split(".")
        header = json.loads(b64u_decode(header_part))
        payload = json.loads(b64u_decode(payload_part))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ProofError("not a compact JWS") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ProofError("not a compact JWS")
    return header, payload


def verify_jwt(token: str, public_key) -> dict:
    """The credential inside `token`, once its EdDSA signature by `public_key` is checked."""
    header, payload = jwt_parts(token)
    if header.get("alg") != "EdDSA" or header.get("typ") != JWT_TYPE:
        raise ProofError("not an EdDSA vc+jwt token")
    if "crit" in header:  # extensions this verifier cannot honour must not be ignored
        raise ProofError("critical header parameters are not supported")
    header_part, payload_part, signature_part = token.strip().split(".")
    try:
        public_key.verify(b64u_decode(signature_part), f"{header_part}.{payload_part}".encode())
    except (InvalidSignature, ValueError) as error:
        raise ProofError("the signature does not match the content") from error
    return payload
