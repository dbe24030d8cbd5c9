"""Background work of the organisations app: e-mails leave through the task queue."""

from django_tasks import task

from . import services


@task()
def send_invitation_email(invitation_id):
    """Send an invitation's e-mail; queued in the transaction that creates or refreshes it."""
    return services.send_invitation(invitation_id)
