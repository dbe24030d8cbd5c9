"""Invitations and their e-mail: in each person's language, with a personal link that works."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.outbox.models import OutgoingEmail
from laurier.surveys.models import Recipient
from laurier.surveys.services.campaigns import invitation_reason, queue_invitations
from laurier.testing import factories

from .test_campaign_support import enrol_mentors, launch, pulse_survey, survey  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_and_english(program):
    french = factories.MentorEnrolmentFactory(
        program=program, person__language="fr-ca", person__email="helene@example.org"
    ).person
    english = factories.MentorEnrolmentFactory(
        program=program, person__language="en", person__email="john@example.org"
    ).person
    return french, english


def by_recipient(inbox):
    return {message["To"]: message for message in inbox.messages}


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_person_receives_one_invitation(
    smtp_server, program, survey, manager_user, french_and_english
):
    launch(program, survey, manager_user)

    assert sorted(by_recipient(smtp_server)) == ["helene@example.org", "john@example.org"]
    assert len(smtp_server.messages) == 2


def test_the_invitation_is_in_the_persons_language(
    smtp_server, program, survey, manager_user, french_and_english
):
    campaign = launch(program, survey, manager_user)

    messages = by_recipient(smtp_server)
    french, english = messages["helene@example.org"], messages["john@example.org"]
    assert english["Subject"].strip() == "Hydro Laurentides: your view on the Relève program"
    assert "Pouls de l'engagement" in text_of(french)
    assert "Engagement pulse" not in text_of(french)
    closes = timezone.localtime(campaign.closes_at, timezone=_zone(program))
    with translation.override("fr-ca"):
        assert date_format(closes, "DATE_FORMAT") in text_of(french)
    with translation.override("en"):
        assert date_format(closes, "DATE_FORMAT") in text_of(english)


def test_the_link_in_the_email_opens_the_persons_survey(
    smtp_server, settings, client, program, survey, manager_user, french_and_english
):
    settings.SITE_URL = "http://testserver"
    campaign = launch(program, survey, manager_user)
    recipient = Recipient.objects.get(campaign=campaign, person=french_and_english[1])

    text = text_of(by_recipient(smtp_server)["john@example.org"])
    link = next(word for word in text.split() if word.startswith("http://testserver/s/"))

    path = link.removeprefix("http://testserver")
    match = resolve(path)
    assert (match.view_name, match.kwargs["token"]) == ("survey_links:answer", recipient.token)
    assert client.get(path).status_code == 200


def test_the_invitation_says_how_long_when_it_closes_and_that_it_is_anonymous(
    smtp_server, organisation, program, manager_user, french_and_english
):
    enrol_mentors(program, organisation.anonymity_threshold - 2)
    campaign = launch(program, pulse_survey(organisation), manager_user)

    text = text_of(by_recipient(smtp_server)["john@example.org"])
    assert "5 questions" in text
    closes = timezone.localtime(campaign.closes_at, timezone=_zone(program))
    assert str(closes.day) in text and str(closes.year) in text
    assert "anonymous" in text


def _zone(program):
    import zoneinfo

    return zoneinfo.ZoneInfo(program.organisation.time_zone)


def test_a_survey_that_is_not_anonymous_says_nothing_of_anonymity(
    smtp_server, organisation, program, manager_user, french_and_english
):
    launch(program, pulse_survey(organisation, anonymous=False), manager_user)

    assert "anonymous" not in text_of(by_recipient(smtp_server)["john@example.org"])


def test_the_invitation_names_who_asks(
    smtp_server, program, survey, manager_user, french_and_english
):
    manager_user.first_name, manager_user.last_name = "Marie", "Curie"
    manager_user.save()

    launch(program, survey, manager_user)

    assert "Marie Curie" in text_of(by_recipient(smtp_server)["john@example.org"])


def test_the_invitation_puts_no_article_before_the_organisations_name(
    smtp_server, program, survey, manager_user, french_and_english
):
    manager_user.first_name, manager_user.last_name = "Marie", "Curie"
    manager_user.save()

    launch(program, survey, manager_user)

    with translation.override("en"):
        text = text_of(by_recipient(smtp_server)["john@example.org"])
    # "Marie Curie, of Hydro Laurentides, asks…" read "de Hydro Laurentides" in French.
    assert "Hydro Laurentides asks for your view on the Relève program in the survey" in text
    assert "sent by Marie Curie." in text
    assert ", of Hydro Laurentides" not in text


def test_the_invitation_says_its_length_and_anonymity_once(
    smtp_server, organisation, program, manager_user, french_and_english
):
    enrol_mentors(program, organisation.anonymity_threshold - 2)
    # Like the ready-made pulse, whose introduction says both already.
    introduction = "This short survey is anonymous. It takes about three minutes."
    survey = pulse_survey(organisation, introduction_en=introduction, introduction_fr=introduction)

    launch(program, survey, manager_user)

    message = by_recipient(smtp_server)["john@example.org"]
    for body in (text_of(message), message.get_body(preferencelist=("html",)).get_content()):
        assert body.count("minutes") == 1
        assert body.count("anonymous") == 1


def test_the_invitation_has_an_html_version_with_the_link(
    smtp_server, program, survey, manager_user, french_and_english
):
    campaign = launch(program, survey, manager_user)
    token = Recipient.objects.get(campaign=campaign, person=french_and_english[1]).token

    html = by_recipient(smtp_server)["john@example.org"].get_body(preferencelist=("html",))
    assert f"/s/{token}/" in html.get_content()


def test_queuing_the_invitations_again_sends_nobody_a_second_one(
    program, survey, manager_user, french_and_english
):
    campaign = launch(program, survey, manager_user)

    assert queue_invitations(campaign) == 0
    assert OutgoingEmail.objects.filter(reason__startswith="survey-invitation:").count() == 2


def test_an_invitation_already_in_the_outbox_is_not_queued_twice(
    program, survey, manager_user, french_and_english
):
    campaign = launch(program, survey, manager_user)
    recipient = Recipient.objects.filter(campaign=campaign).first()
    # As if the worker died after queuing the e-mail, before marking the person invited.
    Recipient.objects.filter(pk=recipient.pk).update(invited_at=None)

    assert queue_invitations(campaign) == 0
    assert OutgoingEmail.objects.filter(reason=invitation_reason(recipient)).count() == 1


def test_recipients_are_marked_invited(program, survey, manager_user, french_and_english):
    campaign = launch(program, survey, manager_user)

    assert not Recipient.objects.filter(campaign=campaign, invited_at__isnull=True).exists()
