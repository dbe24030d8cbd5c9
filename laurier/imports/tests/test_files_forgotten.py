"""A job's file (names and e-mails) is kept only while the job may still need it."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from laurier.imports import services
from laurier.imports.models import ImportJob, ImportKind

from .conftest import csv_file
from .test_sync_full_list import rows_for, staff, staff_list  # noqa: F401 (fixture)

HEADER = ["courriel", "prénom", "nom"]


@pytest.fixture
def client(login, admin_user):
    return login(admin_user)


def stored(job):
    """The file name the job's row holds now."""
    return ImportJob.objects.get(pk=job.pk).file.name


def test_an_imported_file_is_deleted_once_the_import_commits(
    client, upload, commit, django_capture_on_commit_callbacks
):
    job = upload(client, "people", csv_file([HEADER, ["a@example.org", "Ana", "Roy"]])).context[
        "job"
    ]
    name = job.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        page = commit(client, job)
    assert (stored(job), default_storage.exists(name)) == ("", False)
    # The page still says what the import did, and under which file name.
    assert ImportJob.objects.get(pk=job.pk).summary["created"] == 1
    assert job.original_name in page.text


def test_a_refused_file_is_deleted_and_its_problems_kept(
    client, upload, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "people", csv_file([HEADER, ["not-an-email", "Ana", "Roy"]]))
    job = response.context["job"]
    assert (job.status, stored(job)) == (ImportJob.Status.INVALID, "")
    assert [problem["row"] for problem in job.errors] == [2]
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_file_that_cannot_be_read_is_never_stored(organisation, admin_user):
    job = services.create_import(
        organisation=organisation,
        user=admin_user,
        kind=ImportKind.PEOPLE,
        program=None,
        uploaded_file=ContentFile(b"\x00\x01\x02", name="broken.xlsx"),
        in_background=False,
    )
    assert (job.status, job.file.name) == (ImportJob.Status.INVALID, "")


def test_a_failed_import_forgets_its_file(
    client, upload, commit, monkeypatch, django_capture_on_commit_callbacks
):
    job = upload(client, "people", csv_file([HEADER, ["a@example.org", "Ana", "Roy"]])).context[
        "job"
    ]
    name = job.file.name
    monkeypatch.setattr(services, "_record_import", lambda *args: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        commit(client, job)
    job.refresh_from_db()
    assert (job.status, job.file.name, default_storage.exists(name)) == (
        ImportJob.Status.FAILED,
        "",
        False,
    )


def test_a_held_staff_list_keeps_its_file_until_confirmed(organisation, staff, admin_user):  # noqa: F811
    job = staff_list(organisation, *rows_for(staff[3:]))
    assert job.status == ImportJob.Status.HELD
    assert default_storage.exists(job.file.name)


def test_the_daily_command_deletes_the_files_finished_jobs_still_hold(
    organisation, admin_user, django_capture_on_commit_callbacks
):
    def job_with_file(status):
        return ImportJob.objects.create(
            organisation=organisation,
            kind=ImportKind.PEOPLE,
            file=ContentFile(b"courriel\r\na@example.org\r\n", name="old.csv"),
            original_name="old.csv",
            status=status,
            created_by=admin_user,
        )

    done, ready = job_with_file(ImportJob.Status.DONE), job_with_file(ImportJob.Status.READY)
    done_file, ready_file = done.file.name, ready.file.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recognition_daily", stdout=out)
    assert (stored(done), default_storage.exists(done_file)) == ("", False)
    assert (stored(ready), default_storage.exists(ready_file)) == (ready_file, True)
    assert "1 file(s) of finished imports deleted" in out.getvalue()


def test_a_file_left_waiting_expires_with_a_message_in_each_language(
    client, upload, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_WAITING_DAYS = 30
    old = upload(client, "people", csv_file([HEADER, ["a@example.org", "Ana", "Roy"]]))
    old = old.context["job"]
    recent = upload(client, "people", csv_file([HEADER, ["b@example.org", "Bo", "Roy"]]))
    recent = recent.context["job"]
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recognition_daily", stdout=io.StringIO())
    old.refresh_from_db()
    assert (old.status, old.file.name, default_storage.exists(name)) == (
        ImportJob.Status.FAILED,
        "",
        False,
    )
    assert ImportJob.objects.get(pk=recent.pk).status == ImportJob.Status.READY
    page = reverse("imports:detail", args=[old.organisation.slug, old.pk])
    assert (
        "Nobody imported this file within 30 days"
        in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    client.post(reverse("set_language"), {"language": "fr-ca", "next": page})
    assert (
        "ce fichier dans les 30 jours suivant sa vérification" in client.get(page).content.decode()
    )
