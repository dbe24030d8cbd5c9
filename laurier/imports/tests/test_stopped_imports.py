"""A job whose worker was killed: shown as stopped, and started again on request."""

import datetime
import os
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from laurier.imports import selectors, services
from laurier.imports.models import STALE_AFTER, ImportJob
from laurier.imports.progress import progress_file
from laurier.programs.models import Person

from .conftest import csv_file

STOPPED_MESSAGE = "This import stopped before it finished; nothing was written."


@pytest.fixture
def admin(login, admin_user):
    return login(admin_user)


@pytest.fixture
def ready_job(admin, upload):
    """A checked file of three people, ready to import."""
    lines = [["courriel", "prénom", "nom"]] + [
        [f"p{n}@example.org", "Prénom", f"Nom {n}"] for n in range(3)
    ]
    job = upload(admin, "people", csv_file(lines)).context["job"]
    assert job.status == ImportJob.Status.READY
    return job


def left_in(job, status, *, minutes_ago, committed_by=None):
    """The job as a worker killed `minutes_ago` minutes into `status` leaves it."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        processed_rows=2,
        committed_by=committed_by or job.created_by,
        progress_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    job.refresh_from_db()
    return job


def detail(client, job):
    return client.get(reverse("imports:detail", args=["hydro", job.pk])).content.decode()


def restart(client, job):
    return client.post(reverse("imports:restart", args=["hydro", job.pk]), follow=True)


def test_running_job_with_recent_progress_is_not_stopped(ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=1)
    assert not selectors.stopped(job)


def test_running_job_without_progress_for_too_long_is_stopped(ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    assert selectors.stopped(job)


@pytest.mark.parametrize("status", [ImportJob.Status.CHECKING, ImportJob.Status.QUEUED])
def test_checking_or_waiting_job_without_progress_for_too_long_is_stopped(ready_job, status):
    assert selectors.stopped(left_in(ready_job, status, minutes_ago=11))


@pytest.mark.parametrize("status", [ImportJob.Status.DONE, ImportJob.Status.READY])
def test_job_that_is_not_in_progress_is_never_stopped(ready_job, status):
    assert not selectors.stopped(left_in(ready_job, status, minutes_ago=60))


def test_job_from_before_progress_was_timed_goes_by_its_upload_time(ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=0)
    job.progress_at = None
    assert not selectors.stopped(job)
    job.created_at = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    assert selectors.stopped(job)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite reports progress in a file")
def test_progress_reported_on_the_side_keeps_a_running_job_alive(ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    # What ProgressReporter writes, outside the test's transaction, after every batch.
    path = progress_file(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("2")
    assert not selectors.stopped(job)


def test_checking_a_file_refreshes_its_sign_of_life(ready_job):
    job = left_in(ready_job, ImportJob.Status.CHECKING, minutes_ago=11)
    services._save_progress(job, 1)
    job.refresh_from_db()
    assert not selectors.stopped(job)


def test_pressing_import_refreshes_the_sign_of_life(ready_job, admin_user, monkeypatch):
    monkeypatch.setattr(services, "run_import", lambda job: job)
    ImportJob.objects.filter(pk=ready_job.pk).update(
        progress_at=timezone.now() - datetime.timedelta(hours=1)
    )
    job, _started = services.start_import(ready_job, user=admin_user)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert not selectors.stopped(job)


def test_page_of_a_stopped_import_says_so_and_offers_to_start_it_again(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    page = detail(admin, job)
    assert STOPPED_MESSAGE in page
    assert reverse("imports:restart", args=["hydro", job.pk]) in page
    assert "hx-trigger" not in page


def test_page_of_a_running_import_polls_without_offering_a_restart(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=1)
    page = detail(admin, job)
    assert 'hx-trigger="every 1s"' in page
    assert STOPPED_MESSAGE not in page
    assert reverse("imports:restart", args=["hydro", job.pk]) not in page


def test_polling_a_stopped_import_stops_polling_and_says_so(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    response = admin.get(
        reverse("imports:progress", args=["hydro", job.pk]), headers={"HX-Request": "true"}
    )
    assert STOPPED_MESSAGE in response.content.decode()
    assert "hx-trigger" not in response.content.decode()


def test_restarting_a_stopped_import_writes_its_rows_once(
    admin, ready_job, django_capture_on_commit_callbacks
):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = restart(admin, job)
    # The task, then (once it has imported) the deletion of the file.
    assert len(callbacks) == 2
    assert "started again" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.processed_rows == 3
    assert Person.objects.count() == 3


def test_restarted_import_waits_for_the_worker_from_its_first_row(admin, ready_job):
    # Outside a commit callback the task is not run: the job stays in the queue.
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    restart(admin, job)
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.QUEUED, 0)
    assert not selectors.stopped(job)


def test_restarted_import_forgets_the_progress_of_the_stopped_run(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    path = progress_file(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("2")
    old = (timezone.now() - datetime.timedelta(minutes=11)).timestamp()
    os.utime(path, (old, old))
    restart(admin, job)
    assert not path.exists()


def test_restarting_a_stopped_check_checks_the_file_again(
    admin, ready_job, django_capture_on_commit_callbacks
):
    job = left_in(ready_job, ImportJob.Status.CHECKING, minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        restart(admin, job)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    assert not Person.objects.exists()


def test_restarting_a_job_stopped_in_the_queue_imports_it(
    admin, ready_job, django_capture_on_commit_callbacks
):
    job = left_in(ready_job, ImportJob.Status.QUEUED, minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True):
        restart(admin, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_restarting_twice_starts_the_import_once(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    restart(admin, job)
    response = restart(admin, job)
    assert "nothing to start again" in response.content.decode()


def test_restarting_a_running_import_changes_nothing(
    admin, ready_job, django_capture_on_commit_callbacks
):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = restart(admin, job)
    assert callbacks == []
    assert "nothing to start again" in response.content.decode()
    before = (job.status, job.processed_rows, job.progress_at)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.progress_at) == before
    assert not Person.objects.exists()


def test_restarting_a_finished_import_changes_nothing(admin, ready_job, commit):
    commit(admin, ready_job)
    ready_job.refresh_from_db()
    finished_at = ready_job.finished_at
    restart(admin, ready_job)
    ready_job.refresh_from_db()
    assert (ready_job.status, ready_job.finished_at) == (ImportJob.Status.DONE, finished_at)
    assert Person.objects.count() == 3


def test_restart_is_refused_to_get_requests(admin, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    assert admin.get(reverse("imports:restart", args=["hydro", job.pk])).status_code == 405
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_admin_of_other_org_gets_404_on_restart(login, other_admin_user, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    response = login(other_admin_user).post(reverse("imports:restart", args=["hydro", job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_mentee_gets_403_on_restart(login, mentee_user, ready_job):
    job = left_in(ready_job, ImportJob.Status.RUNNING, minutes_ago=11)
    response = login(mentee_user).post(reverse("imports:restart", args=["hydro", job.pk]))
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


@pytest.mark.django_db(transaction=True)
def test_every_batch_written_is_a_sign_of_life_seen_by_the_page(
    organisation, admin_user, monkeypatch
):
    """During the write transaction, another connection sees the job's sign of life move on."""
    from laurier.imports import importers
    from laurier.imports.progress import ProgressReporter, last_progress_at
    from laurier.organisations.models import Membership

    monkeypatch.setattr(importers, "BATCH_SIZE", 2)
    lines = [["courriel", "prénom", "nom"]] + [
        [f"p{n}@example.org", "Prénom", f"Nom {n}"] for n in range(5)
    ]
    job = services.create_import(
        membership=Membership.objects.get(user=admin_user), user=admin_user, kind="people",
        program=None, uploaded_file=csv_file(lines),
    )  # fmt: skip
    seen = []
    report = ProgressReporter.report

    def report_and_look(reporter, processed_rows):
        # Longer than the clock tick of file modification times.
        time.sleep(0.02)
        report(reporter, processed_rows)
        seen.append(last_progress_at(ImportJob.objects.get(pk=job.pk)))

    monkeypatch.setattr(ProgressReporter, "report", report_and_look)
    services.start_import(job, user=admin_user)
    assert len(seen) == 3
    assert seen[0] < seen[1] < seen[2]


def test_a_second_run_that_finds_the_job_finished_by_the_first_leaves_it_done(
    ready_job, monkeypatch
):
    """Restarted while its first worker was in fact alive: the first finishes and deletes the
    file just as the second is about to read it."""
    job = left_in(ready_job, ImportJob.Status.QUEUED, minutes_ago=11)

    def first_run_finishes_meanwhile(job):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, file="")
        raise FileNotFoundError(job.file.name)

    monkeypatch.setattr(services, "_read_job_file", first_run_finishes_meanwhile)
    job = services.run_import(job)
    assert job.status == ImportJob.Status.DONE
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
