"""Closing a note campaign: the request only closes it and enqueues a task; the task reads every
approved note in one query, grouped by mentor, and sends each mentor theirs once, even when it
runs twice."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from laurier.outbox.models import OutgoingEmail
from laurier.outbox.services import deliver_due_emails
from laurier.recognition import tasks
from laurier.recognition.services import notes as services

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    enrol,
    invite,
    pair,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands for a task: remembers what it was enqueued with, runs nothing."""

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)


def campaign_with_notes(program, manager_user, count):
    """A program-wide campaign where each of `count` mentors got one approved note from their
    mentee, and a second mentee's note set aside for the first."""
    mentors = []
    for index in range(count):
        mentor = enrol(program, f"Mentor{index}", "Nom", email=f"mentor{index}@example.org")
        pair(program, mentor, f"Mentee{index}", "Nom", email=f"mentee{index}@example.org")
        mentors.append(mentor)
    campaign = invite(program, manager_user)
    for index, mentor in enumerate(mentors):
        writer = writer_of(campaign, email=f"mentee{index}@example.org")
        approve(campaign, write(campaign, writer, mentor, f"Merci, mentor {index}."))
    return campaign, mentors


def notes_emails():
    return OutgoingEmail.objects.filter(reason__startswith="notes-for-mentor:")


def test_the_closing_request_queues_no_email_and_enqueues_the_task(
    monkeypatch, program, manager_user
):
    campaign, _mentors = campaign_with_notes(program, manager_user, 2)
    task = Recorder()
    monkeypatch.setattr(tasks, "send_campaign_notes_task", task)

    services.close_note_campaign(campaign, actor=manager_user)

    assert not notes_emails().exists()
    assert task.calls == [(campaign.pk,)]


def test_each_mentor_receives_their_own_notes(smtp_server, program, manager_user):
    campaign, _mentors = campaign_with_notes(program, manager_user, 3)
    deliver_due_emails()
    invitations = len(smtp_server.messages)

    services.close_note_campaign(campaign, actor=manager_user)
    deliver_due_emails()

    sent = {message["To"]: message for message in smtp_server.messages[invitations:]}
    assert sorted(sent) == [f"mentor{index}@example.org" for index in range(3)]
    for index in range(3):
        text = sent[f"mentor{index}@example.org"].get_body(preferencelist=("plain",))
        assert f"Merci, mentor {index}." in text.get_content()
        others = {f"Merci, mentor {other}." for other in range(3)} - {f"Merci, mentor {index}."}
        assert not any(note in text.get_content() for note in others)


def test_the_task_run_twice_sends_each_mentor_their_notes_once(program, manager_user):
    campaign, mentors = campaign_with_notes(program, manager_user, 2)
    services.close_note_campaign(campaign, actor=manager_user)

    again = services.send_campaign_notes(campaign)

    assert again == 0
    assert sorted(notes_emails().values_list("reason", flat=True)) == sorted(
        f"notes-for-mentor:{campaign.pk}:{mentor.pk}" for mentor in mentors
    )


def test_a_mentor_already_sent_their_notes_is_skipped(monkeypatch, program, manager_user):
    campaign, mentors = campaign_with_notes(program, manager_user, 2)
    task = Recorder()
    monkeypatch.setattr(tasks, "send_campaign_notes_task", task)
    services.close_note_campaign(campaign, actor=manager_user)
    monkeypatch.undo()
    OutgoingEmail.objects.create(
        organisation=campaign.organisation,
        to=mentors[0].email,
        subject="Sent before a crash",
        text="…",
        reason=f"notes-for-mentor:{campaign.pk}:{mentors[0].pk}",
    )

    assert services.send_campaign_notes(campaign) == 1
    assert notes_emails().filter(to=mentors[0].email).count() == 1


def note_reads(monkeypatch, program, manager_user, count):
    campaign, _mentors = campaign_with_notes(program, manager_user, count)
    task = Recorder()
    monkeypatch.setattr(tasks, "send_campaign_notes_task", task)
    services.close_note_campaign(campaign, actor=manager_user)
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as queries:
        assert services.send_campaign_notes(campaign) == count
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and "recognition_thankyounote" in query["sql"]
    ]


@pytest.mark.parametrize("mentors", [1, 4])
def test_the_task_reads_every_note_in_one_query_whatever_the_mentors(
    monkeypatch, program, manager_user, mentors
):
    assert len(note_reads(monkeypatch, program, manager_user, mentors)) == 1
