"""The outbox's task: one delivery attempt per run, rescheduled with back-off on failure."""

from django_tasks import task

from . import services


@task()
def deliver_email(email_id):
    """Try to send one queued e-mail; see services.deliver."""
    return services.deliver(email_id)


@task()
def deliver_emails(email_ids):
    """Send a batch of queued e-mails over one SMTP connection; see services.deliver_batch."""
    return services.deliver_batch(email_ids)


@task()
def deliver_webhook(webhook_id):
    """Try to post one queued team-chat message; see services.deliver_webhook."""
    return services.deliver_webhook(webhook_id)


@task()
def deliver_webhooks(webhook_ids):
    """Post a batch of queued webhooks (an event announced for many objects at once)."""
    return sum(services.deliver_webhook(pk) for pk in webhook_ids)
