"""Event services: reminders on the day, calendars updated when an event is cancelled or moved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from laurier.recognition.models import Event
from laurier.recognition.services import events as services

from .test_event_support import HOUR, TORONTO, invite_quietly, mentor, next_week_at, plan

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


def refused_field(program, manager_user, **fields):
    with pytest.raises(ValidationError) as refused:
        plan(program, manager_user, **fields)
    assert not Event.objects.exists()
    return set(refused.value.error_dict)


def test_the_service_refuses_more_than_a_hundred_thousand_places(program, manager_user):
    assert refused_field(program, manager_user, capacity=100_001) == {"capacity"}


def test_the_service_refuses_a_start_at_the_end_of_the_calendar(program, manager_user):
    starts_at = datetime.datetime(9999, 12, 31, 20, tzinfo=TORONTO)

    fields = refused_field(program, manager_user, starts_at=starts_at, ends_at=starts_at + HOUR)

    assert fields == {"starts_at", "ends_at"}


def test_the_service_refuses_an_end_after_2100(program, manager_user):
    starts_at = datetime.datetime(2100, 12, 31, 20, tzinfo=TORONTO)

    fields = refused_field(program, manager_user, starts_at=starts_at, ends_at=starts_at + 5 * HOUR)

    assert fields == {"ends_at"}


def test_the_service_accepts_the_last_evening_of_2100_where_the_organisation_is(
    program, manager_user
):
    # 23:00 in Toronto is already 2101 in UTC: the year is the one the manager typed.
    starts_at = datetime.datetime(2100, 12, 31, 22, tzinfo=TORONTO)

    event = plan(program, manager_user, starts_at=starts_at, ends_at=starts_at + HOUR)

    assert event.pk


def test_the_service_refuses_training_hours_for_a_gala(program, manager_user):
    assert refused_field(program, manager_user, kind="gala", training_hours="3") == {
        "training_hours"
    }


def test_the_service_refuses_negative_training_hours(program, manager_user):
    assert refused_field(program, manager_user, kind="workshop", training_hours="-1") == {
        "training_hours"
    }


def test_the_service_refuses_training_hours_beyond_what_is_stored(program, manager_user):
    assert refused_field(
        program, manager_user, kind="workshop", training_hours=Decimal("1000000")
    ) == {"training_hours"}


def test_an_edit_to_a_gala_keeping_training_hours_is_refused(program, manager_user):
    workshop = plan(program, manager_user, kind="workshop", training_hours="3")

    with pytest.raises(ValidationError) as refused:
        services.edit_event(workshop, actor=manager_user, kind="gala")

    assert set(refused.value.error_dict) == {"training_hours"}
    assert Event.objects.get().kind == "workshop"


def test_correcting_the_times_of_an_event_already_held_tells_nobody(program, manager_user):
    from django.utils import timezone

    from laurier.outbox.models import OutgoingEmail

    event = plan(program, manager_user)
    invite_quietly(event, [mentor(program)])
    past = timezone.now() - datetime.timedelta(days=2)

    services.edit_event(event, actor=manager_user, starts_at=past, ends_at=past + 3 * HOUR)

    assert not OutgoingEmail.objects.filter(reason__startswith="event-changed").exists()


def test_each_change_told_raises_the_calendar_sequence(program, manager_user):
    event = plan(program, manager_user, starts_at=next_week_at(days=3))
    (invitation,) = invite_quietly(event, [mentor(program)])
    first = services.event_ics(event, "en")

    later = event.starts_at + datetime.timedelta(days=1)
    services.edit_event(event, actor=manager_user, starts_at=later, ends_at=later + 3 * HOUR)
    event.refresh_from_db()
    moved = services.event_ics(event, "en")
    services.cancel_event(event, actor=manager_user, reason="Storm")
    event.refresh_from_db()
    cancelled = services.event_ics(event, "en")

    assert "SEQUENCE:0" in first
    assert "SEQUENCE:1" in moved
    assert "SEQUENCE:2" in cancelled and "METHOD:CANCEL" in cancelled


def test_an_event_with_mentees_invited_cannot_become_reserved_for_mentors(program, manager_user):
    from django.core.exceptions import ValidationError

    from laurier.testing import factories

    event = plan(program, manager_user)
    mentee = factories.MenteeEnrolmentFactory(program=program).person
    invite_quietly(event, [mentee])

    with pytest.raises(ValidationError) as refusal:
        services.edit_event(event, actor=manager_user, mentors_only=True)

    assert "mentors_only" in refusal.value.message_dict
    event.refresh_from_db()
    assert not event.mentors_only
