"""Work too long for a web request, done by the task worker while the page shows its progress."""

from django_tasks import task

from .models import Award, Event, NoteCampaign, Plan
from .services.awards import ask_feedback
from .services.events import queue_event_invitations, remind_due_events, tell_invited
from .services.notes import (
    close_due_note_campaigns,
    queue_note_invitations,
    send_campaign_notes,
)
from .services.plans import compute_plan


@task()
def compute_plan_task(plan_id):
    """Compute a plan of a large program; compute_plan leaves alone a plan no longer computing."""
    plan = Plan.objects.filter(pk=plan_id, status=Plan.Status.COMPUTING).first()
    if plan is not None:
        compute_plan(plan)


@task()
def ask_feedback_on_award(award_id):
    """On its feedback day, ask the mentor about an award; ask_feedback does it once."""
    award = Award.objects.filter(pk=award_id).first()
    if award is not None:
        ask_feedback(award)


@task()
def queue_note_invitations_task(campaign_id):
    """Queue the invitations of a thank-you note campaign; safe to run twice."""
    campaign = NoteCampaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        queue_note_invitations(campaign)


@task()
def close_note_campaign_task(campaign_id):
    """Close a note campaign once its last day has passed (it may be closed already)."""
    close_due_note_campaigns(campaigns=NoteCampaign.objects.filter(pk=campaign_id))


@task()
def queue_event_invitations_task(event_id):
    """Queue an event's invitations, each with its .ics; safe to run twice."""
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        queue_event_invitations(event)


@task()
def remind_events_task():
    """Remind the people coming to the events whose reminder day has come."""
    remind_due_events()


@task()
def tell_invited_task(event_id, kind, stamp="", reason=""):
    """Tell the people invited of an event's change or cancellation; safe to run twice."""
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        tell_invited(event, kind, stamp, reason)


@task()
def send_campaign_notes_task(campaign_id):
    """Send each mentor the approved notes of a closed campaign; safe to run twice."""
    campaign = NoteCampaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        send_campaign_notes(campaign)
