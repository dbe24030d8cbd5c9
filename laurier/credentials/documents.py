"""JSON-LD without the network: the bundled contexts, and RDF canonicalisation (RDFC-1.0).

Every credential Laurier signs or verifies is expanded with the contexts in `ob3/contexts/`,
never with a copy fetched at run time: a verifier must reach the same bytes in ten years.
"""

import json
import re
from functools import cache
from pathlib import Path

from pyld import jsonld

OB3_DIR = Path(__file__).resolve().parent / "ob3"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines 1EdTechJsonSchemaValidator2019, which `credentialSchema` names.
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS: "ob-v3p0-extensions.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    DID_V1: "did-v1.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
}
OB_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)

# RDFC-1.0 escapes these in N-Quads, pyld writes them raw: a credential holding one would verify
# here and fail everywhere else, so they never reach a credential.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return _CONTROL_CHARACTERS.sub("", value or "")


@cache
def bundled_contexts():
    return {
        url: json.loads((OB3_DIR / "contexts" / name).read_text(encoding="utf-8"))
        for url, name in CONTEXT_FILES.items()
    }


def document_loader(url, options=None):
    document = bundled_contexts().get(url)
    if document is None:
        raise jsonld.JsonLdError(
            f"Laurier loads no document from the network: {url}",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
        # pyld keeps a context it has processed across operations only when it is tagged
        # static; untagged, every signature would parse the same contexts again (3× slower).
        "tag": "static",
    }


def canonical_nquads(document) -> str:
    """The document's RDF dataset canonicalised with RDFC-1.0 (URDNA2015), as N-Quads."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )


@cache
def ob_schema():
    path = OB3_DIR / "schema" / "ob_v3p0_achievementcredential_schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _schema_validator():
    import jsonschema

    return jsonschema.Draft201909Validator(ob_schema(), format_checker=jsonschema.FormatChecker())


def schema_errors(credential) -> list[str]:
    """What keeps `credential` from matching the official Open Badges 3.0 JSON Schema."""
    errors = _schema_validator().iter_errors(credential)
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in errors]
