"""Inviting people through the invite page: each receives, through a real SMTP server, one
e-mail in their language with the event's .ics attached; reminders leave once."""

import datetime

import pytest
from django.urls import resolve
from icalendar import Calendar

from laurier.outbox.services import deliver_due_emails
from laurier.recognition.models import EventInvitation
from laurier.recognition.services import events as services

from .test_event_support import (
    HOUR,
    event_url,
    invite_quietly,
    mentee,
    mentor,
    next_week_at,
    plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(program):
    """A French-speaking mentor and an English-speaking mentee of the program."""
    return mentor(program, "Hélène", "Roy", language="fr-ca"), mentee(
        program, "John", "Smith", language="en"
    )


@pytest.fixture
def event(program, manager_user):
    return plan(program, manager_user, capacity=40)


def invite_through_the_page(client, event, capture, **data):
    with capture(execute=True):
        response = client.post(event_url("event_invite", event), data)
    deliver_due_emails()
    return response


def by_recipient(inbox):
    return {message["To"]: message for message in inbox.messages}


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def calendar_of(message):
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    content = attachment.get_content()
    return Calendar.from_ical(content), content


def test_everyone_of_the_program_receives_one_invitation(
    smtp_server, login, manager_user, event, people, django_capture_on_commit_callbacks
):
    response = invite_through_the_page(
        login(manager_user), event, django_capture_on_commit_callbacks, audience="everyone"
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#invitations")
    assert sorted(by_recipient(smtp_server)) == ["helene.roy@example.org", "john.smith@example.org"]
    assert len(smtp_server.messages) == 2
    assert not EventInvitation.objects.filter(event=event, invited_at__isnull=True).exists()


def test_each_invitation_is_in_the_persons_language(
    smtp_server, login, manager_user, event, people, django_capture_on_commit_callbacks
):
    invite_through_the_page(
        login(manager_user), event, django_capture_on_commit_callbacks, audience="everyone"
    )

    messages = by_recipient(smtp_server)
    french, english = messages["helene.roy@example.org"], messages["john.smith@example.org"]
    assert english["Subject"] == "Hydro Laurentides invites you: Mentors' gala"
    assert "Gala des mentors" in french["Subject"]
    assert text_of(french).startswith("Bonjour Hélène,\n")
    assert text_of(english).startswith("Hello John,\n")
    assert "Will you come?" in text_of(english)
    assert "Will you come?" not in text_of(french)


def test_the_ics_attached_is_the_event_in_the_persons_language(
    smtp_server, login, manager_user, event, people, django_capture_on_commit_callbacks
):
    invite_through_the_page(
        login(manager_user), event, django_capture_on_commit_callbacks, audience="everyone"
    )

    messages = by_recipient(smtp_server)
    for address, summary in (
        ("helene.roy@example.org", "Gala des mentors"),
        ("john.smith@example.org", "Mentors' gala"),
    ):
        calendar, content = calendar_of(messages[address])
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["SUMMARY"]) == summary
        assert str(entry["LOCATION"]) == "Château Frontenac, Québec"
        start = entry["DTSTART"].dt
        assert start == event.starts_at
        assert start.utcoffset() == datetime.timedelta(0)
        utc = event.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        assert f"DTSTART:{utc}" in content


def test_the_link_in_the_invitation_opens_the_persons_rsvp_page(
    smtp_server,
    settings,
    client,
    login,
    manager_user,
    event,
    people,
    django_capture_on_commit_callbacks,
):
    settings.SITE_URL = "http://testserver"
    invite_through_the_page(
        login(manager_user), event, django_capture_on_commit_callbacks, audience="mentees"
    )
    client.logout()

    text = text_of(by_recipient(smtp_server)["john.smith@example.org"])
    link = next(word for word in text.split() if word.startswith("http://testserver/e/"))
    path = link.removeprefix("http://testserver")
    invitation = EventInvitation.objects.get(person=people[1])
    assert resolve(path).kwargs["token"] == invitation.token
    assert "Mentors&#x27; gala" in client.get(path).content.decode()


def test_an_event_for_mentors_invites_mentors_only(
    smtp_server, login, manager_user, program, people, django_capture_on_commit_callbacks
):
    event = plan(program, manager_user, mentors_only=True)

    invite_through_the_page(
        login(manager_user), event, django_capture_on_commit_callbacks, audience="mentors"
    )

    assert sorted(by_recipient(smtp_server)) == ["helene.roy@example.org"]


def test_everyone_is_not_offered_for_an_event_for_mentors(login, manager_user, program, people):
    event = plan(program, manager_user, mentors_only=True)

    response = login(manager_user).post(event_url("event_invite", event), {"audience": "everyone"})

    assert response.context["form"].errors["audience"]
    assert not EventInvitation.objects.exists()


def test_the_invite_page_of_an_event_for_mentors_offers_mentors_only(
    login, manager_user, program, people
):
    event = plan(program, manager_user, mentors_only=True)

    response = login(manager_user).get(event_url("event_invite", event))

    values = [value for value, _label in response.context["form"].fields["audience"].choices]
    assert values == ["", "mentors"]
    assert [person.pk for person in response.context["found"]] == [people[0].pk]


def test_a_mentee_chosen_for_an_event_for_mentors_is_refused(login, manager_user, program, people):
    event = plan(program, manager_user, mentors_only=True)

    response = login(manager_user).post(
        event_url("event_invite", event), {"people": [people[1].pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not EventInvitation.objects.exists()


def test_people_found_by_search_are_invited_alone(
    smtp_server, login, manager_user, event, people, django_capture_on_commit_callbacks
):
    client = login(manager_user)
    found = client.get(event_url("event_invite", event), {"find": "smith"}).context["found"]
    assert found == [people[1]]

    invite_through_the_page(
        client, event, django_capture_on_commit_callbacks, people=[people[1].pk]
    )

    assert sorted(by_recipient(smtp_server)) == ["john.smith@example.org"]


def test_someone_already_invited_is_not_found_again(login, manager_user, event, people):
    invite_quietly(event, [people[0]])

    response = login(manager_user).get(event_url("event_invite", event))

    assert response.context["found"] == [people[1]]
    assert response.context["audience_counts"] == {"mentors": 0, "mentees": 1}


def test_inviting_twice_sends_nobody_a_second_invitation(
    smtp_server, login, manager_user, event, people, django_capture_on_commit_callbacks
):
    client = login(manager_user)
    invite_through_the_page(client, event, django_capture_on_commit_callbacks, audience="mentors")
    invite_through_the_page(client, event, django_capture_on_commit_callbacks, audience="everyone")
    invite_through_the_page(client, event, django_capture_on_commit_callbacks, audience="everyone")

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "helene.roy@example.org",
        "john.smith@example.org",
    ]


def test_inviting_nobody_is_refused(login, manager_user, event, people):
    response = login(manager_user).post(event_url("event_invite", event), {"audience": ""})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not EventInvitation.objects.exists()


def test_the_reminder_leaves_once_to_those_coming(smtp_server, program, manager_user, people):
    starts_at = next_week_at(days=3)
    event = plan(program, manager_user, starts_at=starts_at, remind_days_before=2)
    coming, not_coming = invite_quietly(event, people)
    services.respond(coming, going=True)
    services.respond(not_coming, going=False)

    # Reminders leave from the start of the day two days before, where the organisation is.
    too_early = starts_at - datetime.timedelta(days=3)
    assert services.remind_due_events(now=too_early) == 0
    reminder_day = starts_at - datetime.timedelta(days=2) + HOUR
    assert services.remind_due_events(now=reminder_day) == 1
    assert services.remind_due_events(now=reminder_day + HOUR) == 0
    deliver_due_emails()

    (message,) = smtp_server.messages
    assert message["To"] == "helene.roy@example.org"
    assert message["Subject"].strip() == "Rappel : Gala des mentors, c'est bientôt"
    assert list(message.iter_attachments())


def test_a_workshop_invitation_says_the_training_hours_it_counts(
    smtp_server, login, manager_user, program, people, django_capture_on_commit_callbacks
):
    workshop = plan(program, manager_user, kind="workshop", training_hours="3.50")

    invite_through_the_page(
        login(manager_user), workshop, django_capture_on_commit_callbacks, audience="mentees"
    )

    (message,) = smtp_server.messages
    assert "Training hours counted for attending: 3.5\n" in text_of(message)
    assert "Time in America/Toronto" in text_of(message)
