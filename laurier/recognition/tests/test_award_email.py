"""The e-mail a mentor receives when given a recognition: an e-card, in their language, through
the real SMTP server."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from laurier.outbox.services import deliver_due_emails
from laurier.programs.models import Person
from laurier.recognition.categories import Giver
from laurier.testing import factories

from .test_my_awards_support import free_option, give, mentor_person, today  # noqa: F401

pytestmark = pytest.mark.django_db

MESSAGE = "Ton écoute a tout changé pour Léa. Merci <3 & bravo !"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def option(organisation):
    return free_option(
        organisation,
        name_fr="Billet de spectacle",
        name_en="Show ticket",
        description_fr="Deux places pour un spectacle de votre choix.",
        description_en="Two seats for a show of your choice.",
    )


def person_with_account(mentor_user, program, language):
    person = Person.objects.get(user=mentor_user)
    person.first_name, person.email, person.language = "Hélène", "helene@example.org", language
    person.save()
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def person_without_account(program, language="fr-ca"):
    return factories.MentorEnrolmentFactory(
        program=program,
        person__first_name="John",
        person__email="john@example.org",
        person__language=language,
    ).person


def received(smtp_server, program, person, option, **fields):
    """Give `person` a recognition, send the outbox, and return the one message received."""
    award = give(
        program,
        person,
        option=option,
        message=MESSAGE,
        giver_names="Sophie Gagnon, CEO",
        givers=[Giver.EXECUTIVE],
        **fields,
    )
    deliver_due_emails()
    (message,) = smtp_server.messages
    return award, message


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def test_a_french_speaking_mentor_receives_it_in_french(
    smtp_server, program, mentor_user, option, today
):
    person = person_with_account(mentor_user, program, "fr-ca")

    _award, message = received(smtp_server, program, person, option)

    with translation.override("fr-ca"):
        subject = gettext("%(organisation)s: thank you for your mentoring, %(first_name)s") % {
            "organisation": "Hydro Laurentides",
            "first_name": "Hélène",
        }
    assert message["To"] == "helene@example.org"
    assert message["Subject"].strip() == subject
    text = text_of(message)
    assert text.startswith("Bonjour Hélène,")
    assert "Billet de spectacle" in text
    # The catalog's description is written for managers (costs, taxes): never sent to mentors.
    assert "Deux places pour un spectacle de votre choix." not in text
    assert "30 juin 2026" in text
    assert "Show ticket" not in text
    assert '<html lang="fr-ca"' in html_of(message)


def test_an_english_speaking_mentor_receives_it_in_english(
    smtp_server, program, mentor_user, option, today
):
    person = person_with_account(mentor_user, program, "en")

    _award, message = received(smtp_server, program, person, option)

    assert message["Subject"].strip() == ("Hydro Laurentides: thank you for your mentoring, Hélène")
    text = text_of(message)
    assert text.startswith("Hello Hélène,")
    assert "Hydro Laurentides thanks you for your mentoring in the Relève program." in text
    assert "Show ticket" in text
    assert "Two seats for a show of your choice." not in text
    assert "June 30, 2026" in text
    assert "In 14 days, we will ask you in a short survey what you thought of it" in text
    assert "Billet de spectacle" not in text
    assert '<html lang="en"' in html_of(message)


def test_the_message_and_the_giver_are_in_both_parts(
    smtp_server, program, mentor_user, option, today
):
    person = person_with_account(mentor_user, program, "en")

    _award, message = received(smtp_server, program, person, option)

    text, html = text_of(message), html_of(message)
    assert f"“{MESSAGE}”" in text
    assert "— Sophie Gagnon, CEO" in text
    assert "Merci &lt;3 &amp; bravo !" in html
    assert "Merci <3" not in html
    assert "Sophie Gagnon, CEO" in html


def test_the_givers_are_named_by_who_they_are_when_no_name_was_written(
    smtp_server, program, mentor_user, option, today
):
    person = person_with_account(mentor_user, program, "en")

    give(program, person, option=option, givers=[Giver.EXECUTIVE, Giver.MENTEE])
    deliver_due_emails()

    assert "From: An executive and the mentee" in text_of(smtp_server.messages[0])


def test_a_mentor_with_an_account_gets_the_link_to_their_recognition(
    smtp_server, program, mentor_user, option, login, today
):
    person = person_with_account(mentor_user, program, "en")

    award, message = received(smtp_server, program, person, option)

    link = f"http://testserver/o/hydro/me/recognitions/{award.pk}/"
    assert link in text_of(message)
    assert f'href="{link}"' in html_of(message)
    response = login(mentor_user).get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert "Show ticket" in response.content.decode()


def test_a_mentor_without_an_account_gets_no_link(smtp_server, program, option, today):
    person = person_without_account(program, "en")

    _award, message = received(smtp_server, program, person, option)

    assert message["To"] == "john@example.org"
    assert "http" not in text_of(message)
    assert not re.search(r'href="http', html_of(message))
    assert "Show ticket" in text_of(message)


def test_the_html_part_is_an_accessible_e_card(smtp_server, program, mentor_user, option, today):
    person = person_with_account(mentor_user, program, "en")

    _award, message = received(smtp_server, program, person, option)

    html = html_of(message)
    assert html.count("<h1") == 1
    assert "Show ticket</h1>" in html
    assert "<blockquote" in html
    # Every layout table is presentational: screen readers read the card, not a grid.
    assert html.count("<table") == html.count('<table role="presentation"')
    assert "<img" not in html


def test_giving_twice_sends_one_e_mail(smtp_server, program, mentor_user, option, today):
    from laurier.recognition.services import awards

    person = person_with_account(mentor_user, program, "en")
    award = give(program, person, option=option)
    awards.give_award(award, actor=None, given_on=today)

    deliver_due_emails()

    assert len(smtp_server.messages) == 1
