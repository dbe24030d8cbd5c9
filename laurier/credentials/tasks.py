"""Work too long for a web request: awarding a badge to many people, applying badge rules."""

from django_tasks import task

from .models import IssuanceJob
from .services.bulk import run_job
from .services.rules import apply_rules


@task()
def run_issuance_job(job_id):
    """Award a badge to the job's people; a job already done is left alone."""
    job = (
        IssuanceJob.objects.select_related("badge_class__organisation", "created_by")
        .exclude(status=IssuanceJob.Status.DONE)
        .filter(pk=job_id)
        .first()
    )
    if job is not None:
        run_job(job)


@task()
def apply_badge_rules(organisation_id):
    """Issue the badges people earned by a rule since the last run."""
    from laurier.organisations.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        apply_rules(organisation)
