"""Reads for the webhook pages: endpoints with how their latest delivery went, and the log."""

from django.db.models import Count, OuterRef, Q, Subquery

from laurier.outbox.models import OutgoingWebhook

from .models import Event, WebhookEndpoint

LATEST_FIELDS = ("status", "attempts", "created_at", "last_error")


def endpoint_rows(organisation):
    """The organisation's endpoints, each with its latest delivery's status, attempts, time
    and error (`latest_status`, …) and its number of failed deliveries: one query."""
    latest = OutgoingWebhook.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    return (
        WebhookEndpoint.objects.filter(organisation=organisation)
        .annotate(
            **{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in LATEST_FIELDS},
            failed_count=Count(
                "deliveries", filter=Q(deliveries__status=OutgoingWebhook.Status.FAILED)
            ),
        )
        .order_by("created_at", "pk")
    )


# The log's filters: what each shows.
LOG_FILTERS = {
    "failed": Q(status=OutgoingWebhook.Status.FAILED),
    "retrying": Q(status=OutgoingWebhook.Status.PENDING),
    "sent": Q(status=OutgoingWebhook.Status.SENT),
}


def delivery_log(endpoint, shown=""):
    """The endpoint's deliveries, newest first (page it: an endpoint gets thousands);
    `shown`: a key of LOG_FILTERS, or everything."""
    return (
        OutgoingWebhook.objects.filter(endpoint=endpoint)
        .filter(LOG_FILTERS.get(shown, Q()))
        .only(
            "pk",
            "endpoint_id",
            "event",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "created_at",
            "sent_at",
        )
        .order_by("-created_at", "-pk")
    )


def event_labels():
    """{event: its label}, for pages that show an endpoint's events."""
    return dict(Event.choices)
