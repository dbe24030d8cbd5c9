"""A nomination's supporting document: its type decided by its content, its size limited, kept
under a random name."""

# ruff: noqa: F811

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import StopUpload
from django.utils import translation

from laurier.contests.models import EVIDENCE_MAX_BYTES, Nomination
from laurier.contests.services import nominations as services
from laurier.contests.uploads import EvidenceSizeLimit, check_evidence, clean_name, detect_type
from laurier.testing import factories

from .test_nominations_support import (
    HTML_BYTES,
    OPEN_DAY,
    PDF_BYTES,
    PNG_BYTES,
    _files_in_tmp,  # noqa: F401
    _fresh_rate_limits,  # noqa: F401
    big_upload,
    enrol,
    nominate,
    upload,
)


def test_a_pdf_is_accepted():
    assert detect_type(upload(PDF_BYTES)).mime == "application/pdf"


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (PNG_BYTES, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
        ("Merci Hélène, pour tout.\n".encode(), "text/plain"),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(content, mime):
    assert detect_type(upload(content, name="whatever.bin", content_type="x/y")).mime == mime


def test_an_html_file_renamed_pdf_is_refused():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        check_evidence(upload(HTML_BYTES, name="lettre.pdf", content_type="application/pdf"))

    assert excinfo.value.code == "type"
    assert "PDF, PNG, JPEG, WebP or TXT" in excinfo.value.messages[0]


def test_an_svg_image_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'

    with pytest.raises(ValidationError):
        check_evidence(upload(svg, name="photo.png", content_type="image/png"))


def test_text_with_a_nul_byte_is_refused():
    with pytest.raises(ValidationError):
        check_evidence(upload(b"hello\x00world", name="notes.txt", content_type="text/plain"))


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError):
        check_evidence(upload("Hélène".encode("utf-16"), name="n.txt", content_type="text/plain"))


def test_an_executable_is_refused():
    with pytest.raises(ValidationError):
        check_evidence(upload(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", name="cv.pdf"))


def test_an_oversized_file_is_refused_without_reading_it():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        check_evidence(big_upload(5 * 1024 * 1024 + 1))

    assert excinfo.value.code == "size"
    assert "5.0\xa0MB" in excinfo.value.messages[0]


def test_a_file_of_exactly_the_limit_is_checked_for_its_type():
    with pytest.raises(AssertionError, match="the file was read"):
        check_evidence(big_upload(5 * 1024 * 1024))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        check_evidence(upload(b""))

    assert excinfo.value.code == "empty"


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("C:\\Users\\jean\\lettre.pdf", "lettre.pdf"),
        ("../../etc/passwd", "passwd"),
        ("lettre\x00\n.pdf", "lettre .pdf"),
        ("", "document"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_the_original_name_is_cleaned(name, cleaned):
    with translation.override("en"):
        assert clean_name(name) == cleaned


@pytest.mark.django_db
def test_a_png_is_stored_under_a_random_name_with_its_detected_type(program):
    edition = factories.EditionFactory(program=program, organisation=program.organisation)
    category = factories.CategoryFactory(edition=edition)
    helene = enrol(program)

    nomination, _ = nominate(
        edition,
        category,
        helene,
        evidence=upload(PNG_BYTES, name="Photo de l'équipe.pdf", content_type="application/pdf"),
    )

    nomination.refresh_from_db()
    name = nomination.evidence.name
    assert name.startswith(f"contests/{edition.public_id}/")
    assert name.endswith(".png")
    assert "quipe" not in name
    assert nomination.evidence_name == "Photo de l'équipe.pdf"
    assert nomination.evidence_type == "image/png"
    assert nomination.evidence.read() == PNG_BYTES


@pytest.mark.django_db
def test_a_refused_file_writes_nothing(program):
    edition = factories.EditionFactory(program=program, organisation=program.organisation)
    category = factories.CategoryFactory(edition=edition)

    with pytest.raises(ValidationError) as excinfo:
        nominate(edition, category, enrol(program), evidence=upload(HTML_BYTES))

    assert "evidence" in excinfo.value.message_dict
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_a_new_file_replaces_the_old_one_and_the_old_one_is_deleted(
    program, django_capture_on_commit_callbacks
):
    edition = factories.EditionFactory(program=program, organisation=program.organisation)
    category = factories.CategoryFactory(edition=edition)
    nomination, _ = nominate(edition, category, enrol(program), evidence=upload(PDF_BYTES))
    old_name = nomination.evidence.name
    storage = Nomination._meta.get_field("evidence").storage

    with django_capture_on_commit_callbacks(execute=True):
        changed, _ = services.change_nomination(
            nomination,
            relation=nomination.relation,
            story=nomination.story,
            evidence=upload(PNG_BYTES, name="b.png"),
            today=OPEN_DAY,
        )

    changed.refresh_from_db()
    assert changed.evidence_type == "image/png"
    assert changed.evidence.name != old_name
    assert storage.exists(changed.evidence.name)
    assert not storage.exists(old_name)


def _handler(field="evidence"):
    from django.http import HttpRequest

    handler = EvidenceSizeLimit(HttpRequest())
    handler.new_file(field, "a.pdf", "application/pdf", None)
    return handler


def test_the_upload_handler_stops_reading_past_the_limit():
    handler = _handler()
    handler.receive_data_chunk(b"0" * EVIDENCE_MAX_BYTES, 0)

    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"0", EVIDENCE_MAX_BYTES)

    assert handler.request.oversized_uploads == {"evidence"}


def test_the_upload_handler_takes_no_file_in_another_field():
    with pytest.raises(StopUpload):
        _handler(field="story")


def test_the_upload_handler_takes_one_file_per_request():
    handler = _handler()

    with pytest.raises(StopUpload):
        handler.new_file("evidence", "b.pdf", "application/pdf", None)

    assert handler.request.refused_upload
