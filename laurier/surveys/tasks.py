"""Tasks of survey campaigns: invitations and reminders leave through the outbox.

Each task is idempotent (see services.campaigns): running it twice, or after a crash halfway,
never sends anyone the same e-mail twice.
"""

from django_tasks import task

from .models import Campaign
from .services import campaigns as services


@task()
def queue_campaign_invitations(campaign_id):
    """Queue the invitation e-mail of every recipient of a campaign not invited yet."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return services.queue_invitations(campaign) if campaign else 0


@task()
def queue_campaign_reminders(campaign_id):
    """Queue the reminder e-mail of everyone remindable, stamping each as it is queued."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return services.queue_reminders(campaign) if campaign else 0


@task()
def send_campaign_reminders(campaign_id):
    """The automatic reminder, run `remind_after_days` after the launch; nothing once closed."""
    return services.send_automatic_reminders(campaign_id)
