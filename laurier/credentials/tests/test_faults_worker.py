"""A real task worker (`manage.py db_worker`, a subprocess) killed with SIGKILL in the middle of a
bulk awarding: the job resumes where it stood, and nobody holds the badge twice.

The worker must see the test's data, so the data is committed (`transactional_db`) to a database
another process can open. On PostgreSQL that is the test database itself. On SQLite the test
database lives in this process's memory: the `shared_database` fixture copies it (migrated,
still empty) into a file with SQLite's backup API and points this process's connection at the
file for the test, then puts the in-memory database back.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.db import connection
from django.utils import timezone

from laurier.credentials.models import Credential, IssuanceJob
from laurier.credentials.services import bulk
from laurier.testing import factories

# Two chunks: the worker is killed once the first is committed, while it signs the second.
PEOPLE = 2 * bulk.CHUNK
DEADLINE_SECONDS = 60


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The URL of a database both this test and a subprocess use, with committed data."""
    if connection.vendor == "postgresql":
        yield postgres_url(connection.settings_dict)
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    with sqlite3.connect(path) as copy:
        in_memory.backup(copy)
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = in_memory


def postgres_url(database):
    user = urllib.parse.quote(database["USER"] or "")
    password = urllib.parse.quote(database["PASSWORD"] or "")
    host = urllib.parse.quote(database["HOST"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql://{credentials}{host}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.fixture
def start_worker(shared_database, tmp_path, settings):
    """Start `manage.py db_worker` on the shared database; every worker is killed at the end."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    environment = {
        **os.environ,
        "DATABASE_URL": shared_database,
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
