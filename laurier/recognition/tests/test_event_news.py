"""Telling the people invited that an event changed or is cancelled: the request only saves and
enqueues; the task queues the e-mails in batches, to those whose invitation went out, and a
task run twice tells nobody twice."""

import datetime

import pytest
from django.utils import timezone

from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import deliver_due_emails
from laurier.recognition import tasks
from laurier.recognition.models import EventInvitation
from laurier.recognition.services import events as services

from .test_event_support import HOUR, invite_quietly, mentor, plan

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands for a task: remembers what it was enqueued with, runs nothing."""

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)


def invited(event, people):
    """Invitations that went out (their e-mail left)."""
    invitations = invite_quietly(event, people)
    EventInvitation.objects.filter(event=event).update(invited_at=timezone.now())
    return invitations


def sent_to(smtp_server):
    return sorted(message["To"] for message in smtp_server.messages)


def test_cancelling_does_not_tell_someone_whose_invitation_has_not_left(
    smtp_server, program, manager_user
):
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom")])
    # Invited a moment ago: the invitations' task has not run yet.
    invite_quietly(event, [mentor(program, "Ben", "Nom")])

    services.cancel_event(event, actor=manager_user, reason="Tempête")
    deliver_due_emails()

    assert sent_to(smtp_server) == ["ana.nom@example.org"]


def test_the_cancel_page_counts_only_those_whose_invitation_left(login, program, manager_user):
    from .test_event_support import event_url

    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom")])
    invite_quietly(event, [mentor(program, "Ben", "Nom")])

    response = login(manager_user).get(event_url("event_cancel", event))

    assert response.context["told"] == 1


def test_the_cancelling_request_queues_no_email_and_enqueues_the_task(
    monkeypatch, program, manager_user
):
    task = Recorder()
    monkeypatch.setattr(tasks, "tell_invited_task", task)
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom"), mentor(program, "Ben", "Nom")])

    services.cancel_event(event, actor=manager_user, reason="Tempête")

    assert not OutgoingEmail.objects.exists()
    assert task.calls == [(event.pk, "cancelled", "", "Tempête")]


def test_the_cancellation_task_run_twice_tells_each_person_once(smtp_server, program, manager_user):
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom"), mentor(program, "Ben", "Nom")])
    services.cancel_event(event, actor=manager_user, reason="Tempête")

    again = tasks.tell_invited_task.call(event.pk, "cancelled", "", "Tempête")
    deliver_due_emails()

    assert again is None
    assert sent_to(smtp_server) == ["ana.nom@example.org", "ben.nom@example.org"]


def test_the_cancellation_reaches_everyone_across_batches(
    monkeypatch, smtp_server, program, manager_user
):
    monkeypatch.setattr(services, "EMAIL_BATCH", 2)
    event = plan(program, manager_user)
    names = ("Ana", "Ben", "Cleo", "Dan", "Eve")
    invited(event, [mentor(program, name, "Nom") for name in names])

    services.cancel_event(event, actor=manager_user, reason="Tempête")
    deliver_due_emails()

    assert sent_to(smtp_server) == [f"{name.lower()}.nom@example.org" for name in names]


def move(event, actor, days=1):
    later = event.starts_at + datetime.timedelta(days=days)
    return services.edit_event(event, actor=actor, starts_at=later, ends_at=later + 3 * HOUR)


def test_the_changing_request_queues_no_email_and_enqueues_the_task(
    monkeypatch, program, manager_user
):
    task = Recorder()
    monkeypatch.setattr(tasks, "tell_invited_task", task)
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom")])

    move(event, manager_user)

    assert not OutgoingEmail.objects.exists()
    ((event_id, kind, stamp),) = task.calls
    assert (event_id, kind) == (event.pk, "changed")
    assert stamp


def test_a_change_is_told_once_to_those_invited_and_not_declining_even_if_the_task_runs_twice(
    monkeypatch, smtp_server, program, manager_user
):
    task = Recorder()
    monkeypatch.setattr(tasks, "tell_invited_task", task)
    event = plan(program, manager_user)
    coming, declining = invited(
        event, [mentor(program, "Ana", "Nom"), mentor(program, "Ben", "Nom")]
    )
    invite_quietly(event, [mentor(program, "Cleo", "Nom")])
    services.respond(coming, going=True)
    services.respond(declining, going=False)
    move(event, manager_user)
    ((event_id, kind, stamp),) = task.calls

    first = services.tell_invited(event, kind, stamp)
    second = services.tell_invited(event, kind, stamp)
    deliver_due_emails()

    assert (first, second) == (1, 0)
    assert sent_to(smtp_server) == ["ana.nom@example.org"]
    assert smtp_server.messages[0]["Subject"].strip().startswith("Modifié")


def test_each_change_is_news(smtp_server, program, manager_user):
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom")])

    move(event, manager_user, days=1)
    move(event, manager_user, days=2)
    deliver_due_emails()

    assert sent_to(smtp_server) == ["ana.nom@example.org", "ana.nom@example.org"]


def test_a_change_told_after_the_event_was_cancelled_sends_nothing(
    monkeypatch, smtp_server, program, manager_user
):
    task = Recorder()
    monkeypatch.setattr(tasks, "tell_invited_task", task)
    event = plan(program, manager_user)
    invited(event, [mentor(program, "Ana", "Nom")])
    move(event, manager_user)
    services.cancel_event(event, actor=manager_user, reason="Tempête")

    assert services.tell_invited(event, "changed", task.calls[0][2]) == 0


def test_no_invitation_leaves_once_the_event_is_cancelled(smtp_server, program, manager_user):
    event = plan(program, manager_user)
    invite_quietly(event, [mentor(program, "Ana", "Nom")])
    services.cancel_event(event, actor=manager_user, reason="Tempête")

    assert services.queue_event_invitations(event) == 0
