"""Uploaded files are judged by their content and size before anything is kept, and files
handed back are downloads that a browser never shows as a page of Laurier's."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from laurier.contests.views.evidence import evidence_response
from laurier.imports import forms as import_forms
from laurier.imports.forms import check_uploaded_file
from laurier.imports.models import ImportJob
from laurier.imports.problems import MESSAGES
from laurier.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook_bytes():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["courriel", "prénom", "nom"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("people.csv", PNG, "unreadable_text"),
        ("people.csv", b"courriel;nom\r\nlea@example.org;L\x00a\r\n", "unreadable_text"),
        ("people.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old_excel"),
        ("people.xlsx", b"courriel;nom\r\nlea@example.org;Lea\r\n", "damaged_spreadsheet"),
        ("people.xlsx", zipped({"notes.txt": "not an office file"}), "damaged_spreadsheet"),
        ("people.xlsx", zipped({"[Content_Types].xml": "<Types/>"}), "damaged_spreadsheet"),
        ("people.csv", zipped({"[Content_Types].xml": "<Types/>"}), "damaged_spreadsheet"),
    ],
    ids=[
        "png-as-csv",
        "nul-bytes",
        "old-excel-as-csv",
        "text-as-xlsx",
        "other-zip",
        "no-workbook",
        "broken-workbook-as-csv",
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(
    login, admin_user, organisation, settings, name, content, code
):
    admin_user.language = "fr-ca"
    admin_user.save()
    client = login(admin_user)

    response = client.post(
        reverse("imports:list", args=[organisation.slug]),
        {"kind": "people", "file": SimpleUploadedFile(name, content)},
    )

    with translation.override("fr-ca"):
        message = str(MESSAGES[code])
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not ImportJob.objects.exists()
    assert not (settings.MEDIA_ROOT / "imports").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("people.csv", "courriel;prénom\r\nléa@example.org;Léa\r\n".encode()),
        ("people.csv", "courriel;prénom\r\nlea@example.org;Léa\r\n".encode("cp1252")),
        ("people.txt", "courriel\tprénom\r\nlea@example.org\tLéa\r\n".encode("utf-16")),
        ("people.xlsx", workbook_bytes()),
    ],
    ids=["utf-8", "windows-1252", "utf-16", "xlsx"],
)
def test_the_spreadsheets_the_importer_reads_are_accepted(name, content):
    upload = SimpleUploadedFile(name, content)

    assert check_uploaded_file(upload) is upload
    assert upload.read() == content


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 10)

    with pytest.raises(import_forms.forms.ValidationError) as refusal:
        check_uploaded_file(SimpleUploadedFile("people.csv", b"courriel;nom\r\n"))

    assert refusal.value.code == "size"


def test_a_kept_text_file_holding_html_is_handed_back_as_an_inert_attachment(program):
    nomination = factories.NominationFactory(
        nominee__category__edition__program=program,
        evidence=ContentFile(b"<html><script>alert(1)</script></html>", name="evidence.csv"),
        evidence_name="evidence.csv",
        evidence_type="text/plain",
    )

    response = evidence_response(nomination)

    assert response["Content-Disposition"].startswith("attachment")
    assert "html" not in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_stored_files_have_no_address_of_their_own(login, admin_user, organisation, settings):
    job = ImportJob.objects.create(
        organisation=organisation,
        kind="people",
        file=ContentFile(b"<html>page</html>", name="page.csv"),
        original_name="page.csv",
        status=ImportJob.Status.INVALID,
        created_by=admin_user,
    )

    response = login(admin_user).get("/" + job.file.url.lstrip("/"))

    assert response.status_code == 404
