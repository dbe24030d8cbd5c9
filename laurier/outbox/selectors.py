"""Reads of the outbox: how a group of e-mails (a campaign's) fared."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import OutgoingEmail, OutgoingWebhook

# Given-up e-mails listed on a page; the others are counted.
FAILED_LISTED = 20


@dataclass
class DeliveryReport:
    sent: int = 0
    waiting: int = 0
    retrying: int = 0
    failed: int = 0
    # The first FAILED_LISTED given-up e-mails: address, attempts and the server's last error.
    failed_emails: list = field(default_factory=list)

    @property
    def total(self):
        return self.sent + self.waiting + self.retrying + self.failed

    @property
    def failed_not_listed(self):
        return self.failed - len(self.failed_emails)


def delivery_report(organisation, topic, *, failed_listed=FAILED_LISTED):
    """The e-mails of `topic` by delivery state, in two queries whatever their number.

    Waiting: not tried yet. Retrying: tried, failed, tried again later. Failed: the outbox gave
    up. E-mails withdrawn before leaving are not counted.
    """
    emails = OutgoingEmail.objects.filter(organisation=organisation, topic=topic)
    pending = Q(status=OutgoingEmail.Status.PENDING)
    counts = emails.aggregate(
        sent=Count("pk", filter=Q(status=OutgoingEmail.Status.SENT)),
        waiting=Count("pk", filter=pending & Q(attempts=0)),
        retrying=Count("pk", filter=pending & Q(attempts__gt=0)),
        failed=Count("pk", filter=Q(status=OutgoingEmail.Status.FAILED)),
    )
    failed_emails = []
    if counts["failed"]:
        failed_emails = list(
            emails.filter(status=OutgoingEmail.Status.FAILED)
            .order_by("to", "pk")
            .only("to", "attempts", "last_error", "created_at")[:failed_listed]
        )
    return DeliveryReport(**counts, failed_emails=failed_emails)


def latest_webhook(organisation):
    """The organisation's latest team-chat post, to tell an admin whether the chat answers."""
    return (
        OutgoingWebhook.objects.filter(organisation=organisation, endpoint=None)
        .only("status", "attempts", "last_error", "created_at", "sent_at", "next_attempt_at")
        .order_by("-created_at", "-pk")
        .first()
    )
