"""Verifying a credential someone shows us: what Laurier issued holds; anything changed, revoked,
out of its dates, issued elsewhere or unreadable says so, and no input makes verification fail."""

import base64
import copy
import datetime
import json

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laurier.credentials import verification
from laurier.credentials.keys import new_private_key
from laurier.credentials.proofs import sign_jwt
from laurier.credentials.services import awarding
from laurier.credentials.services.issuance import issuer_for, signer_for
from laurier.credentials.verification import Outcome, verify_document, verify_text
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def award(organisation, **badge_fields):
    person = factories.PersonFactory(organisation=organisation)
    credential, _created = awarding.award_badge(
        factories.BadgeClassFactory(organisation=organisation, **badge_fields), person, actor=None
    )
    return credential


@pytest.fixture
def credential(organisation):
    return award(organisation)


def b64u_json(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def jwt_with(token, *, header=None, payload=None):
    """`token` with its header or payload replaced, and its signature kept."""
    old_header, old_payload, signature = token.split(".")
    return ".".join(
        [
            b64u_json(header) if header is not None else old_header,
            b64u_json(payload) if payload is not None else old_payload,
            signature,
        ]
    )


def jwt_header(token):
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def one_character_changed(text, digit=False):
    """`text` with one character changed: its last, or its last digit."""
    if digit and any(c.isdigit() for c in text):
        at = max(i for i, c in enumerate(text) if c.isdigit())
        return text[:at] + ("1" if text[at] == "0" else "0") + text[at + 1 :]
    return text[:-1] + ("x" if text[-1] != "x" else "y")


def string_leaves(value, path=()):
    """The path of every string in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from string_leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path


def with_leaf_changed(document, path, digit=False):
    document = copy.deepcopy(document)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = one_character_changed(parent[path[-1]], digit)
    return document


# Valid


def test_a_credential_as_issued_is_valid_as_json_and_as_jwt(credential):
    as_json = verify_text(json.dumps(credential.document))
    as_jwt = verify_text(credential.jwt)

    assert (as_json.outcome, as_json.proof_format) == (Outcome.VALID, "eddsa-rdfc-2022")
    assert (as_jwt.outcome, as_jwt.proof_format) == (Outcome.VALID, "vc+jwt")
    assert as_json.credential == credential == as_jwt.credential
    assert all(check.passed for check in as_json.checks + as_jwt.checks)


def test_the_result_names_the_issuer_and_says_what_was_checked(credential, organisation):
    with translation.override("en"):
        result = verify_text(credential.jwt)
        labels = [str(check.label) for check in result.checks]

    assert result.issuer.organisation == organisation
    assert labels == [
        "Open Badges 3.0 format",
        "Issuer",
        "Signature",
        "Issued by Laurier",
        "Validity",
        "Revocation",
    ]


def test_a_property_no_context_defines_cannot_be_slipped_into_a_signed_credential(credential):
    # JSON-LD drops terms its contexts do not define, so the signature alone does not see them.
    document = copy.deepcopy(credential.document)
    document["credentialSubject"]["grade"] = "A+ with distinction"

    assert verify_document(document).outcome == Outcome.TAMPERED


def test_content_signed_with_a_stolen_key_but_never_issued_is_refused(credential, organisation):
    from laurier.credentials.keys import decrypt_private_key
    from laurier.credentials.proofs import add_data_integrity_proof

    stolen = decrypt_private_key(credential.signing_key.encrypted_seed)
    document = {k: v for k, v in credential.document.items() if k != "proof"}
    document["name"] = "Mentor of the century"
    proof = credential.document["proof"][0]
    forged = add_data_integrity_proof(
        document, stolen, proof["verificationMethod"], proof["created"]
    )

    result = verify_document(forged)

    assert result.outcome == Outcome.TAMPERED
    assert [check.passed for check in result.checks][-1] is False


def test_surrounding_whitespace_of_a_paste_is_ignored(credential):
    assert verify_text(f"\n  {credential.jwt}\n\n").outcome == Outcome.VALID


def test_a_jwt_wrapped_over_lines_by_an_email_is_still_valid(credential):
    token = credential.jwt
    wrapped = "\r\n".join(token[i : i + 76] for i in range(0, len(token), 76))

    assert verify_text(wrapped).outcome == Outcome.VALID


def test_a_jwt_with_alg_none_is_not_valid(credential):
    header = {**jwt_header(credential.jwt), "alg": "none"}
    unsigned = jwt_with(credential.jwt, header=header).rsplit(".", 1)[0] + "."

    assert verify_text(unsigned).outcome == Outcome.TAMPERED


# Tampered


def test_one_changed_character_in_any_field_of_the_json_is_never_valid(credential):
    paths = list(string_leaves(credential.document))
    assert len(paths) > 30

    outcomes = {
        path: verify_document(with_leaf_changed(credential.document, path)).outcome
        for path in paths
    }

    assert [path for path, outcome in outcomes.items() if outcome == Outcome.VALID] == []


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("credentialSubject", "achievement", "description"),
        ("credentialSubject", "achievement", "criteria", "narrative"),
        ("credentialStatus", "statusListIndex"),
        ("proof", 0, "created"),
        ("proof", 0, "proofValue"),
    ],
)
def test_a_changed_character_in_signed_content_is_tampering(credential, path):
    # A character that keeps the value well-formed: a date stays a date, a number a number.
    document = with_leaf_changed(credential.document, path, digit=path[-1] != "proofValue")

    assert verify_document(document).outcome == Outcome.TAMPERED


def test_one_changed_character_anywhere_in_the_jwt_is_never_valid(credential):
    token = credential.jwt
    positions = range(0, len(token), 7)

    outcomes = {
        position: verify_text(
            token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        ).outcome
        for position in positions
        if token[position] != "."
    }

    assert [position for position, outcome in outcomes.items() if outcome == Outcome.VALID] == []


def test_a_changed_payload_with_the_original_jwt_signature_is_tampering(credential):
    payload = copy.deepcopy(credential.document)
    payload["credentialSubject"]["achievement"]["name"] = "Mentor 1000 heures"

    assert verify_text(jwt_with(credential.jwt, payload=payload)).outcome == Outcome.TAMPERED


def test_the_proof_value_of_another_credential_is_tampering(credential, organisation):
    other = award(organisation)
    document = copy.deepcopy(credential.document)
    document["proof"][0]["proofValue"] = other.document["proof"][0]["proofValue"]

    assert verify_document(document).outcome == Outcome.TAMPERED


def test_a_jwt_signed_by_another_key_is_tampering(credential):
    kid = jwt_header(credential.jwt)["kid"]

    forged = sign_jwt(credential.document, new_private_key(), kid)

    assert verify_text(forged).outcome == Outcome.TAMPERED


def test_a_jwt_naming_a_key_the_issuer_never_published_is_tampering(credential):
    kid = jwt_header(credential.jwt)["kid"].replace("#key-", "#key-9")
    forged = sign_jwt(credential.document, new_private_key(), kid)

    with translation.override("en"):
        result = verify_text(forged)
        detail = str(result.checks[-1].detail)

    assert result.outcome == Outcome.TAMPERED
    assert "never published" in detail


def test_a_json_proof_naming_an_unpublished_key_is_tampering(credential):
    document = copy.deepcopy(credential.document)
    document["proof"][0]["verificationMethod"] += "0"

    assert verify_document(document).outcome == Outcome.TAMPERED


def test_a_credential_claiming_another_of_our_organisations_as_issuer_is_tampering(
    credential, other_organisation
):
    other = issuer_for(other_organisation)
    award(other_organisation)  # the other organisation has a published key too
    document = copy.deepcopy(credential.document)
    document["issuer"]["id"] = other.url

    assert verify_document(document).outcome == Outcome.TAMPERED


def test_a_credential_moved_wholesale_to_another_organisations_key_is_tampering(
    credential, other_organisation
):
    other_key = award(other_organisation).signing_key
    document = copy.deepcopy(credential.document)
    document["issuer"]["id"] = other_key.issuer.url
    document["proof"][0]["verificationMethod"] = other_key.verification_method
    header = {**jwt_header(credential.jwt), "kid": other_key.verification_method}

    assert verify_document(document).outcome == Outcome.TAMPERED
    assert verify_text(jwt_with(credential.jwt, header=header, payload=document)).outcome == (
        Outcome.TAMPERED
    )


def test_an_issuer_signing_for_another_of_our_organisations_is_tampering(
    organisation, other_organisation
):
    """A credential signed with a real key of organisation B that names organisation A as its
    issuer: B's key is not A's."""
    genuine = award(organisation)
    award(other_organisation)
    with_b = signer_for(issuer_for(other_organisation))
    unsigned = {k: v for k, v in genuine.document.items() if k != "proof"}
    document, token = with_b.sign(unsigned, genuine.document["validFrom"])

    assert verify_document(document).outcome == Outcome.TAMPERED
    assert verify_text(token).outcome == Outcome.TAMPERED


# Revoked


def test_revoking_turns_a_valid_credential_into_a_revoked_one_with_its_reason(credential):
    assert verify_text(credential.jwt).outcome == Outcome.VALID

    awarding.revoke(credential, reason="Awarded to the wrong Jeanne", actor=None)

    for text in (credential.jwt, json.dumps(credential.document)):
        with translation.override("en"):
            result = verify_text(text)
            revocation = result.checks[-1]
            detail = str(revocation.detail)
        assert result.outcome == Outcome.REVOKED
        assert not revocation.passed
        assert "Awarded to the wrong Jeanne" in detail


def test_revoking_one_credential_leaves_the_others_valid(credential, organisation):
    other = award(organisation)

    awarding.revoke(credential, reason="Mistake", actor=None)

    assert verify_text(other.jwt).outcome == Outcome.VALID


# Dates


def test_a_credential_past_its_end_is_expired(organisation):
    credential = award(organisation, valid_years=2)
    later = credential.valid_until + datetime.timedelta(seconds=1)

    assert verify_text(credential.jwt, now=credential.valid_until).outcome == Outcome.VALID
    assert verify_text(credential.jwt, now=later).outcome == Outcome.EXPIRED
    assert verify_document(credential.document, now=later).outcome == Outcome.EXPIRED


def test_the_record_says_the_dates_the_credential_was_signed_with(organisation):
    credential = award(organisation, valid_years=2)
    document = credential.document

    assert credential.issued_at == datetime.datetime.fromisoformat(document["validFrom"])
    assert credential.valid_until == datetime.datetime.fromisoformat(document["validUntil"])


def test_a_credential_before_its_start_is_not_yet_valid(credential):
    earlier = credential.issued_at - datetime.timedelta(seconds=1)

    assert verify_text(credential.jwt, now=earlier).outcome == Outcome.NOT_YET_VALID
    assert verify_text(credential.jwt, now=credential.issued_at).outcome == Outcome.VALID


def test_a_badge_without_an_end_never_expires(credential):
    in_fifty_years = credential.issued_at + datetime.timedelta(days=50 * 366)

    assert verify_text(credential.jwt, now=in_fifty_years).outcome == Outcome.VALID


def test_revoked_outweighs_expired(organisation):
    credential = award(organisation, valid_years=1)
    awarding.revoke(credential, reason="Mistake", actor=None)
    later = credential.valid_until + datetime.timedelta(days=1)

    assert verify_text(credential.jwt, now=later).outcome == Outcome.REVOKED


# Unknown issuer


def test_a_credential_of_an_outside_issuer_is_unknown_here(credential):
    document = copy.deepcopy(credential.document)
    document["issuer"]["id"] = "https://badges.example.com/issuers/42"
    document["proof"][0]["verificationMethod"] = "https://badges.example.com/issuers/42#key-1"

    with translation.override("en"):
        result = verify_document(document)
        detail = str(result.checks[-1].detail)

    assert result.outcome == Outcome.UNKNOWN_ISSUER
    assert "https://badges.example.com/issuers/42" in detail


@pytest.mark.parametrize(
    "issuer_id",
    [
        "http://[not-an-address/x",
        "http://127.0.0.1:8000/i/not-a-uuid/",
        "http://127.0.0.1:8000/verify/",
        "http://127.0.0.1:8000/i/6b1b1b2e-2f6a-4a4e-9d8e-0d5b0b5a0c11/",
        "urn:uuid:6b1b1b2e-2f6a-4a4e-9d8e-0d5b0b5a0c11",
    ],
)
def test_an_issuer_address_that_is_not_one_of_ours_is_unknown_here(credential, settings, issuer_id):
    settings.SITE_URL = "http://127.0.0.1:8000"
    document = copy.deepcopy(credential.document)
    document["issuer"]["id"] = issuer_id

    assert verify_document(document).outcome == Outcome.UNKNOWN_ISSUER


# Malformed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "{not json",
        "{}",
        '{"@context": "x"}',
        "[1, 2, 3]",
        '["eyJ", "abc"]',
        "null",
        "eyJhbGciOiJFZERTQSJ9.garbage.garbage",
        "a.b.c",
        "a.b.c.d",
        "..",
        "eyJ9.eyJ9.",
        # A header that is JSON but not an object.
        "WzFd.e30.c2ln",
    ],
)
def test_what_is_not_a_credential_is_malformed(text):
    assert verify_text(text).outcome == Outcome.MALFORMED


def test_a_credential_missing_a_required_field_is_malformed(credential):
    for field in ("credentialSubject", "issuer", "validFrom", "type", "@context"):
        document = {k: v for k, v in credential.document.items() if k != field}
        assert verify_text(json.dumps(document)).outcome == Outcome.MALFORMED, field


def test_a_jwt_whose_payload_is_not_a_credential_is_malformed(credential):
    token = jwt_with(credential.jwt, payload={"sub": "someone"})

    assert verify_text(token).outcome == Outcome.MALFORMED


def test_a_300_kb_text_is_refused_unread():
    result = verify_text("{" + "x" * 300_000 + "}")

    assert result.outcome == Outcome.MALFORMED
    assert result.document is None


@pytest.mark.parametrize("depth", [900, 5_000, 60_000])
def test_deeply_nested_json_is_malformed_not_an_error(depth):
    nested = "[" * depth + "]" * depth

    assert verify_text('{"a": ' + nested + "}").outcome == Outcome.MALFORMED
    payload = base64.urlsafe_b64encode(nested.encode()).rstrip(b"=").decode()
    assert verify_text(f"eyJhbGciOiJFZERTQSJ9.{payload}.c2ln").outcome == Outcome.MALFORMED


def test_a_document_whose_contexts_cannot_be_loaded_offline_is_not_valid(credential):
    document = copy.deepcopy(credential.document)
    document["@context"].append("https://example.com/context.json")

    assert verify_document(document).outcome in (Outcome.TAMPERED, Outcome.MALFORMED)


def test_a_nul_character_in_the_key_name_is_tampering_not_an_error(credential):
    document = copy.deepcopy(credential.document)
    document["proof"][0]["verificationMethod"] += "\x00"
    header = {**jwt_header(credential.jwt), "kid": document["proof"][0]["verificationMethod"]}

    assert verify_document(document).outcome == Outcome.TAMPERED
    assert verify_text(jwt_with(credential.jwt, header=header)).outcome == Outcome.TAMPERED


# No input makes verification fail


def jwt_like():
    part = st.one_of(
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(st.text(max_size=8), children, max_size=3)
            ),
            max_leaves=8,
        ).map(b64u_json),
    )
    return st.tuples(part, part, part).map(".".join)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(),
        st.text().map(lambda text: "{" + text),
        jwt_like(),
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.text(),
            lambda children: st.lists(children) | st.dictionaries(st.text(), children),
        ).map(json.dumps),
    )
)
def test_verify_text_never_raises(text):
    result = verify_text(text)

    assert result.outcome in verification.OUTCOME_TITLES
    assert result.outcome != Outcome.VALID


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.sampled_from(["name", "validFrom", "issuer", "credentialStatus", "proof", "id"]),
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=10), children, max_size=3)
        ),
        max_leaves=6,
    ),
)
def test_a_credential_with_any_field_replaced_never_raises_and_is_never_valid(
    credential, field, value
):
    document = {**credential.document, field: value}

    assert verify_text(json.dumps(document)).outcome != Outcome.VALID


def test_no_other_text_of_the_jwt_signature_verifies(credential):
    header, payload, signature = credential.jwt.split(".")
    # The last character carries padding bits: a lenient decoder accepts 15 other letters there.
    for index in range(len(signature)):
        for replacement in "AQgw-_":
            if signature[index] == replacement:
                continue
            changed = signature[:index] + replacement + signature[index + 1 :]
            assert verify_text(f"{header}.{payload}.{changed}").outcome != Outcome.VALID


def test_a_token_with_critical_extensions_is_refused(credential):
    from laurier.credentials.encoding import b64u

    _header, payload, signature = credential.jwt.split(".")
    header = json.loads(base64.urlsafe_b64decode(_header + "=="))
    header["crit"] = ["exp"]
    forged_header = b64u(json.dumps(header).encode())

    assert verify_text(f"{forged_header}.{payload}.{signature}").outcome == Outcome.TAMPERED
