"""Event services: reminders on the day, calendars updated when an event is cancelled or moved."""

import datetime

import pytest

from laurier.recognition.services import events as services

from .test_event_support import HOUR, invite_quietly, mentor, next_week_at, plan

pytestmark = pytest.mark.django_db


def test_a_reminder_on_the_day_leaves_on_the_day(program, manager_user):
    starts_at = next_week_at(hour=18)
    event = plan(program, manager_user, starts_at=starts_at, remind_days_before=0)
    (invitation,) = invite_quietly(event, [mentor(program)])
    services.respond(invitation, going=True)

    morning = starts_at.replace(hour=8)

    assert services.remind_due_events(now=morning) == 1


def test_the_cancellation_email_removes_the_calendar_entry(program, manager_user):
    event = plan(program, manager_user)
    (invitation,) = invite_quietly(event, [mentor(program)])
    services.cancel_event(event, actor=manager_user, reason="Tempête")
    event.refresh_from_db()

    _subject, _text, _html, attachments = services.event_email(invitation, event, "cancelled")

    assert attachments and "METHOD:CANCEL" in attachments[0]["content"]


def test_an_event_moved_later_reminds_again(program, manager_user):
    starts_at = next_week_at(days=3)
    event = plan(program, manager_user, starts_at=starts_at, remind_days_before=2)
    (invitation,) = invite_quietly(event, [mentor(program)])
    services.respond(invitation, going=True)
    assert services.remind_due_events(now=starts_at - datetime.timedelta(days=2) + HOUR) == 1

    later = starts_at + datetime.timedelta(days=14)
    services.edit_event(event, actor=manager_user, starts_at=later, ends_at=later + 3 * HOUR)

    assert services.remind_due_events(now=later - datetime.timedelta(days=2) + HOUR) == 1
