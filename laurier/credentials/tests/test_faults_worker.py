"""A real task worker (`manage.py db_worker`, a subprocess) killed with SIGKILL in the middle of a
bulk awarding: the job resumes where it stood, and nobody holds the badge twice.

The worker must see the test's data, so the data is committed (`transactional_db`) to a database
another process can open: the test database itself on PostgreSQL, a file copy of it on SQLite
(laurier/testing/databases.py).
"""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laurier.core import task_results
from laurier.credentials.models import Credential, IssuanceJob
from laurier.credentials.services import bulk
from laurier.testing import factories
from laurier.testing.databases import shared_database

# Two chunks: the worker is killed once the first is committed, while it signs the second.
PEOPLE = 2 * bulk.CHUNK
DEADLINE_SECONDS = 60


@pytest.fixture
def shared_database_url(transactional_db, tmp_path):
    with shared_database(tmp_path) as url:
        yield url


@pytest.fixture
def start_worker(shared_database_url, tmp_path, settings):
    """Start `manage.py db_worker` on the shared database; every worker is killed at the end."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    environment = {
        **os.environ,
        "DATABASE_URL": shared_database_url,
        "LAURIER_DATA_DIR": str(tmp_path),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # Badge holders are told by e-mail: kept in the worker's memory, nothing leaves.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "0",
    }
    workers = []

    def start(*options):
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"]
            + ["--skip-checks"]
            + list(options),
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.wait()


def wait_for(condition, what):
    """Poll the database until `condition()` holds; fail after DEADLINE_SECONDS."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"Still waiting after {DEADLINE_SECONDS} s for {what}.")


def job_state(job):
    return IssuanceJob.objects.values_list("status", "done").get(pk=job.pk)


@pytest.fixture
def job(start_worker):
    organisation = factories.OrganisationFactory(slug="hydro")
    badge = factories.BadgeClassFactory(organisation=organisation)
    people = factories.PersonFactory.create_batch(PEOPLE, organisation=organisation)
    return bulk.start_issuance_job(badge, [person.pk for person in people], actor=None)


def test_a_worker_killed_mid_job_leaves_it_half_done_and_a_new_one_finishes_it_once(
    job, start_worker
):
    worker = start_worker()
    wait_for(lambda: 0 < job_state(job)[1] < PEOPLE, "the first chunk")
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert job_state(job) == (IssuanceJob.Status.RUNNING, bulk.CHUNK)

    # What the daily command (recognition_daily) does once the job has been silent too long.
    later = timezone.now() + bulk.STALLED_AFTER + datetime.timedelta(minutes=1)
    assert bulk.resume_stalled_jobs(now=later) == 1
    finisher = start_worker("--batch")
    assert finisher.wait(timeout=DEADLINE_SECONDS) == 0, finisher.stderr.read().decode()

    job.refresh_from_db()
    assert (job.status, job.done, job.issued) == (IssuanceJob.Status.DONE, PEOPLE, PEOPLE)
    holders = Credential.objects.filter(badge_class=job.badge_class).values_list(
        "person_id", flat=True
    )
    assert sorted(holders) == sorted(job.person_ids)

    # The killed worker's task row stayed "running"; the daily command marks it failed later.
    much_later = timezone.now() + task_results.ABANDONED_AFTER + datetime.timedelta(minutes=1)
    assert task_results.fail_abandoned_task_results(now=much_later) == 1
    statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses.count(TaskResultStatus.FAILED) == 1
    assert TaskResultStatus.RUNNING not in statuses
