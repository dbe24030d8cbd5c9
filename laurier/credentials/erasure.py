"""What erasing a person does to the credentials they hold.

A credential is signed and its holder keeps their copy: that copy must go on verifying as
"valid" (or "revoked" if it is), which needs only the issuer's keys and its status list, both
public and unchanged. Laurier also checks that it issued exactly the content shown, against
the copy it keeps; that kept copy names the holder and holds the salted hash of their e-mail.

So erasure replaces the kept copy by the same document without the holder's identifiers and
without its proof, plus the SHA-256 digest of the signed document as it was, and drops the
signed token: the holder's copy is still recognised (by its digest), while Laurier keeps
nothing that names them. The credential's row stays, for the counts and its status-list bit,
and its public page says what it attests without a name.
"""

import copy
import hashlib
import json

# The key, in a kept copy, that marks it as redacted and holds the signed document's digest.
ERASED_KEY = "laurierErasure"


def document_digest(document) -> str:
    """SHA-256 of a JSON document in one canonical spelling (sorted keys, no spaces)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_redacted(document) -> bool:
    return isinstance(document, dict) and ERASED_KEY in document


def redact(credential):
    """Remove the holder's name and e-mail hash from the copy Laurier keeps (not saved).
    Redacting twice changes nothing."""
    if is_redacted(credential.document):
        return credential
    document = copy.deepcopy(credential.document)
    digest = document_digest(credential.document)
    subject = document.get("credentialSubject")
    if isinstance(subject, dict):
        subject["identifier"] = []
    document.pop("proof", None)
    document[ERASED_KEY] = {"sha256": digest}
    credential.document = document
    credential.jwt = ""
    return credential


def matches_kept_copy(kept, presented) -> bool:
    """Whether a presented (signed) document is exactly the one Laurier issued and kept."""
    if is_redacted(kept):
        return not is_redacted(presented) and document_digest(presented) == kept[ERASED_KEY].get(
            "sha256"
        )
    return kept == presented
