"""Work on large files, done by the task worker while the page shows the progress."""

from django_tasks import task

from .models import ImportJob
from .services import apply_when_checked, check_import, run_import


@task()
def check_import_task(job_id):
    """Check a large uploaded file row by row (nothing is written), then write it at once
    if it applies itself (HR sync, API)."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).first()
    if job is not None:
        apply_when_checked(check_import(job), in_background=False)


@task()
def run_import_task(job_id):
    """Write a large checked file; run_import itself refuses to run a job twice."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        run_import(job)
