"""Files too big to read safely are refused; large files are only counted in the web request."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from laurier.imports import reading, services
from laurier.imports.models import ImportJob
from laurier.imports.reading import UnreadableFile, count_rows, read_table

from .conftest import csv_file, xlsx_file


@pytest.fixture
def client(login, admin_user):
    return login(admin_user)


def people_lines(count):
    return [["courriel", "prénom", "nom"]] + [
        [f"p{n}@example.org", "Prénom", f"Nom {n}"] for n in range(count)
    ]


def test_file_with_more_rows_than_the_limit_is_refused():
    with pytest.raises(UnreadableFile) as refused:
        read_table(b"courriel\na@example.org\nb@example.org\nc@example.org\n", max_rows=2)
    assert refused.value.problem.code == "too_many_rows"
    assert refused.value.problem.params == {"limit": 2}


def test_row_limit_is_written_with_thousands_separators():
    from django.utils import translation

    from laurier.imports.problems import describe

    problem = {"row": None, "code": "too_many_rows", "params": {"limit": 1_000_000}}
    with translation.override("en"):
        message = describe(problem)
    assert message == "The file has more than 1,000,000 rows; split it in several files."


def test_file_with_as_many_rows_as_the_limit_is_read():
    assert len(read_table(b"courriel\na@example.org\nb@example.org\n", max_rows=2).rows) == 2


def test_too_many_rows_is_explained_on_the_page(client, upload, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    response = upload(client, "people", csv_file(people_lines(3)))
    assert response.context["job"].status == ImportJob.Status.INVALID
    assert "The file has more than 2 rows; split it in several files." in (
        response.content.decode()
    )


def zip_bomb():
    """A small zip whose members claim far more bytes than the limit once unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (reading.MAX_XLSX_UNPACKED_BYTES + 1))
    return buffer.getvalue()


def test_workbook_unpacking_into_more_than_the_limit_is_refused_before_being_opened(
    monkeypatch,
):
    data = zip_bomb()
    assert len(data) < 1024 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open it")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    for read in (read_table, count_rows):
        with pytest.raises(UnreadableFile) as refused:
            read(data, "bomb.xlsx")
        assert refused.value.problem.code == "spreadsheet_too_large"


def test_oversized_workbook_is_explained_on_the_page(client, upload):
    file = SimpleUploadedFile("bomb.xlsx", zip_bomb())
    response = upload(client, "people", file)
    # Refused by the upload's check (imports/forms.py): nothing is kept.
    assert not ImportJob.objects.exists()
    assert "The spreadsheet unpacks into more than 200 MB" in response.content.decode()


def test_csv_rows_are_counted_from_line_breaks():
    assert count_rows(b"courriel\r\na@example.org\r\nb@example.org\r\n") == 2
    assert count_rows(b"courriel\na@example.org\nb@example.org") == 2
    assert count_rows(b"courriel") == 0


def test_xlsx_rows_are_counted_from_the_first_sheet():
    data = xlsx_file(people_lines(1200)).read()
    assert count_rows(data, "people.xlsx") == 1200


def test_cell_over_the_csv_size_limit_is_explained(client, upload):
    file = csv_file([["courriel", "prénom"], ["a@example.org", '"' + "x" * 200_000]])
    response = upload(client, "people", file)
    assert response.context["job"].status == ImportJob.Status.INVALID
    assert "The file cannot be read as a table" in response.content.decode()


def test_large_file_is_only_counted_in_the_request(client, upload, settings, monkeypatch):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 3

    def not_in_the_request(*args, **kwargs):
        raise AssertionError("the task reads large files")

    monkeypatch.setattr(services, "read_table", not_in_the_request)
    job = upload(client, "people", csv_file(people_lines(5))).context["job"]
    assert job.status == ImportJob.Status.CHECKING
    assert job.total_rows == 5


def test_large_file_is_read_and_checked_by_the_task(
    client, upload, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 3
    lines = people_lines(5)
    lines.insert(3, [""])  # a blank line counted in the request, skipped by the check
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, "people", csv_file(lines)).context["job"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert job.total_rows == job.processed_rows == 5
    assert job.summary["created"] == 5


def test_unexpected_error_while_checking_fails_the_job_and_says_so(
    client, upload, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "importer_for", broken)
    response = upload(client, "people", csv_file(people_lines(2)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not job.is_in_progress
    assert [problem["code"] for problem in job.errors] == ["check_failed"]
    assert "Checking import" in caplog.text
    page = response.content.decode()
    assert "The file could not be checked because of an unexpected error" in page
    assert "<progress" not in page


def test_unexpected_error_in_the_check_task_stops_the_progress_polling(
    client, upload, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 1
    monkeypatch.setattr(services, "importer_for", lambda kind: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(client, "people", csv_file(people_lines(3))).context["job"]
    response = client.get(
        reverse("imports:progress", args=["hydro", job.pk]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
