"""Writes of the outbox: queue an e-mail inside the caller's transaction, deliver it later."""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Minutes before each new attempt: nearly a day of patience in all, then give up.
RETRY_DELAYS_MINUTES = (1, 5, 15, 60, 180, 360, 720)


def queue_email(*, organisation, to, subject, text, html="", reason=""):
    """Record an e-mail for the task worker to send.

    Call it inside the transaction of the change that causes the e-mail: the e-mail and its
    task are rows of the same database, so a rolled-back change leaves no e-mail behind.
    """
    email = OutgoingEmail.objects.create(
        organisation=organisation,
        to=to,
        subject=subject,
        text=text,
        html=html,
        reason=reason,
        next_attempt_at=timezone.now(),
    )
    _enqueue_delivery(email.pk)
    return email


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


def deliver(email_id):
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
            _message(email).send()
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


def _message(email):
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
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
    return sum(deliver(pk) for pk in list(due))
