"""The OpenBadgeCredential JSON: what Laurier says, before it is signed.

Every text that came from a person goes through `clean_text` (see documents.py). The recipient is
named, and identified by a salted hash of their e-mail address, as Open Badges recommends: a
verifier who knows the address can check it. The salt travels with the credential, so anyone who
guesses the address can confirm it too; the address itself is never written.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from .documents import (
    CREDENTIALS_V2,
    DID_V1,
    MULTIKEY_V1,
    OB_CONTEXT,
    OB_EXTENSIONS,
    OB_SCHEMA_URL,
    clean_text,
)

CREDENTIAL_CONTEXT = [CREDENTIALS_V2, OB_CONTEXT, OB_EXTENSIONS]
STATUS_LIST_CONTEXT = [CREDENTIALS_V2]


@dataclass(frozen=True)
class Achievement:
    id: str
    achievement_type: str  # an OB 3.0 AchievementType: Badge, Award, Certificate…
    name: str
    description: str
    criteria: str
    language: str
    image_url: str = ""

    def as_json(self):
        achievement = {
            "id": self.id,
            "type": ["Achievement"],
            "achievementType": self.achievement_type,
            "name": clean_text(self.name),
            "description": clean_text(self.description),
            "criteria": {"narrative": clean_text(self.criteria)},
            "inLanguage": language_tag(self.language),
        }
        if self.image_url:
            achievement["image"] = {"id": self.image_url, "type": "Image"}
        return achievement


def language_tag(language: str) -> str:
    """Django's 'fr-ca' as the BCP 47 tag 'fr-CA' that the schema wants."""
    base, _dash, region = language.partition("-")
    return f"{base}-{region.upper()}" if region else base


def utc(moment) -> str:
    """'2026-11-25T01:00:00Z': UTC to the second, as verifiers and the schema expect."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_profile(issuer) -> dict:
    profile = {
        "id": issuer.url,
        "type": ["Profile"],
        "name": clean_text(issuer.organisation.name),
    }
    if issuer.website:
        profile["url"] = issuer.website
    if issuer.email:
        profile["email"] = issuer.email
    return profile


def email_identity(email: str, salt: str) -> dict:
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def name_identity(name: str) -> dict:
    return {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": clean_text(name),
    }


def new_salt() -> str:
    return secrets.token_hex(8)


def credential_document(
    *,
    url,
    issuer,
    achievement: Achievement,
    recipient_name,
    recipient_email,
    salt,
    valid_from,
    valid_until,
    status_list_url,
    status_index,
) -> dict:
    """The unsigned OpenBadgeCredential."""
    identifiers = [name_identity(recipient_name)]
    if recipient_email:
        identifiers.append(email_identity(recipient_email, salt))
    document = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": clean_text(achievement.name),
        "issuer": issuer_profile(issuer),
        "validFrom": utc(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement.as_json(),
        },
        "credentialStatus": {
            "id": f"{status_list_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_url,
        },
        "credentialSchema": [{"id": OB_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if valid_until:
        document["validUntil"] = utc(valid_until)
    return document


def status_list_document(*, url, issuer_url, valid_from, encoded_list) -> dict:
    return {
        "@context": list(STATUS_LIST_CONTEXT),
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_url,
        "validFrom": utc(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def issuer_document(issuer, keys) -> dict:
    """The issuer's profile, which is also the controller document of every key it ever signed
    with: a verifier reads here that a credential's key belongs to its issuer."""
    methods = [
        {
            "id": key.verification_method,
            "type": "Multikey",
            "controller": issuer.url,
            "publicKeyMultibase": key.public_multikey,
        }
        for key in keys
    ]
    return {
        "@context": [CREDENTIALS_V2, OB_CONTEXT, DID_V1, MULTIKEY_V1],
        **issuer_profile(issuer),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
