"""Pressing Import: all rows or none, once only, in the background for large files."""

import pytest
from django.urls import reverse

from laurier.imports import importers, services
from laurier.imports.models import ImportJob
from laurier.organisations.models import AuditEvent
from laurier.programs.models import Person

from .conftest import csv_file

HEADER = ["courriel", "prénom", "nom"]


def people(count, start=0):
    return csv_file(
        [HEADER] + [[f"p{n}@example.org", "Prénom", f"Nom {n}"] for n in range(start, count)]
    )


@pytest.fixture
def client(login, admin_user):
    return login(admin_user)


def test_import_writes_one_audit_event_with_the_counts(client, upload, commit):
    job = upload(client, "people", people(3)).context["job"]
    commit(client, job)
    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id) == ("imports.importjob", str(job.pk))
    assert (event.changes["created"], event.changes["updated"], event.changes["unchanged"]) == (
        3,
        0,
        0,
    )


def test_pressing_import_twice_imports_once(client, upload, commit):
    job = upload(client, "people", people(3)).context["job"]
    commit(client, job)
    response = commit(client, job)
    assert "already been started" in response.content.decode()
    assert Person.objects.count() == 3
    assert AuditEvent.objects.count() == 1


def test_run_import_on_a_finished_job_does_nothing(client, upload, commit):
    job = upload(client, "people", people(2)).context["job"]
    commit(client, job)
    Person.objects.all().delete()
    services.run_import(job)
    assert not Person.objects.exists()


def test_row_that_went_bad_after_the_preview_rolls_back_every_batch(
    client, upload, commit, monkeypatch, program
):
    from laurier.testing import factories

    mentors = [
        factories.PersonFactory(organisation=program.organisation, email=f"m{n}@example.org")
        for n in range(3)
    ]
    file = csv_file([["courriel"]] + [[mentor.email] for mentor in mentors])
    job = upload(client, "mentors", file, program=program).context["job"]
    assert job.status == ImportJob.Status.READY
    mentors[2].delete()  # someone removes the last person between preview and import
    monkeypatch.setattr(importers, "BATCH_SIZE", 1)
    commit(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert [(problem["row"], problem["code"]) for problem in job.errors] == [(4, "unknown_person")]
    assert not program.mentor_enrolments.exists()
    assert not AuditEvent.objects.exists()


def test_large_file_is_checked_and_imported_by_the_task_worker(
    client, upload, commit, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 3
    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = upload(client, "people", people(7)).context["job"]
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        commit(client, job)
    # The task, then (once it has imported) the deletion of the file.
    assert len(callbacks) == 2
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ImportJob.Status.DONE, "")
    assert job.processed_rows == job.total_rows == 7
    assert Person.objects.count() == 7


def test_large_file_waits_for_the_worker_with_a_progress_bar(client, upload, commit, settings):
    settings.IMPORT_BACKGROUND_THRESHOLD_ROWS = 3
    # Outside a commit callback the task is never enqueued: the job stays in the queue.
    job = upload(client, "people", people(5)).context["job"]
    assert job.status == ImportJob.Status.CHECKING
    response = client.get(reverse("imports:detail", args=["hydro", job.pk]))
    page = response.content.decode()
    assert "<progress" in page
    assert 'hx-trigger="every 1s"' in page


def test_progress_partial_asks_the_page_to_reload_when_the_job_is_over(client, upload, commit):
    job = upload(client, "people", people(1)).context["job"]
    commit(client, job)
    response = client.get(
        reverse("imports:progress", args=["hydro", job.pk]), headers={"HX-Request": "true"}
    )
    assert response.headers["HX-Refresh"] == "true"


def test_progress_partial_shows_the_rows_done_so_far(client, upload):
    job = upload(client, "people", people(4)).context["job"]
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, processed_rows=2)
    response = client.get(
        reverse("imports:progress", args=["hydro", job.pk]), headers={"HX-Request": "true"}
    )
    assert '<progress id="import-progress-bar" value="2" max="4">' in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_running_import_tells_its_progress_before_it_commits(organisation, admin_user, monkeypatch):
    """Another connection (the polling page) sees processed rows grow during the transaction."""
    from laurier.imports import selectors
    from laurier.imports.progress import ProgressReporter
    from laurier.organisations.models import Membership

    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    membership = Membership.objects.get(user=admin_user)
    job = services.create_import(
        membership=membership, user=admin_user, kind="people", program=None,
        uploaded_file=people(5),
    )  # fmt: skip
    seen = []
    report = ProgressReporter.report

    def report_and_look(reporter, processed_rows):
        report(reporter, processed_rows)
        seen.append(selectors.progress_of(ImportJob.objects.get(pk=job.pk))[0])

    monkeypatch.setattr(ProgressReporter, "report", report_and_look)
    services.start_import(job, user=admin_user)
    assert seen == [2, 4, 5]
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
