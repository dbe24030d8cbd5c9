"""Baking (Open Badges 3.0 §5.3): a credential goes into a PNG or SVG badge image and comes back
out unchanged; uploads that are malformed, hostile or too large are refused with a message. No
database."""

import io
import json
import struct
import zlib

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from laurier.credentials.baking import (
    PNG_SIGNATURE,
    BakingError,
    bake_png,
    bake_svg,
    extract_credential,
    extract_png,
    extract_svg,
)

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Mentor de l'année — « 100 h »",
    "credentialSubject": {"achievement": {"criteria": {"narrative": "a ]]> b <c> & d"}}},
    "proof": {"type": "DataIntegrityProof", "proofValue": "z3FXQjecWufY46"},
}
JWS = "eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
    '<circle cx="256" cy="256" r="200" fill="#1a6"/></svg>'
)


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (20, 90, 60, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + chunk_type
        + data
        + struct.pack(">I", zlib.crc32(chunk_type + data))
    )


def chunk_types(png: bytes) -> list[bytes]:
    types, position = [], len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        types.append(png[position + 4 : position + 8])
        position += 12 + length
    return types


def english_message(callable_, *args) -> str:
    with translation.override("en"), pytest.raises(BakingError) as raised:
        callable_(*args)
    return str(raised.value)


# PNG


def test_a_json_credential_baked_into_a_png_comes_back_out():
    baked = bake_png(png_image(), CREDENTIAL)

    assert json.loads(extract_png(baked)) == CREDENTIAL


def test_a_jws_baked_into_a_png_comes_back_out():
    assert extract_png(bake_png(png_image(), JWS)) == JWS


def test_a_png_carries_one_uncompressed_itxt_chunk_that_pillow_reads():
    image = Image.open(io.BytesIO(bake_png(png_image(), JWS)))
    image.load()

    assert image.text == {"openbadgecredential": JWS}
    assert image.size == (16, 16)


def test_baking_a_png_again_replaces_the_credential():
    baked = bake_png(bake_png(png_image(), CREDENTIAL), JWS)

    assert extract_png(baked) == JWS
    assert chunk_types(baked).count(b"iTXt") == 1
    assert chunk_types(baked)[-1] == b"IEND"


def test_a_png_without_a_credential_gives_none():
    assert extract_png(png_image()) is None


def test_a_compressed_credential_in_a_png_is_refused():
    data = b"openbadgecredential\0\x01\x00\0\0" + zlib.compress(JWS.encode())
    png = png_image()
    png = png[:-12] + chunk(b"iTXt", data) + png[-12:]

    assert "compressed" in english_message(extract_png, png)


def test_a_compressed_credential_is_replaced_by_baking():
    data = b"openbadgecredential\0\x01\x00\0\0" + zlib.compress(JWS.encode())
    png = png_image()
    png = png[:-12] + chunk(b"iTXt", data) + png[-12:]

    assert extract_png(bake_png(png, CREDENTIAL)) == json.dumps(CREDENTIAL, ensure_ascii=False)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda png: png[:-20], id="truncated"),
        pytest.param(lambda png: png[:8], id="signature only"),
        pytest.param(lambda png: png[:8] + b"\xff\xff\xff\xffIHDR" + png[16:], id="huge length"),
        pytest.param(lambda png: png[:8] + b"\x00\x00\x00\x05" + png[12:], id="wrong length"),
        pytest.param(lambda png: png[:-13] + bytes([png[-13] ^ 1]) + png[-12:], id="bad checksum"),
        pytest.param(lambda png: png[:8] + png[33:], id="no header"),
        pytest.param(lambda png: b"GIF89a" + png[6:], id="not a png"),
    ],
)
def test_a_malformed_png_is_refused_with_a_message(damage):
    png = damage(bake_png(png_image(), JWS))

    assert english_message(extract_png, png)
    with pytest.raises(BakingError):
        bake_png(png, JWS)


def test_a_credential_chunk_missing_its_fields_is_refused():
    png = png_image()
    png = png[:-12] + chunk(b"iTXt", b"openbadgecredential\0\0\0no-separators") + png[-12:]

    assert "damaged" in english_message(extract_png, png)


def test_a_credential_that_is_not_utf8_is_refused():
    png = png_image()
    png = png[:-12] + chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0\xff\xfe") + png[-12:]

    assert "not valid text" in english_message(extract_png, png)


def test_a_badge_rendered_by_laurier_can_be_baked_as_a_png():
    from laurier.credentials.images import BadgeDesign, render_png, render_svg

    baked = bake_png(render_png(render_svg(BadgeDesign(label="5 ans"))), CREDENTIAL)

    image = Image.open(io.BytesIO(baked))
    assert image.size == (512, 512)
    assert json.loads(image.text["openbadgecredential"]) == CREDENTIAL


def test_a_lone_surrogate_in_a_json_credential_is_carried_as_an_escape():
    credential = {"name": "broken \ud800 text"}

    assert json.loads(extract_png(bake_png(png_image(), credential))) == credential
    assert json.loads(extract_svg(bake_svg(SVG, credential))) == credential


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text())
def test_any_text_round_trips_through_a_png(text):
    assert extract_png(bake_png(png_image(), text)) == text


# SVG


def test_a_json_credential_with_a_cdata_end_inside_round_trips_through_an_svg():
    baked = bake_svg(SVG, CREDENTIAL)

    assert "<![CDATA[" in baked
    assert json.loads(extract_svg(baked)) == CREDENTIAL


def test_a_jws_goes_into_the_verify_attribute_of_an_svg():
    baked = bake_svg(SVG, JWS)

    assert f'verify="{JWS}"' in baked
    assert extract_svg(baked) == JWS


def test_the_credential_comes_right_after_the_svg_start_tag_in_the_open_badges_namespace():
    baked = bake_svg(SVG, JWS)

    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert (
        '512 512" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:cred' in baked
    )


def test_baking_an_svg_again_replaces_the_credential():
    baked = bake_svg(bake_svg(bake_svg(SVG, CREDENTIAL), JWS), CREDENTIAL)

    assert baked.count("<openbadges:credential") == 1
    assert baked.count("xmlns:openbadges") == 1
    assert json.loads(extract_svg(baked)) == CREDENTIAL


def test_a_self_closing_svg_can_be_baked():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"/>', JWS)

    assert extract_svg(baked) == JWS


def test_characters_xml_cannot_hold_are_escaped_in_the_json():
    credential = {"name": "bell \x07 and \ufffe"}

    assert json.loads(extract_svg(bake_svg(SVG, credential))) == credential


def test_a_badge_image_rendered_by_laurier_can_be_baked():
    from laurier.credentials.images import BadgeDesign, render_svg

    baked = bake_svg(render_svg(BadgeDesign(shape="rosette", label="100 h")), JWS)

    assert extract_svg(baked) == JWS


def test_an_svg_without_a_credential_gives_none():
    assert extract_svg(SVG) is None


def test_an_svg_with_two_credentials_is_refused():
    ns = 'xmlns:ob="https://purl.imsglobal.org/ob/v3p0"'
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" {ns}><ob:credential verify="a.b.c"/>' + (
        '<ob:credential verify="d.e.f"/></svg>'
    )

    assert "more than one" in english_message(extract_svg, svg)


def test_an_svg_with_an_entity_is_refused():
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&lol;</text></svg>'
    )

    assert "DOCTYPE" in english_message(extract_svg, svg)
    with pytest.raises(BakingError):
        bake_svg(svg, JWS)


def test_an_svg_with_an_external_entity_is_refused():
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
    )

    assert "DOCTYPE" in english_message(extract_svg, svg.encode())


def test_a_malformed_svg_is_refused():
    assert "not well-formed" in english_message(extract_svg, "<svg><g></svg>")


def test_something_that_is_neither_json_nor_a_jws_is_not_baked_into_an_svg():
    assert english_message(bake_svg, SVG, "not a credential <at all>")


# Uploads


def test_an_upload_is_recognised_by_its_content_not_its_name():
    png = bake_png(png_image(), JWS)
    svg = bake_svg(SVG, CREDENTIAL).encode()

    assert extract_credential("badge.svg", png) == JWS
    assert json.loads(extract_credential("badge.png", svg)) == CREDENTIAL


def test_an_uploaded_credential_as_json_or_jws_is_returned_as_is():
    assert extract_credential("badge.json", json.dumps(CREDENTIAL).encode()) == json.dumps(
        CREDENTIAL
    )
    assert extract_credential("badge.jwt", JWS.encode() + b"\n") == JWS


def test_an_unreadable_upload_is_refused_with_its_name():
    message = english_message(extract_credential, "holiday.gif", b"GIF89a\x01\x00")

    assert "holiday.gif" in message


def test_an_upload_over_five_megabytes_is_refused():
    png = bake_png(png_image(), JWS)
    oversized = png[:-12] + chunk(b"zzZz", b"\0" * (6 * 1024 * 1024)) + png[-12:]

    assert "too large" in english_message(extract_credential, "huge.png", oversized)


def test_a_malformed_upload_is_refused_and_never_crashes():
    for data in (PNG_SIGNATURE + b"\x00\x00", b"<svg", b"<?xml version='1.0'?><svg><", b""):
        with pytest.raises(BakingError):
            extract_credential("upload", data)
