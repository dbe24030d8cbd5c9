"""How far a running import has gone, told while its transaction is still open.

An import writes all its rows in one transaction, so a `processed_rows` value
saved through that transaction would stay invisible to the page that polls it
until the very end. The reporter writes it beside the transaction instead:
through a second, autocommitting connection on PostgreSQL; on SQLite, which
allows one writer at a time and always lives on one machine, into a small
file next to the data.
"""

import contextlib
import datetime
import os

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from .models import STALE_AFTER, ImportJob


def progress_file(job_id):
    return settings.DATA_DIR / "import-progress" / str(job_id)


class ProgressReporter:
    """Publishes a job's processed row count to other processes during its write transaction."""

    def __init__(self, job):
        self.job_id = job.pk
        self.side_connection = None
        self.path = None
        if connection.in_atomic_block:
            # A transaction around ours may hold the job row: a second connection would wait
            # on it forever. Such callers (tests, scripts) get the count when the job ends.
            return
        if connection.vendor == "postgresql":
            wrapper = connections[DEFAULT_DB_ALIAS]
            self.side_connection = type(wrapper)(dict(wrapper.settings_dict), wrapper.alias)
        elif connection.vendor == "sqlite":
            self.path = progress_file(job.pk)
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def report(self, processed_rows):
        if self.side_connection is not None:
            with self.side_connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s, progress_at = %s"
                    " WHERE id = %s",
                    [processed_rows, timezone.now(), self.job_id],
                )
        elif self.path is not None:
            # The file's modification time is the job's sign of life (see last_progress_at).
            partial = self.path.with_suffix(".partial")
            partial.write_text(str(processed_rows))
            os.replace(partial, self.path)

    def close(self):
        if self.side_connection is not None:
            self.side_connection.close()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def live_processed_rows(job):
    """The processed row count of a job, including what a running import reported on the side."""
    if job.status == ImportJob.Status.RUNNING and connection.vendor == "sqlite":
        try:
            return max(job.processed_rows, int(progress_file(job.pk).read_text() or 0))
        except (FileNotFoundError, ValueError):
            pass
    return job.processed_rows


def last_progress_at(job):
    """When a job in progress last showed a sign of life, including reports written on the side."""
    latest = job.progress_at or job.created_at
    if job.status == ImportJob.Status.RUNNING and connection.vendor == "sqlite":
        try:
            modified = progress_file(job.pk).stat().st_mtime
        except FileNotFoundError:
            return latest
        latest = max(latest, datetime.datetime.fromtimestamp(modified, tz=datetime.UTC))
    return latest


def forget_progress(job):
    """Drop what a stopped import reported on the side, so that its next run starts from 0."""
    with contextlib.suppress(FileNotFoundError):
        progress_file(job.pk).unlink()


def is_stale(job, *, now=None):
    """Whether a job in progress stopped: no sign of life for STALE_AFTER.

    Its transaction never committed, so nothing it was writing was written.
    """
    if not job.is_in_progress:
        return False
    return last_progress_at(job) < (now or timezone.now()) - STALE_AFTER
