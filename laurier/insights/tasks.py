"""Work too long for a web request: the annual report, made while the page shows its progress."""

from django_tasks import task

from .services import build_report


@task()
def build_report_task(report_id):
    """Build a queued annual report; build_report leaves alone a report no longer queued."""
    build_report(report_id)
