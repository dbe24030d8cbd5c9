"""The import list, the preview page and the sample files."""

import csv
import io

import pytest
from django.urls import reverse

from laurier.imports.models import ImportJob

from .conftest import csv_file


@pytest.fixture
def client(login, admin_user):
    return login(admin_user)


def make_jobs(organisation, user, count):
    ImportJob.objects.bulk_create(
        ImportJob(
            organisation=organisation,
            kind="people",
            original_name=f"people-{n}.csv",
            file="imports/x.csv",
            status=ImportJob.Status.DONE,
            created_by=user,
            total_rows=n,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 30])
def test_import_list_queries_do_not_grow_with_the_jobs(
    client, organisation, admin_user, count, django_assert_max_num_queries
):
    make_jobs(organisation, admin_user, count)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:list", args=["hydro"]))
    assert response.status_code == 200


def test_import_list_filters_by_name_and_sorts(client, organisation, admin_user):
    make_jobs(organisation, admin_user, 12)
    response = client.get(
        reverse("imports:list", args=["hydro"]), {"q": "people-1", "sort": "-rows"}
    )
    names = [job.original_name for job in response.context["page"]]
    assert names == ["people-11.csv", "people-10.csv", "people-1.csv"]


def test_import_list_exports_the_filtered_jobs(client, organisation, admin_user):
    make_jobs(organisation, admin_user, 3)
    response = client.get(
        reverse("imports:list", args=["hydro"]), {"export": "csv", "q": "people-2"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=","))
    assert len(rows) == 2
    assert rows[1][0] == "people-2.csv"


def test_problems_can_be_exported(client, upload):
    job = upload(
        client, "people", csv_file([["courriel", "prénom", "nom"], ["x", "A", "B"]])
    ).context["job"]
    response = client.get(reverse("imports:detail", args=["hydro", job.pk]), {"export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "“x” is not a valid e-mail address." in body


def test_commit_button_is_disabled_when_the_file_has_problems(client, upload):
    response = upload(client, "people", csv_file([["courriel", "prénom", "nom"], ["x", "A", "B"]]))
    page = response.content.decode()
    assert "disabled" in page
    assert "cannot be imported while it has problems" in page


@pytest.mark.parametrize("kind", ["people", "mentors", "mentees", "pairings", "sessions"])
def test_sample_file_has_french_headers_the_importer_reads(client, kind):
    response = client.get(reverse("imports:sample", args=["hydro", kind]))
    assert response.content.startswith("\ufeff".encode())
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    from laurier.imports.importers import importer_for
    from laurier.imports.reading import match_headers

    positions, ignored, repeated = match_headers(header, importer_for(kind).columns())
    assert ignored == [] and repeated == []
    assert set(importer_for(kind).required) <= set(positions)


def test_sample_people_file_passes_the_check(client, upload):
    sample = client.get(reverse("imports:sample", args=["hydro", "people"])).content
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = upload(client, "people", SimpleUploadedFile("sample.csv", sample)).context["job"]
    assert job.status == ImportJob.Status.READY
    assert job.summary["created"] == 2


def test_unknown_sample_kind_is_404(client):
    assert client.get(reverse("imports:sample", args=["hydro", "cats"])).status_code == 404


def test_old_excel_file_is_refused_by_the_form(client, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:list", args=["hydro"]),
        {"kind": "people", "file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0rest")},
    )
    assert response.context["form"].errors["file"]


def test_text_file_with_other_extension_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:list", args=["hydro"]),
        {"kind": "people", "file": SimpleUploadedFile("people.pdf", b"%PDF")},
    )
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_empty_file_is_explained(client, upload):
    response = upload(client, "people", csv_file([[""]]))
    assert "The file is empty." in response.content.decode()


def test_damaged_workbook_is_explained(client, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client, "people", SimpleUploadedFile("people.xlsx", b"PK\x03\x04broken"))
    assert "The spreadsheet cannot be opened" in response.content.decode()
    # Refused by the upload's check (imports/forms.py): nothing is kept.
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("bad_rows", [2, 300])
def test_preview_queries_do_not_grow_with_the_problems(
    client, upload, bad_rows, django_assert_max_num_queries
):
    lines = [["courriel", "prénom", "nom"]] + [[f"bad{n}", "A", "B"] for n in range(bad_rows)]
    job = upload(client, "people", csv_file(lines)).context["job"]
    assert len(job.errors) == bad_rows
    with django_assert_max_num_queries(6):
        response = client.get(reverse("imports:detail", args=["hydro", job.pk]))
    assert response.status_code == 200


def test_preview_lists_every_problem_page_by_page(client, upload):
    lines = [["courriel", "prénom", "nom"]] + [[f"bad{n}", "A", "B"] for n in range(150)]
    job = upload(client, "people", csv_file(lines)).context["job"]
    response = client.get(reverse("imports:detail", args=["hydro", job.pk]), {"page": 2})
    rows = [problem["row"] for problem in response.context["page"]]
    assert rows == list(range(102, 152))
