"""The training hours an event counts, said with the number last ("Training hours counted for
attending: 1.5"): right for 1 hour and for 1.5 hours, in the reader's number format."""

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.outbox.services import deliver_due_emails
from laurier.programs.models import Person
from laurier.recognition.models import EventInvitation
from laurier.recognition.services import events as services
from laurier.testing import factories

from .test_event_support import (  # noqa: F401 (_fresh_rate_limits: autouse)
    _fresh_rate_limits,
    begin,
    event_url,
    invite_quietly,
    mentee,
    mentor,
    plan,
    rsvp_url,
)

pytestmark = pytest.mark.django_db


def workshop(program, manager_user, hours):
    return plan(program, manager_user, kind="workshop", training_hours=hours)


@pytest.mark.parametrize(("hours", "shown"), [("1", "1"), ("1.50", "1.5"), ("3.00", "3")])
def test_the_rsvp_page_says_the_hours_in_english(client, program, manager_user, hours, shown):
    event = workshop(program, manager_user, hours)
    (invitation,) = invite_quietly(event, [mentee(program, "John", "Smith", language="en")])

    page = client.get(rsvp_url(invitation)).content.decode()

    assert f"Training hours counted for attending: {shown}<" in page
    assert "training hours." not in page


def test_the_rsvp_page_writes_the_number_the_french_way(client, program, manager_user):
    event = workshop(program, manager_user, "1.50")
    (invitation,) = invite_quietly(event, [mentor(program, "Hélène", "Roy")])

    page = client.get(rsvp_url(invitation)).content.decode()

    assert ": 1,5<" in page
    assert "1.50" not in page


def test_the_rsvp_page_after_attending_says_the_hours_counted(client, program, manager_user):
    event = workshop(program, manager_user, "1.00")
    (invitation,) = invite_quietly(event, [mentee(program, "John", "Smith", language="en")])
    services.respond(invitation, going=True)
    begin(event)
    services.take_attendance(event, actor=manager_user, attended_ids=[invitation.pk])

    page = client.get(rsvp_url(invitation)).content.decode()

    assert "You came. Training hours counted for you: 1<" in page


@pytest.mark.parametrize(("language", "shown"), [("en", "1.5"), ("fr-ca", "1,5")])
def test_the_invitation_email_says_the_hours_in_the_readers_format(
    smtp_server, program, manager_user, language, shown
):
    event = workshop(program, manager_user, "1.50")
    (invitation,) = invite_quietly(event, [mentor(program, "Ana", "Nom", language=language)])

    services.queue_event_invitations(event)
    deliver_due_emails()

    (message,) = smtp_server.messages
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f": {shown}\n" in text
    assert f": {shown}</p>" in html


def test_the_attendance_page_says_the_hours_for_each_person(login, program, manager_user):
    event = begin(workshop(program, manager_user, "1.50"))

    with translation.override("en"):
        page = login(manager_user).get(event_url("event_attendance", event)).content.decode()

    assert "Training hours counted for each person who came: 1.5<" in page


def test_my_events_say_the_hours_i_was_counted(login, mentor_user, program, manager_user):
    mentor_user.language = "en"
    mentor_user.save()
    me = Person.objects.get(user=mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=me)
    event = workshop(program, manager_user, "1.00")
    (invitation,) = invite_quietly(event, [me])
    services.respond(invitation, going=True)
    begin(event)
    services.take_attendance(event, actor=manager_user, attended_ids=[invitation.pk])
    assert EventInvitation.objects.get(pk=invitation.pk).attended

    page = (
        login(mentor_user)
        .get(reverse("recognition:my_events", args=[program.organisation.slug]))
        .content.decode()
    )

    assert "(training hours: 1)" in page
