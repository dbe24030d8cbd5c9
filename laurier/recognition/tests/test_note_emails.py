"""The e-mails of note campaigns, through a real SMTP server: each writer's invitation in their
language with their personal link, and each mentor's notes when the campaign closes, once."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import resolve
from django.utils import translation
from django.utils.formats import date_format

from laurier.outbox.services import deliver_due_emails
from laurier.recognition.models import NoteWriter

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    enrol,
    last_day,
    list_url,
    pair,
    person_of,
    set_aside,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db


def by_recipient(inbox):
    return {message["To"]: message for message in inbox.messages}


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def helene(program, mentor_user):
    person = person_of(mentor_user)
    person.first_name, person.last_name, person.language = "Hélène", "Tremblay", "fr-ca"
    person.save()
    from laurier.testing import factories

    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


@pytest.fixture
def writers(program, helene):
    french = pair(program, helene, "Jean", "Roy", language="fr-ca", email="jean@example.org")
    english = pair(program, helene, "John", "Smith", language="en", email="john@example.org")
    return french, english


def invite_through_the_page(client, program, mentor, **fields):
    data = {
        "mentor": str(mentor.pk),
        "mentees": "on",
        "closes_on": last_day(program).isoformat(),
        "message": "Un mot pour Hélène?",
        "form_token": "once",
        **fields,
    }
    response = client.post(list_url(program, "note_campaign_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    return mentor


def test_each_writer_receives_one_invitation_in_their_language(
    smtp_server, login, manager_user, program, helene, writers
):
    invite_through_the_page(login(manager_user), program, helene)

    deliver_due_emails()

    messages = by_recipient(smtp_server)
    assert sorted(messages) == ["jean@example.org", "john@example.org"]
    english = messages["john@example.org"]
    assert english["Subject"].strip() == "Hydro Laurentides: a word of thanks for Hélène Tremblay?"
    assert text_of(english).startswith("Hello John Smith,")
    assert "Un mot pour Hélène?" in text_of(english)
    assert '<html lang="en"' in html_of(english)
    french = messages["jean@example.org"]
    assert '<html lang="fr-ca"' in html_of(french)
    with translation.override("fr-ca"):
        assert date_format(last_day(program), "DATE_FORMAT") in text_of(french)
    with translation.override("en"):
        assert date_format(last_day(program), "DATE_FORMAT") in text_of(english)


def test_an_executive_named_on_the_form_is_invited_too(
    smtp_server, login, manager_user, program, helene, writers
):
    invite_through_the_page(
        login(manager_user),
        program,
        helene,
        executives="Sophie Gagnon <Sophie@Example.org>",
    )

    deliver_due_emails()

    assert "sophie@example.org" in by_recipient(smtp_server)


def test_the_link_in_the_invitation_opens_the_writers_page(
    smtp_server, settings, client, login, manager_user, program, helene, writers
):
    settings.SITE_URL = "http://testserver"
    invite_through_the_page(login(manager_user), program, helene)
    deliver_due_emails()
    writer = NoteWriter.objects.get(email="john@example.org")

    text = text_of(by_recipient(smtp_server)["john@example.org"])
    link = next(word for word in text.split() if word.startswith("http://testserver/n/"))

    path = link.removeprefix("http://testserver")
    match = resolve(path)
    assert (match.view_name, match.kwargs["token"]) == ("notes_public:write", writer.token)
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Hello John Smith" in page.content.decode()


def test_a_double_submit_invites_each_writer_once(
    smtp_server, login, manager_user, program, helene, writers
):
    client = login(manager_user)
    invite_through_the_page(client, program, helene)
    invite_through_the_page(client, program, helene)

    deliver_due_emails()

    assert len(smtp_server.messages) == 2


def close_with_notes(client, program, manager_user, helene, writers):
    from laurier.recognition.models import NoteCampaign

    invite_through_the_page(client, program, helene)
    campaign = NoteCampaign.objects.get()
    french, english = writers
    kept = write(campaign, writer_of(campaign, french), helene, "Merci pour ta patience.", "Jean")
    aside = write(campaign, writer_of(campaign, english), helene, "Not for Hélène", "John")
    approve(campaign, kept)
    set_aside(campaign, aside)
    deliver_due_emails()
    return campaign


def test_closing_sends_the_mentor_their_approved_notes_once(
    smtp_server, login, manager_user, program, helene, writers
):
    client = login(manager_user)
    campaign = close_with_notes(client, program, manager_user, helene, writers)
    invitations = len(smtp_server.messages)

    client.post(campaign_url("note_campaign_close", campaign))
    client.post(campaign_url("note_campaign_close", campaign))
    deliver_due_emails()

    sent = smtp_server.messages[invitations:]
    assert [message["To"] for message in sent] == [helene.email]
    text = text_of(sent[0])
    assert "Merci pour ta patience." in text
    assert "— Jean" in text
    assert "Not for Hélène" not in text
    assert '<html lang="fr-ca"' in html_of(sent[0])


def test_the_notes_reach_an_english_speaking_mentor_in_english(
    smtp_server, login, manager_user, program, helene, writers
):
    helene.language = "en"
    helene.save()
    client = login(manager_user)
    campaign = close_with_notes(client, program, manager_user, helene, writers)
    invitations = len(smtp_server.messages)

    client.post(campaign_url("note_campaign_close", campaign))
    deliver_due_emails()

    message = smtp_server.messages[invitations]
    assert message["Subject"].strip() == "Hydro Laurentides: a thank-you note for you, Hélène"
    assert "/me/notes/" in text_of(message)


def test_a_mentor_without_approved_notes_receives_nothing(
    smtp_server, login, manager_user, program, helene, writers
):
    client = login(manager_user)
    other = enrol(program, "Paul", "Gagnon", email="paul@example.org")
    campaign = close_with_notes(client, program, manager_user, helene, writers)

    client.post(campaign_url("note_campaign_close", campaign))
    deliver_due_emails()

    assert "paul@example.org" not in by_recipient(smtp_server)
    assert other.pk


def test_people_named_on_the_form_are_written_to_in_the_language_chosen(
    smtp_server, login, manager_user, program, helene, writers
):
    invite_through_the_page(
        login(manager_user),
        program,
        helene,
        executives="John Smith <john.smith@example.org>",
        named_language="en",
    )

    deliver_due_emails()

    assert '<html lang="en"' in html_of(by_recipient(smtp_server)["john.smith@example.org"])
    assert NoteWriter.objects.get(email="john.smith@example.org").language == "en"
