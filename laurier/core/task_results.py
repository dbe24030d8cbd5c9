"""The task queue's rows a stopped worker leaves behind.

A worker killed in the middle of a task (a restart, the machine's memory) never marks its
row: it stays "running" forever. The work has its own state: a bulk issuance is resumed by
the daily command (credentials.services.bulk), an import shows as stopped on its page, with
a button to start it again (imports.progress).
No task of Laurier runs for hours, so a row still running after ABANDONED_AFTER is marked
failed, with the reason, by the daily command (recognition_daily).
"""

import datetime

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

ABANDONED_AFTER = datetime.timedelta(hours=6)


class WorkerStopped(Exception):
    """Recorded as the failure of a task whose worker stopped while running it."""


def fail_abandoned_task_results(now=None):
    """Mark failed the task rows still running ABANDONED_AFTER after they started; returns
    how many."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}",
        traceback=(
            f"The worker stopped while running this task: still running {ABANDONED_AFTER} "
            "after it started."
        ),
    )
