"""Baking (Open Badges 3.0 §5.3): a credential carried inside its badge image, PNG or SVG.

Uploaded images come from anyone, so every reader here refuses malformed input with a BakingError
(whose message the verification page shows) rather than any other exception.
"""

import json
import re
import struct
import zlib
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
OB_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_CREDENTIAL_TAG = f"{{{OB_NAMESPACE}}}credential"
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
# Characters XML 1.0 cannot hold, even in CDATA; in JSON text they only occur inside strings.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_PROLOGUE = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_ATTRIBUTES = r"(?:\"[^\"]*\"|'[^']*'|[^'\">])*?"
_SVG_START_TAG = re.compile(rf"<((?:[\w.-]+:)?svg)\b({_ATTRIBUTES})\s*(/?)>")
_BAKED_ELEMENT = re.compile(
    rf"<openbadges:credential\b{_ATTRIBUTES}/>"
    rf"|<openbadges:credential\b{_ATTRIBUTES}>(?:<!\[CDATA\[.*?\]\]>|[^<])*</openbadges:credential>",
    re.DOTALL,
)


class BakingError(ValueError):
    """An image that cannot carry or give back a credential; the message is for people."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _credential_text(credential: dict | str) -> str:
    if isinstance(credential, dict):
        # A lone surrogate cannot be written as UTF-8; JSON can still carry it as an escape.
        return _LONE_SURROGATE.sub(
            lambda match: f"\\u{ord(match.group()):04x}", json.dumps(credential, ensure_ascii=False)
        )
    return credential


# PNG: chunks are length (4 bytes, big-endian) | type (4) | data | CRC-32 of type and data.


def _png_chunks(png: bytes):
    """(type, data, raw bytes) of each chunk up to IEND; refuses anything malformed."""
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError(_("This file is not a PNG image."))
    position = len(PNG_SIGNATURE)
    while True:
        if position + 12 > len(png):
            raise BakingError(_("This PNG image is truncated."))
        length, chunk_type = struct.unpack(">I4s", png[position : position + 8])
        end = position + 12 + length
        if end > len(png):
            raise BakingError(_("This PNG image is truncated."))
        data = png[position + 8 : end - 4]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(chunk_type + data) != crc:
            raise BakingError(_("This PNG image is damaged (a checksum does not match)."))
        if position == len(PNG_SIGNATURE) and chunk_type != b"IHDR":
            raise BakingError(_("This PNG image is damaged (it does not start with a header)."))
        yield chunk_type, data, png[position:end]
        if chunk_type == b"IEND":
            return
        position = end


def _is_credential_chunk(chunk_type: bytes, data: bytes) -> bool:
    return chunk_type == b"iTXt" and data.split(b"\0", 1)[0] == PNG_KEYWORD


def _itxt_chunk(text: str) -> bytes:
    # keyword NUL, compression flag 0 and method 0, empty language tag NUL, empty translated
    # keyword NUL, then the UTF-8 text: uncompressed, as §5.3 requires.
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise BakingError(
            _("This credential contains characters that cannot be written.")
        ) from error
    data = PNG_KEYWORD + b"\0\0\0\0\0" + encoded
    return (
        struct.pack(">I", len(data))
        + b"iTXt"
        + data
        + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    )


def bake_png(png: bytes, credential: dict | str) -> bytes:
    """The PNG with the credential (JSON with its proof, or a compact JWS) in one iTXt chunk;
    a credential baked earlier is replaced, never doubled."""
    baked = _itxt_chunk(_credential_text(credential))
    out = [PNG_SIGNATURE]
    for chunk_type, data, raw in _png_chunks(png):
        if _is_credential_chunk(chunk_type, data):
            continue
        if chunk_type == b"IEND":
            out.append(baked)
        out.append(raw)
    return b"".join(out)


def extract_png(png: bytes) -> str | None:
    """The credential baked in a PNG (the first one, as readers must take), or None."""
    for chunk_type, data, _raw in _png_chunks(png):
        if not _is_credential_chunk(chunk_type, data):
            continue
        rest = data[len(PNG_KEYWORD) + 1 :]
        if len(rest) < 2:
            raise BakingError(_("The credential in this PNG image is damaged."))
        if rest[0] != 0:
            raise BakingError(
                _("The credential in this PNG image is compressed, which Open Badges forbids.")
            )
        fields = rest[2:].split(b"\0", 2)
        if len(fields) != 3:
            raise BakingError(_("The credential in this PNG image is damaged."))
        try:
            return fields[2].decode("utf-8")
        except UnicodeDecodeError as error:
            raise BakingError(_("The credential in this PNG image is not valid text.")) from error
    return None


# SVG: <openbadges:credential> right after the <svg> start tag, the JSON in CDATA or the JWS in
# the verify attribute.


def _parse_svg(svg: str | bytes):
    try:
        # forbid_dtd: an uploaded SVG has no business declaring a DOCTYPE or entities.
        return SafeElementTree.fromstring(svg, forbid_dtd=True)
    except DefusedXmlException as error:
        raise BakingError(
            _("This SVG image declares a DOCTYPE or entities, which are refused for safety.")
        ) from error
    except (ParseError, ValueError, TypeError) as error:
        raise BakingError(_("This SVG image is not well-formed XML.")) from error


def _svg_credential_element(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("{"):
        # JSON escapes keep the characters XML cannot hold; "]]>" would end the CDATA early.
        body = _XML_ILLEGAL.sub(lambda match: f"\\u{ord(match.group()):04x}", stripped)
        body = body.replace("]]>", "]]]]><![CDATA[>")
        return f"<openbadges:credential><![CDATA[{body}]]></openbadges:credential>"
    if not _COMPACT_JWS.fullmatch(stripped):
        raise BakingError(_("Only a JSON credential or a compact JWS can be baked into an SVG."))
    return f"<openbadges:credential verify={quoteattr(stripped)}/>"


def bake_svg(svg: str, credential: dict | str) -> str:
    """The SVG with the credential baked in; a credential baked earlier is replaced."""
    _parse_svg(svg)
    element = _svg_credential_element(_credential_text(credential))
    svg = _BAKED_ELEMENT.sub("", svg)
    prologue_end = _XML_PROLOGUE.match(svg).end()
    start_tag = _SVG_START_TAG.match(svg, prologue_end)
    if start_tag is None:
        raise BakingError(_("This file is not an SVG image."))
    name, attributes, self_closing = start_tag.groups()
    if "xmlns:openbadges" not in attributes:
        attributes += f' xmlns:openbadges="{OB_NAMESPACE}"'
    tail = f"</{name}>" if self_closing else ""
    baked = f"{svg[: start_tag.start()]}<{name}{attributes}>{element}{tail}{svg[start_tag.end() :]}"
    # A credential under another prefix, or a prefix bound elsewhere, would slip past the above.
    credentials = list(_parse_svg(baked).iter(_CREDENTIAL_TAG))
    if len(credentials) != 1:
        raise BakingError(_("This SVG image already carries a credential that cannot be replaced."))
    return baked


def extract_svg(svg: str | bytes) -> str | None:
    """The credential baked in an SVG (JSON text or compact JWS), or None."""
    credentials = list(_parse_svg(svg).iter(_CREDENTIAL_TAG))
    if not credentials:
        return None
    if len(credentials) > 1:
        raise BakingError(_("This SVG image carries more than one credential."))
    element = credentials[0]
    text = element.get("verify") or (element.text or "")
    text = text.strip()
    if not text:
        raise BakingError(_("The credential in this SVG image is empty."))
    return text


def extract_credential(filename: str, data: bytes) -> str | None:
    """The credential in an uploaded file, told apart by its content, not its name: a baked PNG
    or SVG, or the credential itself as JSON or a compact JWS."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BakingError(
            _("“%(name)s” is too large: at most %(size)s.")
            % {"name": filename, "size": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    if data.startswith(PNG_SIGNATURE):
        return extract_png(data)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!")):
        return extract_svg(data)
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        text = ""
    if text.startswith("{") or _COMPACT_JWS.fullmatch(text):
        return text
    raise BakingError(
        _("“%(name)s” is neither a PNG or SVG image nor a credential.") % {"name": filename}
    )
