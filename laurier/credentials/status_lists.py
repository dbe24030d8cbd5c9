"""Bitstring Status List (W3C): one bit per credential, set when it is revoked."""

import gzip

from .encoding import b64u, b64u_decode

# The W3C minimum (16 KiB): a list this long does not reveal whose credential a verifier checks.
LIST_SIZE = 131_072


def encode_bits(set_indexes, size=LIST_SIZE) -> str:
    """GZIP then base64url with the multibase 'u' prefix; index 0 is the first byte's top bit."""
    bits = bytearray(size // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64u(gzip.compress(bytes(bits), mtime=0))


def bit_is_set(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("the list is not base64url multibase")
    raw = gzip.decompress(b64u_decode(encoded[1:]))
    if not 0 <= index < len(raw) * 8:
        raise ValueError("index outside the list")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))
