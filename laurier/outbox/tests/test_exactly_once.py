"""The outbox's promise, proven with a real SMTP server: nothing lost, nothing sent twice.

A real aiosmtpd server listens on 127.0.0.1. It is stopped, awards are given (each queues its
mentor's e-mail in the transaction that gives it), every delivery attempt fails and is
rescheduled; the server comes back on the same port, time moves past the back-off, and every
message arrives exactly once.
"""

import collections
import datetime
from decimal import Decimal

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import Inbox
from laurier.core.dates import fiscal_year_of, organisation_today
from laurier.outbox import tasks
from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import RETRY_DELAYS_MINUTES, deliver, deliver_due_emails
from laurier.recognition.services import awards
from laurier.testing import factories
from laurier.testing.network import unused_port

pytestmark = pytest.mark.django_db

MENTORS = (("Léa", "fr-ca"), ("Marc", "fr-ca"), ("John", "en"), ("Amina", "en"), ("Hugo", "fr-ca"))


class SmtpServer:
    """A real SMTP server on one local port that a test stops and starts again."""

    def __init__(self, port):
        self.port = port
        self.controller = None
        self.inboxes = []

    def start(self):
        inbox = Inbox()
        self.controller = Controller(inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.inboxes.append(inbox)
        return inbox

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self):
        """Every message any run of the server received."""
        return [message for inbox in self.inboxes for message in inbox.messages]


@pytest.fixture
def smtp(settings):
    server = SmtpServer(unused_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.fixture
def today(organisation, monkeypatch):
    day = organisation_today(organisation)
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: day)
    return day


@pytest.fixture
def approved_awards(organisation, program, manager_user, today):
    """One approved card for each of five mentors, French- and English-speaking."""
    factories.BudgetFactory(
        program=program,
        fiscal_year=fiscal_year_of(organisation, today),
        money=Decimal("1000.00"),
        staff_hours=Decimal("20.00"),
        material_items=50,
    )
    card = factories.RecognitionOptionFactory(
        organisation=organisation, name_fr="Carte manuscrite", name_en="Handwritten card"
    )
    made = []
    for first_name, language in MENTORS:
        mentor = factories.MentorEnrolmentFactory(
            program=program,
            person__first_name=first_name,
            person__email=f"{first_name.lower().replace('é', 'e')}@example.org",
            person__language=language,
        ).person
        award, _created = awards.add_award(
            program=program, mentor=mentor, option=card, planned_on=today, actor=manager_user
        )
        made.append(awards.approve_award(award, actor=manager_user))
    return made


def give_all(approved_awards, manager_user, today):
    return [
        awards.give_award(award, actor=manager_user, given_on=today) for award in approved_awards
    ]


def award_emails():
    return OutgoingEmail.objects.filter(reason__startswith="award-given:").order_by("pk")


def after_the_back_off(attempt=1):
    """A moment past the delay before the next attempt, once `attempt` attempts failed."""
    minutes = RETRY_DELAYS_MINUTES[attempt - 1] + 1
    return timezone.now() + datetime.timedelta(minutes=minutes)


def arrivals(server):
    """How many times each (recipient, subject) arrived."""
    return collections.Counter(
        (message["To"], message["Subject"].strip()) for message in server.received
    )


def test_the_server_receives_an_award_email_while_it_is_up(
    smtp, approved_awards, manager_user, today
):
    smtp.start()

    awards.give_award(approved_awards[0], actor=manager_user, given_on=today)

    assert [message["To"] for message in smtp.received] == ["lea@example.org"]
    assert award_emails().get().status == OutgoingEmail.Status.SENT


def test_awards_given_while_the_server_is_down_wait_in_the_outbox(
    smtp, approved_awards, manager_user, today
):
    smtp.start()
    smtp.stop()

    given = give_all(approved_awards, manager_user, today)

    emails = list(award_emails())
    assert sorted(email.reason for email in emails) == sorted(
        f"award-given:{award.pk}" for award in given
    )
    for email in emails:
        assert email.status == OutgoingEmail.Status.PENDING
        assert email.attempts >= 1
        assert email.last_error
        assert email.next_attempt_at > timezone.now()
    assert smtp.received == []


def test_after_the_server_restarts_every_award_email_arrives_exactly_once(
    smtp, approved_awards, manager_user, today
):
    smtp.start()
    smtp.stop()
    given = give_all(approved_awards, manager_user, today)
    # Still down when the first retry is due: a second failure, a longer wait.
    assert deliver_due_emails(now=after_the_back_off(1)) == 0
    assert set(award_emails().values_list("attempts", flat=True)) == {2}

    smtp.start()
    sent = deliver_due_emails(now=after_the_back_off(2))

    assert sent == len(given)
    counts = arrivals(smtp)
    assert sorted(to for to, _subject in counts) == sorted(award.mentor.email for award in given)
    assert set(counts.values()) == {1}
    assert ("john@example.org", "Hydro Laurentides: thank you for your mentoring, John") in counts
    assert set(award_emails().values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_a_second_sweep_after_the_restart_sends_nothing_more(
    smtp, approved_awards, manager_user, today
):
    smtp.stop()
    give_all(approved_awards, manager_user, today)
    smtp.start()
    deliver_due_emails(now=after_the_back_off(1))

    again = deliver_due_emails(now=after_the_back_off(len(RETRY_DELAYS_MINUTES)))

    assert again == 0
    assert len(smtp.received) == len(approved_awards)


def test_a_sent_award_email_is_never_sent_again_when_its_task_runs_again(
    smtp, approved_awards, manager_user, today
):
    smtp.start()
    award = awards.give_award(approved_awards[0], actor=manager_user, given_on=today)
    email = award_emails().get()

    assert deliver(email.pk) is False
    tasks.deliver_email.call(email.pk)

    assert len(smtp.received) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.reason) == (
        OutgoingEmail.Status.SENT,
        1,
        f"award-given:{award.pk}",
    )


def test_giving_an_award_again_while_the_server_is_down_queues_nothing_more(
    smtp, approved_awards, manager_user, today
):
    smtp.stop()
    give_all(approved_awards, manager_user, today)
    give_all(approved_awards, manager_user, today)
    smtp.start()

    deliver_due_emails(now=after_the_back_off(1))

    assert award_emails().count() == len(approved_awards)
    assert set(arrivals(smtp).values()) == {1}


def test_feedback_invitations_sent_while_the_server_is_down_arrive_exactly_once(
    smtp, approved_awards, manager_user, today
):
    smtp.start()
    given = give_all(approved_awards, manager_user, today)
    smtp.stop()
    due = given[0].feedback_due_on

    assert awards.ask_due_feedback(today=due) == len(given)
    invitations = OutgoingEmail.objects.filter(reason__startswith="survey-invitation:")
    assert set(invitations.values_list("status", flat=True)) == {OutgoingEmail.Status.PENDING}
    smtp.start()
    deliver_due_emails(now=after_the_back_off(1))
    deliver_due_emails(now=after_the_back_off(len(RETRY_DELAYS_MINUTES)))

    counts = arrivals(smtp)
    assert set(counts.values()) == {1}
    # Each mentor: the award's e-mail, then the feedback survey's.
    assert len(counts) == 2 * len(given)
    assert set(invitations.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_a_refused_award_leaves_nothing_in_the_outbox(smtp, approved_awards, manager_user, today):
    smtp.stop()

    with pytest.raises(ValidationError):
        awards.give_award(
            approved_awards[0], actor=manager_user, given_on=today, money=Decimal("5000.00")
        )
    smtp.start()
    deliver_due_emails(now=after_the_back_off(len(RETRY_DELAYS_MINUTES)))

    assert not award_emails().exists()
    assert smtp.received == []
