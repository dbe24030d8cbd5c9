"""Writes of the outbox: queue an e-mail inside the caller's transaction, deliver it later."""

import contextlib
import datetime
import logging

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Minutes before each new attempt: nearly a day of patience in all, then give up.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60, 180, 360, 720)
# E-mails queued together leave in batches, each over one SMTP connection.
BATCH_SIZE = 100


def queue_email(
    *, organisation, to, subject, text, html="", reason="", topic="", attachments=()
):
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
            _schedule_retry(email, error)
            return False
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.next_attempt_at = None
        email.last_error = ""
        email.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "attempts"])
        return True


def _schedule_retry(email, error):
    email.last_error = str(error)[:2000]
    if email.attempts > len(RETRY_DELAYS_MINUTES):
        email.status = OutgoingEmail.Status.FAILED
        email.next_attempt_at = None
    else:
        delay = datetime.timedelta(minutes=RETRY_DELAYS_MINUTES[email.attempts - 1])
        email.next_attempt_at = timezone.now() + delay
        _enqueue_delivery(email.pk, run_after=email.next_attempt_at)
    email.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def _message(email, connection):
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], connection=connection
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
