"""The RSVP page at a person's link: the event in their language, their answer, the waiting
list when it is full, a place given back to the first waiting, closed once it begins."""

import pytest
from django.utils import translation
from icalendar import Calendar

from laurier.core import personal_links
from laurier.outbox.services import deliver_due_emails
from laurier.recognition.models import EventInvitation
from laurier.recognition.services import events as services

from .test_event_support import (  # noqa: F401 (_fresh_rate_limits: autouse)
    _fresh_rate_limits,
    begin,
    invite_quietly,
    mentee,
    mentor,
    plan,
    reload,
    rsvp_url,
)

pytestmark = pytest.mark.django_db
Answer = EventInvitation.Answer


@pytest.fixture
def event(program, manager_user):
    return plan(program, manager_user, capacity=1, online_url="https://meet.example.org/gala")


@pytest.fixture
def invitations(program, event):
    """Three people invited: a French mentor, an English mentee, a French mentor."""
    return invite_quietly(
        event,
        [
            mentor(program, "Hélène", "Roy"),
            mentee(program, "John", "Smith", language="en"),
            mentor(program, "Marc", "Bédard"),
        ],
    )


def answer(client, invitation, value):
    return client.post(rsvp_url(invitation), {"answer": value})


def page_of(client, invitation):
    return client.get(rsvp_url(invitation)).content.decode()


def test_the_page_shows_the_event_in_the_persons_language(client, invitations):
    french = page_of(client, invitations[0])
    english = page_of(client, invitations[1])

    assert "Gala des mentors" in french
    assert 'lang="fr-ca"' in french
    assert "Mentors&#x27; gala" in english
    assert "You have not answered yet." in english
    assert 'lang="en"' in english
    assert "America/Toronto" in english
    assert "https://meet.example.org/gala" in english


def test_the_page_is_private(client, invitations):
    response = client.get(rsvp_url(invitations[0]))

    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_yes_takes_a_place(client, invitations):
    response = answer(client, invitations[1], "yes")

    assert response.status_code == 302
    assert reload(invitations[1]).answer == Answer.GOING
    assert "You are coming: your place is kept." in page_of(client, invitations[1])


def test_no_says_they_cannot_come(client, invitations):
    answer(client, invitations[1], "no")

    assert reload(invitations[1]).answer == Answer.DECLINED
    assert "You said you cannot come." in page_of(client, invitations[1])


def test_yes_when_full_joins_the_waiting_list_with_its_position(client, invitations):
    answer(client, invitations[0], "yes")
    answer(client, invitations[2], "yes")

    response = answer(client, invitations[1], "yes")

    assert reload(invitations[1]).answer == Answer.WAITING
    page = client.get(response["Location"]).content.decode()
    assert "The event is full: you are on the waiting list." in page
    assert "you are on the waiting list, in position 2" in page


def test_a_second_yes_keeps_the_place_once(client, invitations):
    answer(client, invitations[0], "yes")
    answer(client, invitations[0], "yes")
    answer(client, invitations[1], "yes")

    assert reload(invitations[0]).answer == Answer.GOING
    assert reload(invitations[1]).answer == Answer.WAITING
    assert EventInvitation.objects.filter(answer=Answer.GOING).count() == 1


def test_a_place_given_back_goes_to_the_first_waiting_who_is_told(
    client, smtp_server, invitations, django_capture_on_commit_callbacks
):
    answer(client, invitations[1], "yes")
    answer(client, invitations[0], "yes")
    answer(client, invitations[2], "yes")

    with django_capture_on_commit_callbacks(execute=True):
        answer(client, invitations[1], "no")
    deliver_due_emails()

    assert reload(invitations[0]).answer == Answer.GOING
    assert reload(invitations[2]).answer == Answer.WAITING
    (message,) = smtp_server.messages
    assert message["To"] == "helene.roy@example.org"
    assert "Gala des mentors" in message["Subject"]
    subject, _text, _html, _attachments = services.event_email(
        reload(invitations[0]), invitations[0].event, "place"
    )
    assert message["Subject"].strip() == subject


def test_the_page_says_the_position_moved_up(client, invitations):
    answer(client, invitations[0], "yes")
    answer(client, invitations[2], "yes")
    answer(client, invitations[1], "yes")

    answer(client, invitations[2], "no")

    assert "you are on the waiting list, in position 1" in page_of(client, invitations[1])


def test_the_page_offers_both_answers_before_any(client, invitations):
    page = page_of(client, invitations[1])

    assert 'value="yes"' in page
    assert 'value="no"' in page


def test_after_it_begins_answers_are_closed(client, event, invitations):
    answer(client, invitations[1], "yes")
    begin(event)

    page = page_of(client, invitations[1])
    response = answer(client, invitations[1], "no")

    assert "This event has begun: answers are closed." in page
    assert 'name="answer"' not in page
    assert response.status_code == 302
    assert reload(invitations[1]).answer == Answer.GOING


def test_a_cancelled_event_takes_no_answer(client, event, invitations, manager_user):
    services.cancel_event(event, actor=manager_user, reason="Tempête de neige")

    page = page_of(client, invitations[1])
    answer(client, invitations[1], "yes")

    assert "This event was cancelled." in page
    assert 'name="answer"' not in page
    assert reload(invitations[1]).answer == Answer.PENDING


def test_an_invalid_link_is_a_clear_404(client, invitations):
    response = client.get("/e/not-a-real-token/")

    assert response.status_code == 404
    with translation.override("fr-ca"):
        assert translation.gettext("This link is not valid") in response.content.decode()


def test_a_bad_answer_changes_nothing(client, invitations):
    answer(client, invitations[1], "maybe")

    assert reload(invitations[1]).answer == Answer.PENDING


def test_too_many_bad_links_stop_the_client(client, invitations):
    for index in range(personal_links.LINK_FAILURE_LIMIT):
        assert client.get(f"/e/wrong-{index}/").status_code == 404

    assert client.get(rsvp_url(invitations[1])).status_code == 429


def test_too_many_answers_on_one_link_are_refused(client, invitations):
    for index in range(personal_links.LINK_SUBMIT_LIMIT):
        answer(client, invitations[1], "yes" if index % 2 else "no")

    response = answer(client, invitations[1], "yes")

    assert response.status_code == 429
    assert response["Retry-After"] == str(personal_links.LINK_PERIOD_SECONDS)
    # Another person's link still works.
    assert answer(client, invitations[0], "yes").status_code == 302


def test_the_person_downloads_the_event_for_their_calendar(client, invitations, event):
    response = client.get(rsvp_url(invitations[1]), {"download": "ics"})

    assert response["Content-Type"].startswith("text/calendar")
    (entry,) = Calendar.from_ical(response.content.decode()).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Mentors' gala"
    assert entry["DTSTART"].dt == event.starts_at
    assert invitations[1].token in str(entry["DESCRIPTION"])


def test_the_places_left_are_said_to_those_without_one(client, invitations):
    english = invitations[2].person
    english.language = "en"
    english.save()
    before = page_of(client, invitations[1])
    answer(client, invitations[1], "yes")
    coming = page_of(client, invitations[1])
    left_out = page_of(client, invitations[2])

    assert "1 place left" in before
    assert "place left" not in coming
    assert "The event is full: a yes puts you on the waiting list" in left_out


def test_a_cancelled_event_no_longer_says_a_place_is_kept(client, event, invitations, manager_user):
    services.respond(invitations[1], going=True)
    services.cancel_event(event, actor=manager_user, reason="Tempête de neige")

    page = page_of(client, invitations[1])

    assert "This event was cancelled." in page
    assert "your place is kept" not in page
