"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1) that fails: what "exactly once"
means for e-mail.

Down then up: every message is kept with a growing back-off while nothing answers, then arrives
once, under its own Message-ID. A server that takes the message and drops the connection before
it answers is the limit of SMTP: the sender cannot know the message arrived, so it sends it again.
Delivery is at least once, and every attempt carries the same Message-ID, by which mail servers
and clients recognise the second copy as the same message and drop it. (Award and survey e-mails
going through a real outage are in test_exactly_once.py; retries and batches in
test_delivery.py.)
"""

import collections
import datetime

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from conftest import Inbox
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import (
    RETRY_DELAYS_MINUTES,
    deliver_due_emails,
    message_id,
    queue_email,
)
from laurier.testing.network import unused_port

pytestmark = pytest.mark.django_db


class DroppingInbox(Inbox):
    """Takes each message, then for the first `drops` of them closes the connection instead of
    answering "250", as a server that crashes or a network that fails at that moment would."""

    def __init__(self, drops):
        super().__init__()
        self.drops = drops

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if self.drops:
            self.drops -= 1
            server.transport.abort()
        return answer


@pytest.fixture
def smtp(settings):
    """One local SMTP port; `smtp.start(inbox)` brings a server up on it."""
    port = unused_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    controllers = []

    class Server:
        def start(self, inbox):
            controller = Controller(inbox, hostname="127.0.0.1", port=port)
            controller.start()
            controllers.append(controller)
            return inbox

    yield Server()
    for controller in controllers:
        controller.stop()


def queue_three(organisation):
    return [
        queue_email(organisation=organisation, to=f"p{n}@example.org", subject="Merci", text="…")
        for n in range(3)
    ]


def after_attempts(count):
    """A moment past the back-off that follows `count` failed attempts."""
    minutes = RETRY_DELAYS_MINUTES[count - 1] + 1
    return timezone.now() + datetime.timedelta(minutes=minutes)


def message_ids(inbox):
    return collections.Counter(message["Message-ID"] for message in inbox.messages)


def test_emails_queued_while_the_server_is_down_wait_with_a_back_off(smtp, organisation):
    emails = queue_three(organisation)  # the immediate task tries once, in vain

    assert deliver_due_emails() == 0  # not due again before the back-off

    waiting = OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails])
    assert set(waiting.values_list("status", "attempts")) == {(OutgoingEmail.Status.PENDING, 1)}
    assert all(email.next_attempt_at > timezone.now() for email in waiting)


def test_down_then_up_each_email_arrives_once_under_its_own_message_id(smtp, organisation):
    emails = queue_three(organisation)
    inbox = smtp.start(Inbox())

    assert deliver_due_emails(now=after_attempts(1)) == 3

    assert message_ids(inbox) == collections.Counter(message_id(email) for email in emails)
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_connection_dropped_after_the_data_sends_the_same_message_again(smtp, organisation):
    inbox = smtp.start(DroppingInbox(drops=1))
    email = queue_email(organisation=organisation, to="lea@example.org", subject="Merci", text="…")
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)

    assert deliver_due_emails(now=after_attempts(1)) == 1

    assert message_ids(inbox) == {message_id(email): 2}
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 2)
    assert deliver_due_emails(now=after_attempts(len(RETRY_DELAYS_MINUTES))) == 0
    assert len(inbox.messages) == 2


def test_every_email_has_a_message_id_of_its_own(organisation):
    first, second = queue_three(organisation)[:2]

    assert message_id(first) != message_id(second)
    assert message_id(first) == message_id(OutgoingEmail.objects.get(pk=first.pk))
