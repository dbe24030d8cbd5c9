"""Work too long for a web request, done by the task worker while the page shows its progress."""

from django_tasks import task

from .models import Plan
from .services.plans import compute_plan


@task()
def compute_plan_task(plan_id):
    """Compute a plan of a large program; compute_plan leaves alone a plan no longer computing."""
    plan = Plan.objects.filter(pk=plan_id, status=Plan.Status.COMPUTING).first()
    if plan is not None:
        compute_plan(plan)
