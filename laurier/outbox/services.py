"""Writes of the outbox: queue an e-mail or a team-chat post inside the caller's transaction,
deliver it later."""

import contextlib
import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
import urllib.parse
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from .models import OutgoingEmail, OutgoingWebhook

logger = logging.getLogger(__name__)

# Minutes before each new attempt: nearly a day of patience in all, then give up.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60, 180, 360, 720)
# E-mails queued together leave in batches, each over one SMTP connection.
BATCH_SIZE = 100


def queue_email(*, organisation, to, subject, text, html="", reason="", topic="", attachments=()):
    """Record an e-mail for the task worker to send.

    Call it inside the transaction of the change that causes the e-mail: the e-mail and its
    task are rows of the same database, so a rolled-back change leaves no e-mail behind.
    `attachments`: small text files, as dicts with `filename`, `mimetype` and `content`.
    """
    email = OutgoingEmail.objects.create(
        organisation=organisation,
        to=to,
        subject=subject,
        text=text,
        html=html,
        reason=reason,
        topic=topic,
        attachments=list(attachments),
        next_attempt_at=timezone.now(),
    )
    _enqueue_delivery(email.pk)
    return email


def queue_emails(*, organisation, messages):
    """Record many e-mails at once (a campaign's invitations): one insert, and one task per
    batch of BATCH_SIZE that sends its batch over a single SMTP connection.

    `messages` are dicts with `to`, `subject`, `text` and optionally `html`, `reason` and
    `topic`.
    Like queue_email, call it inside the transaction of the change that causes them.
    """
    now = timezone.now()
    emails = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(organisation=organisation, next_attempt_at=now, **message)
        for message in messages
    )
    _enqueue_batches([email.pk for email in emails])
    return emails


def _enqueue_batches(ids):
    from .tasks import deliver_emails

    for start in range(0, len(ids), BATCH_SIZE):
        deliver_emails.enqueue(ids[start : start + BATCH_SIZE])


def retry_failed_emails(*, organisation, topic):
    """Send again the e-mails of `topic` the outbox gave up on; returns how many.

    Each starts over with a fresh round of attempts and the same text (a personal link in it
    stays valid). Only given-up e-mails move, inside one transaction that locks them: a second
    call, or a double submit, finds none left and sends nothing twice.
    """
    with transaction.atomic():
        ids = list(
            OutgoingEmail.objects.select_for_update()
            .filter(organisation=organisation, topic=topic, status=OutgoingEmail.Status.FAILED)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutgoingEmail.objects.filter(pk__in=ids).update(
            status=OutgoingEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        _enqueue_batches(ids)
    return len(ids)


def cancel_pending_emails(*, organisation, reason):
    """Withdraw the e-mails about `reason` that have not left yet (a revoked invitation's)."""
    return OutgoingEmail.objects.filter(
        organisation=organisation, reason=reason, status=OutgoingEmail.Status.PENDING
    ).update(status=OutgoingEmail.Status.CANCELLED, next_attempt_at=None)


def _enqueue_delivery(email_id, run_after=None):
    from .tasks import deliver_email

    if run_after is not None and default_task_backend.supports_defer:
        deliver_email.using(run_after=run_after).enqueue(email_id)
    elif run_after is None:
        deliver_email.enqueue(email_id)
    # Without deferred tasks (tests' immediate backend), `send_outbox` picks retries up.


def deliver(email_id, connection=None):
    """Send one pending e-mail; True when it left. Safe to run twice for the same e-mail.

    The row is locked while the message is handed to the SMTP server, so two workers never send
    the same e-mail; a failure schedules the next attempt instead of losing the message.
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=OutgoingEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        try:
            _message(email, connection).send()
        except Exception as error:  # noqa: BLE001 — any SMTP or network failure is retried
            logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
            _schedule_retry(email, error, _enqueue_delivery)
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "attempts"])
        return True


def _schedule_retry(row, error, enqueue):
    """After a failed attempt at an e-mail or a webhook: try again later (`enqueue(pk,
    run_after=...)`), each time waiting longer, then give up."""
    row.last_error = str(error)[:2000]
    if row.attempts > len(RETRY_DELAYS_MINUTES):
        row.status = row.Status.FAILED
        row.next_attempt_at = None
    else:
        delay = datetime.timedelta(minutes=RETRY_DELAYS_MINUTES[row.attempts - 1])
        row.next_attempt_at = timezone.now() + delay
        enqueue(row.pk, run_after=row.next_attempt_at)
    row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def message_id(email) -> str:
    """The Message-ID of an outgoing e-mail, the same at every attempt.

    SMTP cannot promise exactly once: a server may take a message and lose the connection
    before it answers, and the attempt that follows sends it again. With one Message-ID for
    every attempt, such a copy is recognisably the same message, which mail servers and
    clients drop as a duplicate.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or str(DNS_NAME)
    stamp = email.created_at.strftime("%Y%m%d%H%M%S%f") if email.created_at else "0"
    return f"<outbox.{email.pk}.{stamp}@{domain}>"


def _message(email, connection):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.to],
        connection=connection,
        headers={"Message-ID": message_id(email)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def deliver_due_emails(now=None):
    """Send every pending e-mail whose next attempt is due; returns how many left.

    The worker normally sends each e-mail on its own; this sweep (`manage.py send_outbox`)
    catches what a stopped worker or a lost task left behind.
    """
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return deliver_batch(list(due))


def deliver_batch(email_ids):
    """Send several pending e-mails over one SMTP connection; returns how many left."""
    connection = get_connection()
    # When the server is down, each e-mail below fails on its own and is rescheduled.
    with contextlib.suppress(OSError):
        connection.open()
    try:
        return sum(deliver(pk, connection=connection) for pk in email_ids)
    finally:
        connection.close()


# --- Team-chat posts (incoming webhooks) ------------------------------------------------------

# Seconds a chat has to answer a post: a hung server must not hold a worker, nor the row lock.
WEBHOOK_TIMEOUT_SECONDS = 10
# 429 (too many requests) asks to come back later; the other 4xx say the post will never pass.
RETRYABLE_CLIENT_ERRORS = {408, 429}


class WebhookRefused(Exception):
    """The chat refused the post for good: sending it again would not help."""


def queue_webhook(*, organisation, url, payload, reason="", topic=""):
    """Record a JSON post to an incoming-webhook `url` for the task worker to send.

    Call it inside the transaction of the change the post announces, like queue_email: a
    rolled-back change leaves no post behind.
    """
    webhook = OutgoingWebhook.objects.create(
        organisation=organisation,
        url=url,
        payload=payload,
        reason=reason,
        topic=topic,
        next_attempt_at=timezone.now(),
    )
    _enqueue_webhook(webhook.pk)
    return webhook


def queue_endpoint_deliveries(deliveries):
    """Record unsaved OutgoingWebhook rows for an organisation's webhook endpoints (an event
    announced to each subscriber, perhaps for many objects at once): one insert, and one task
    per batch of BATCH_SIZE. Like queue_webhook, call it inside the transaction of the change.
    """
    now = timezone.now()
    for delivery in deliveries:
        delivery.next_attempt_at = now
    created = OutgoingWebhook.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in created]
    if len(ids) == 1:
        _enqueue_webhook(ids[0])
    else:
        from .tasks import deliver_webhooks

        for start in range(0, len(ids), BATCH_SIZE):
            deliver_webhooks.enqueue(ids[start : start + BATCH_SIZE])
    return created


def retry_webhook(webhook):
    """Send again a post the outbox gave up on, now, with a fresh round of attempts.

    Only a given-up post moves (the update is conditional): a double click sends it once.
    Returns whether it was queued again.
    """
    queued = OutgoingWebhook.objects.filter(
        pk=webhook.pk, status=OutgoingWebhook.Status.FAILED
    ).update(status=OutgoingWebhook.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    if queued:
        _enqueue_webhook(webhook.pk)
    return bool(queued)


def _enqueue_webhook(webhook_id, run_after=None):
    from .tasks import deliver_webhook as deliver_webhook_task

    if run_after is not None and default_task_backend.supports_defer:
        deliver_webhook_task.using(run_after=run_after).enqueue(webhook_id)
    elif run_after is None:
        deliver_webhook_task.enqueue(webhook_id)
    # Without deferred tasks (tests' immediate backend), `send_outbox` picks retries up.


def cancel_pending_webhooks(*, organisation, keep_url=""):
    """Withdraw the organisation's team-chat posts that have not left, except those to
    `keep_url` (deliveries to its webhook endpoints are not chat posts: they stay)."""
    return (
        OutgoingWebhook.objects.filter(
            organisation=organisation, status=OutgoingWebhook.Status.PENDING, endpoint=None
        )
        .exclude(url=keep_url or None)
        .update(status=OutgoingWebhook.Status.CANCELLED, next_attempt_at=None)
    )


def deliver_webhook(webhook_id):
    """Post one pending webhook; True when the far end accepted it. Safe to run twice.

    As for e-mails, the row stays locked while the far end answers, so two workers never post
    the same message. A 2xx answer is success; a 4xx other than 408 or 429 gives up at once
    with the answer's status kept; anything else (no answer, 5xx, 429) is retried later.
    A delivery to an organisation's webhook endpoint goes to the endpoint's address of the
    moment, signed with its secret of the moment (a rotated secret signs the retries too);
    an endpoint turned off since withdraws it.
    """
    with transaction.atomic():
        webhook = (
            OutgoingWebhook.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=webhook_id, status=OutgoingWebhook.Status.PENDING)
            .first()
        )
        if webhook is None:
            return False
        endpoint = webhook.endpoint
        if endpoint is not None and not endpoint.is_active:
            webhook.status = OutgoingWebhook.Status.CANCELLED
            webhook.next_attempt_at = None
            webhook.save(update_fields=["status", "next_attempt_at"])
            return False
        if endpoint is not None:
            webhook.url = endpoint.url
        webhook.attempts += 1
        try:
            _post(webhook.url, webhook.payload, sign=_signer(webhook))
        except WebhookRefused as error:
            logger.warning("Webhook %s refused: %s", webhook.pk, error)
            webhook.status = OutgoingWebhook.Status.FAILED
            webhook.next_attempt_at = None
            webhook.last_error = str(error)[:2000]
            webhook.save(
                update_fields=["url", "status", "attempts", "next_attempt_at", "last_error"]
            )
            return False
        except Exception as error:  # noqa: BLE001 — any network failure is retried
            logger.warning(
                "Webhook %s not sent (attempt %s): %s", webhook.pk, webhook.attempts, error
            )
            webhook.save(update_fields=["url"])
            _schedule_retry(webhook, error, _enqueue_webhook)
            return False
        webhook.status = OutgoingWebhook.Status.SENT
        webhook.sent_at = timezone.now()
        webhook.next_attempt_at = None
        webhook.last_error = ""
        webhook.save(
            update_fields=["url", "status", "sent_at", "next_attempt_at", "last_error", "attempts"]
        )
        return True


def signature_header(*, secret, body, timestamp):
    """The `Laurier-Signature` header of a post: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
    "<t>.<raw body>">` keyed by the endpoint's secret (Stripe's scheme). The time inside the
    signed text lets a receiver refuse an old post replayed."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _signer(webhook):
    """The headers that sign a delivery to a webhook endpoint; None for a team-chat post."""
    if webhook.endpoint is None:
        return None

    def sign(body):
        return {
            "Laurier-Signature": signature_header(
                secret=webhook.endpoint.secret, body=body, timestamp=int(time.time())
            ),
            "Laurier-Event": webhook.event,
            "Laurier-Delivery": str(webhook.pk),
        }

    return sign


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to by then:
    a name that answers a public address to the check and an internal one to the connection
    (DNS rebinding) reaches nothing inside. The request still names the host."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host's name."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _check_destination(url):
    """Refuse what a tenant's admin must not make the server reach: other schemes than the
    web's, and, outside development, addresses of the server's own network (loopback,
    private, link-local), where internal services answer.

    Returns the address to connect to: one of those checked (None in development, where the
    name is used as it resolves).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookRefused(f"Not a web address: {url[:100]}")
    if settings.DEBUG or settings.WEBHOOK_PRIVATE_ADDRESSES:
        return None
    try:
        addresses = [info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)]
    except OSError as error:
        raise OSError(f"Address not found: {parts.hostname}") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise WebhookRefused(f"Not a public address: {parts.hostname}")
    return addresses[0]


def _send(url, address, body, headers):
    """POST `body` to `url` through a connection to `address` (or the URL's host when None);
    returns the answer's status and the start of its text. Redirects are not followed."""
    parts = urllib.parse.urlsplit(url)
    secure = parts.scheme == "https"
    connection_class = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = connection_class(
        parts.hostname,
        parts.port or (443 if secure else 80),
        address or parts.hostname,
        timeout=WEBHOOK_TIMEOUT_SECONDS,
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(1000).decode(errors="replace")
    finally:
        connection.close()


def _post(url, payload, sign=None):
    """POST `payload` as JSON; `sign(body)` gives headers computed on the exact bytes sent."""
    address = _check_destination(url)
    body = json.dumps(payload).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Laurier"}
    if sign is not None:
        headers.update(sign(body))
    status, answer = _send(url, address, body, headers)
    if 200 <= status < 300:
        return
    # What the far end says stays in the log: it is not shown to the organisation's admin,
    # who could otherwise read internal pages through it.
    logger.info("Webhook answered %s: %s", status, answer)
    detail = f"HTTP {status} {http.client.responses.get(status, '')}".strip()
    if 300 <= status < 400:
        raise WebhookRefused(f"{detail} (redirects are not followed)")
    if 400 <= status < 500 and status not in RETRYABLE_CLIENT_ERRORS:
        raise WebhookRefused(detail)
    raise OSError(detail)


def deliver_due_webhooks(now=None):
    """Post every pending webhook whose next attempt is due; returns how many the chat took.

    Like deliver_due_emails, the `send_outbox` sweep behind the worker's own tasks.
    """
    now = now or timezone.now()
    due = OutgoingWebhook.objects.filter(
        status=OutgoingWebhook.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(deliver_webhook(pk) for pk in list(due))
