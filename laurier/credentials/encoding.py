"""The byte encodings verifiable credentials use: base58btc, base64url without padding, Multikey."""

import base64
import re

_B64U = re.compile(r"[A-Za-z0-9_-]*")
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
# Multicodec prefix of an Ed25519 public key, before the 32 raw bytes of a Multikey.
ED25519_PUB_PREFIX = b"\xed\x01"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    digits = []
    while n:
        n, r = divmod(n, 58)
        digits.append(_B58[r])
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    n = 0
    for c in text:
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise ValueError(f"not base58: {c!r}") from None
    leading_ones = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_ones + (n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b"")


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text: str) -> bytes:
    """Strict: only the base64url alphabet, no padding, and the one encoding of its bytes. The
    lenient decoder maps several texts to the same bytes, so a changed character of a signature
    could still verify."""
    if not _B64U.fullmatch(text):
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64u(data) != text:
        raise ValueError("not the canonical base64url of its bytes")
    return data


def multikey_from_raw(public_raw: bytes) -> str:
    """An Ed25519 public key as a Multikey: 'z' (base58btc) + the multicodec prefix + the key."""
    return "z" + b58encode(ED25519_PUB_PREFIX + public_raw)


def raw_from_multikey(multikey: str) -> bytes:
    if not multikey.startswith("z"):
        raise ValueError("a Multikey starts with 'z'")
    decoded = b58decode(multikey[1:])
    if not decoded.startswith(ED25519_PUB_PREFIX) or len(decoded) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return decoded[2:]
