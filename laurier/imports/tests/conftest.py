import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


def csv_file(lines, *, name="import.csv", delimiter=";", encoding="utf-8"):
    """A CSV upload from rows of cells, written as the given spreadsheet program would."""
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(lines, *, name="import.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for cells in lines:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture
def upload(organisation):
    """Send a file through the upload form; return the response (following the redirect)."""

    def send(client, kind, file, program=None):
        data = {"kind": kind, "file": file}
        if program is not None:
            data["program"] = program.pk
        return client.post(reverse("imports:list", args=[organisation.slug]), data, follow=True)

    return send


@pytest.fixture
def commit(organisation):
    def press_import(client, job):
        return client.post(reverse("imports:commit", args=[organisation.slug, job.pk]), follow=True)

    return press_import
