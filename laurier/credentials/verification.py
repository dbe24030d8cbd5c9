"""Verifying a credential someone shows us: pasted, uploaded, or followed from its address.

Laurier verifies what it issued: the issuer must be one of its organisations, whose published
keys and status lists it reads from its own database, exactly as an outside verifier reads them
from the addresses the credential names. The result says what was checked, one line per check.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .documents import schema_errors
from .erasure import matches_kept_copy
from .keys import public_key_from_multikey
from .models import Credential, Issuer, SigningKey, StatusList
from .proofs import ProofError, data_integrity_proof, jwt_parts, verify_data_integrity_proof
from .proofs import verify_jwt as check_jwt
from .status_lists import bit_is_set

# Longer than any credential Laurier issues, short enough that nobody makes the page work hard.
MAX_INPUT_LENGTH = 200_000
# The names Laurier gives its keys ("key-2026-1"): anything else was never published, and is not
# looked up (PostgreSQL refuses a NUL in a query).
_KEY_NAME = re.compile(r"[A-Za-z0-9._-]{1,40}")


class Outcome:
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    TAMPERED = "tampered"
    UNKNOWN_ISSUER = "unknown_issuer"
    MALFORMED = "malformed"


OUTCOME_TITLES = {
    Outcome.VALID: _("Valid"),
    Outcome.REVOKED: _("Revoked"),
    Outcome.EXPIRED: _("Expired"),
    Outcome.NOT_YET_VALID: _("Not valid yet"),
    Outcome.TAMPERED: _("Altered or forged"),
    Outcome.UNKNOWN_ISSUER: _("Issuer unknown here"),
    Outcome.MALFORMED: _("Not a credential"),
}


@dataclass
class Check:
    label: str
    passed: bool
    detail: str = ""


@dataclass
class Verification:
    outcome: str
    checks: list = field(default_factory=list)
    document: dict | None = None
    credential: Credential | None = None
    issuer: Issuer | None = None
    proof_format: str = ""

    @property
    def title(self):
        return OUTCOME_TITLES[self.outcome]

    @property
    def is_valid(self):
        return self.outcome == Outcome.VALID

    def check(self, label, passed, detail=""):
        self.checks.append(Check(label, passed, detail))
        return passed


def verify_text(text: str, now=None) -> Verification:
    """Verify a credential given as JSON (with its embedded proof) or as a compact JWS."""
    text = (text or "").strip()
    if len(text) > MAX_INPUT_LENGTH:
        result = Verification(Outcome.MALFORMED)
        result.check(_("Readable"), False, _("This is far longer than any credential."))
        return result
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # nested deeper than Python's stack
            document = None
        if not isinstance(document, dict):
            result = Verification(Outcome.MALFORMED)
            result.check(_("Readable"), False, _("This is not valid JSON."))
            return result
        return verify_document(document, now=now)
    # A compact JWS holds no whitespace: what an e-mail's line wrapping put in is taken out,
    # instead of failing the signature as if the token had been altered.
    return verify_jwt("".join(text.split()), now=now)


def verify_document(document: dict, now=None) -> Verification:
    result = Verification(Outcome.VALID, document=document, proof_format="eddsa-rdfc-2022")
    if not _shape(result, document):
        return result
    key = _issuer_key(result, document, _proof_method(document))
    if key is None:
        return result
    return _signed_by(
        result,
        key,
        lambda public_key: verify_data_integrity_proof(document, public_key),
        _("Intact: signed with the key %(key)s (Data Integrity, eddsa-rdfc-2022)."),
        now,
    )


def verify_jwt(token: str, now=None) -> Verification:
    result = Verification(Outcome.VALID, proof_format="vc+jwt")
    try:
        header, document = jwt_parts(token)
    except ProofError:
        result.outcome = Outcome.MALFORMED
        result.check(
            _("Readable"), False, _("This is neither a JSON credential nor a signed token (JWT).")
        )
        return result
    result.document = document
    if not _shape(result, document):
        return result
    key = _issuer_key(result, document, str(header.get("kid", "")))
    if key is None:
        return result
    return _signed_by(
        result,
        key,
        lambda public_key: check_jwt(token, public_key),
        _("Intact: signed with the key %(key)s (JWT, EdDSA)."),
        now,
    )


def _signed_by(result, key, check_signature, intact, now) -> Verification:
    """Check the signature with `key`, then that Laurier issued exactly this content, then the
    dates and the revocation."""
    try:
        check_signature(public_key_from_multikey(key.public_multikey))
    except ProofError:
        result.outcome = Outcome.TAMPERED
        result.check(
            _("Signature"), False, _("The content was changed after it was signed, or forged.")
        )
        return result
    result.check(_("Signature"), True, intact % {"key": key.name})
    result.credential = _record(result.issuer, result.document.get("id", ""))
    # A valid signature on content Laurier never issued means a key was stolen: the copy
    # Laurier keeps of everything it signed is the last word.
    if result.credential is None or not matches_kept_copy(
        result.credential.document, result.document
    ):
        result.outcome = Outcome.TAMPERED
        result.check(
            _("Issued by Laurier"),
            False,
            _("%(issuer)s never issued this content.") % {"issuer": result.issuer.organisation},
        )
        return result
    result.check(
        _("Issued by Laurier"),
        True,
        _("Identical to the copy kept by %(issuer)s.") % {"issuer": result.issuer.organisation},
    )
    _dates_and_status(result, result.document, now)
    return result


def _shape(result, document) -> bool:
    errors = schema_errors(document)
    if errors:
        result.outcome = Outcome.MALFORMED
        result.check(
            _("Open Badges 3.0 format"),
            False,
            _("It does not match the official schema: %(error)s") % {"error": errors[0]},
        )
        return False
    result.check(_("Open Badges 3.0 format"), True, _("Matches the official schema."))
    return True


def _proof_method(document) -> str:
    try:
        return str(data_integrity_proof(document).get("verificationMethod", ""))
    except ProofError:
        return ""


def _local_path(url: str):
    """The path of `url` when it is an address of this Laurier, else None."""
    try:
        parts = urlsplit(url or "")
    except ValueError:  # "http://[oops": not an address at all
        return None
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    return parts.path


def _resolve(url, name):
    path = _local_path(url)
    if path is None:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs if match.view_name == f"credentials:{name}" else None


def _issuer_key(result, document, method) -> SigningKey | None:
    issuer_id = document["issuer"]["id"] if isinstance(document["issuer"], dict) else ""
    found = _resolve(issuer_id, "issuer")
    issuer = (
        Issuer.objects.select_related("organisation").filter(public_id=found["public_id"]).first()
        if found
        else None
    )
    if issuer is None:
        result.outcome = Outcome.UNKNOWN_ISSUER
        result.check(
            _("Issuer"),
            False,
            _(
                "Issued by %(issuer)s, which is not an organisation of this Laurier: "
                "ask the issuer to verify it."
            )
            % {"issuer": issuer_id or _("nobody named")},
        )
        return None
    result.issuer = issuer
    result.check(_("Issuer"), True, str(issuer.organisation))
    base, _hash, name = method.partition("#")
    ours = base == issuer.url and _KEY_NAME.fullmatch(name)
    key = issuer.keys.filter(name=name).first() if ours else None
    if key is None:
        result.outcome = Outcome.TAMPERED
        result.check(
            _("Signature"),
            False,
            _("It names a key that %(issuer)s never published.") % {"issuer": issuer.organisation},
        )
        return None
    key.issuer = issuer
    return key


def _dates_and_status(result, document, now):
    now = now or timezone.now()
    valid_from = parse_datetime(document.get("validFrom", ""))
    valid_until = parse_datetime(document.get("validUntil", "") or "")
    if valid_from and valid_from > now:
        result.outcome = Outcome.NOT_YET_VALID
        result.check(
            _("Validity"), False, _("Valid from %(day)s only.") % {"day": _day(valid_from)}
        )
    elif valid_until and valid_until < now:
        result.outcome = Outcome.EXPIRED
        result.check(_("Validity"), False, _("Expired on %(day)s.") % {"day": _day(valid_until)})
    elif valid_until:
        result.check(
            _("Validity"),
            True,
            _("Valid from %(start)s until %(end)s.")
            % {"start": _day(valid_from), "end": _day(valid_until)},
        )
    else:
        result.check(
            _("Validity"),
            True,
            _("Valid since %(start)s, with no end.") % {"start": _day(valid_from)},
        )
    _status(result, document)


def _day(moment: datetime.datetime) -> str:
    from django.utils import formats

    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def _record(issuer, credential_id):
    found = _resolve(credential_id, "credential")
    if not found:
        return None
    return (
        Credential.objects.select_related("person", "badge_class", "status_list")
        .filter(organisation_id=issuer.organisation_id, public_id=found["public_id"])
        .first()
    )


def _status(result, document):
    entry = document.get("credentialStatus") or {}
    found = _resolve(entry.get("statusListCredential", ""), "status_list")
    status_list = (
        StatusList.objects.filter(
            issuer=result.issuer,
            issuer__public_id=found["public_id"],
            number=found["number"],
        ).first()
        if found
        else None
    )
    try:
        index = int(entry.get("statusListIndex", ""))
        subject = status_list.document["credentialSubject"]
        # The entry must point at a revocation list: a bit of another purpose says nothing.
        if entry.get("type") != "BitstringStatusListEntry" or not (
            entry.get("statusPurpose") == subject["statusPurpose"] == "revocation"
        ):
            raise ValueError("not a revocation entry")
        revoked = bit_is_set(subject["encodedList"], index)
    except (AttributeError, KeyError, TypeError, ValueError):
        result.outcome = Outcome.TAMPERED
        result.check(_("Revocation"), False, _("Its revocation list cannot be found."))
        return
    if not revoked:
        result.check(_("Revocation"), True, _("Not revoked."))
        return
    result.outcome = Outcome.REVOKED
    credential = result.credential
    if credential is not None and credential.revoked_at:
        detail = _("Revoked on %(day)s. Reason: %(reason)s") % {
            "day": _day(credential.revoked_at),
            "reason": credential.revocation_reason,
        }
    else:
        detail = _("Revoked by its issuer.")
    result.check(_("Revocation"), False, detail)
