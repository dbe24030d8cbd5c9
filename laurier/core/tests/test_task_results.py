import datetime
import io

from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from laurier.core.task_results import ABANDONED_AFTER


def task_row(status, started_hours_ago):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        started_at=now - datetime.timedelta(hours=started_hours_ago),
        args_kwargs={"args": [], "kwargs": {}},
        task_path="laurier.imports.tasks.run_import_task",
        backend_name="default",
        run_after=now,
    )


def test_the_daily_command_marks_failed_only_the_tasks_left_running_too_long(db):
    hours = ABANDONED_AFTER.total_seconds() / 3600
    abandoned = task_row(TaskResultStatus.RUNNING, hours + 1)
    running = task_row(TaskResultStatus.RUNNING, hours - 1)
    finished = task_row(TaskResultStatus.SUCCESSFUL, hours + 1)
    call_command("recognition_daily", stdout=io.StringIO())
    for row in (abandoned, running, finished):
        row.refresh_from_db()
    assert (abandoned.status, running.status, finished.status) == (
        TaskResultStatus.FAILED,
        TaskResultStatus.RUNNING,
        TaskResultStatus.SUCCESSFUL,
    )
    assert abandoned.exception_class_path.endswith("WorkerStopped")
    assert abandoned.finished_at is not None
