import datetime

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import Inbox
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import (
    RETRY_DELAYS_MINUTES,
    deliver,
    deliver_due_emails,
    queue_email,
    queue_emails,
)
from laurier.testing.network import unused_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_port(settings):
    """An SMTP address that nothing answers yet; `start_smtp_server` brings it up."""
    port = unused_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    return port


@pytest.fixture
def start_smtp_server(smtp_port):
    controllers = []

    def start():
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def queue(organisation, **changes):
    fields = {"to": "lea@example.org", "subject": "Bonjour", "text": "Texte", **changes}
    return queue_email(organisation=organisation, **fields)


def later(minutes):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_a_queued_email_reaches_the_smtp_server(smtp_server, organisation):
    email = queue(organisation, html="<p>Texte</p>")

    [message] = smtp_server.messages
    assert message["To"] == "lea@example.org"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>Texte</p>"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None


def test_an_email_waits_while_the_smtp_server_is_down(smtp_port, organisation):
    email = queue(organisation)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING
    assert email.attempts == 1
    assert email.next_attempt_at > timezone.now()
    assert email.last_error


def test_smtp_down_then_up_delivers_every_message_exactly_once(start_smtp_server, organisation):
    for number in range(3):
        queue(organisation, subject=f"Message {number}")
    inbox = start_smtp_server()

    sent = deliver_due_emails(now=later(RETRY_DELAYS_MINUTES[0] + 1))
    deliver_due_emails(now=later(RETRY_DELAYS_MINUTES[-1] * 10))

    assert sent == 3
    assert sorted(message["Subject"] for message in inbox.messages) == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]


def test_a_sent_email_is_never_sent_again(smtp_server, organisation):
    email = queue(organisation)

    assert deliver(email.pk) is False
    assert len(smtp_server.messages) == 1


def test_retries_wait_longer_each_time(smtp_port, organisation):
    email = queue(organisation)
    delays = []
    for _attempt in range(3):
        email.refresh_from_db()
        delays.append(email.next_attempt_at - timezone.now())
        deliver(email.pk)

    assert delays[0] < delays[1] < delays[2]


def test_the_outbox_gives_up_after_its_last_retry(smtp_port, organisation):
    email = queue(organisation)
    for _attempt in RETRY_DELAYS_MINUTES:
        deliver(email.pk)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == len(RETRY_DELAYS_MINUTES) + 1


def test_an_email_queued_in_a_rolled_back_change_leaves_nothing_to_send(settings, organisation):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(organisation)
        assert DBTaskResult.objects.count() == 1
        raise RuntimeError("the change failed")

    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_worker_finds_the_delivery_task_once_the_change_commits(settings, organisation):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = queue(organisation)

    [task] = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [email.pk]


def test_send_outbox_command_sends_what_is_due(start_smtp_server, organisation, capsys):
    queue(organisation)
    inbox = start_smtp_server()
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())

    call_command("send_outbox")

    assert len(inbox.messages) == 1
    assert "1" in capsys.readouterr().out


def test_emails_queued_together_all_arrive(smtp_server, organisation):
    messages = [
        {"to": f"mentor{number}@example.org", "subject": f"Message {number}", "text": "Texte"}
        for number in range(250)
    ]

    queue_emails(organisation=organisation, messages=messages)

    assert len(smtp_server.messages) == 250
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


def test_emails_queued_together_leave_in_batches_over_one_connection_each(settings, organisation):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    messages = [{"to": "lea@example.org", "subject": "S", "text": "T"}] * 250

    queue_emails(organisation=organisation, messages=messages)

    batches = [task.args_kwargs["args"][0] for task in DBTaskResult.objects.all()]
    assert sorted(len(batch) for batch in batches) == [50, 100, 100]


def test_a_batch_waits_while_the_smtp_server_is_down(smtp_port, organisation):
    queue_emails(
        organisation=organisation,
        messages=[{"to": "lea@example.org", "subject": "S", "text": "T"}] * 3,
    )

    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {
        (OutgoingEmail.Status.PENDING, 1)
    }
