from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laurier.organisations.models import Organisation


class OutgoingEmail(models.Model):
    """An e-mail written in the same transaction as the change that causes it.

    The task worker sends it; a failed attempt is retried with a growing delay, so nothing is
    lost while the SMTP server is down, and a sent message is never sent again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")
        CANCELLED = "cancelled", _("Withdrawn before it was sent")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outgoing_emails"
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # Small text files sent with the message ([{"filename", "mimetype", "content"}]): an event's
    # .ics invitation. Kept in the row, so a retry sends exactly what was queued.
    attachments = models.JSONField(default=list, blank=True)
    # What the message is about ("survey-invitation:42"): lets a caller avoid queuing twice.
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    # The group the message belongs to ("campaign:42"): lets a page tell how its e-mails fared.
    topic = models.CharField(_("topic"), max_length=100, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(fields=["organisation", "reason"], name="outbox_reason"),
            models.Index(fields=["organisation", "topic", "status"], name="outbox_topic"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class OutgoingWebhook(models.Model):
    """A JSON post to a team chat's incoming webhook (Slack, Microsoft Teams), written in the
    same transaction as the change it announces and sent by the task worker like an e-mail:
    retried with a growing delay while the chat is unreachable, given up at once when the chat
    refuses the post for good (a wrong or revoked address)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")
        CANCELLED = "cancelled", _("Withdrawn before it was sent")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="outgoing_webhooks"
    )
    # Kept in the row: a post queued before the organisation changes its address still goes
    # where it was meant to.
    url = models.URLField(_("address"), max_length=1000)
    payload = models.JSONField(_("content"))
    # For a post to an organisation's webhook endpoint (not a team chat): the endpoint, whose
    # secret signs the post when it leaves, and the event announced.
    endpoint = models.ForeignKey(
        "api.WebhookEndpoint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40, blank=True)
    # What the post is about ("award-chat:42"): lets a caller avoid posting twice.
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing chat post")
        verbose_name_plural = _("outgoing chat posts")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_webhook_pending_due",
            ),
            models.Index(fields=["organisation", "reason"], name="outbox_webhook_reason"),
        ]

    def __str__(self):
        return f"{self.url} ({self.reason or self.pk})"
