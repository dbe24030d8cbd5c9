"""The page where an invited person writes their note, at their personal link, without an
account: in their language, one note per mentor, editable until it is read."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from laurier.core import personal_links
from laurier.core.dates import organisation_today
from laurier.recognition.models import NOTE_MAX_LENGTH, NoteCampaign, ThankYouNote

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    enrol,
    invite,
    link_of,
    named_writer,
    pair,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(program):
    return enrol(program, "Hélène", "Tremblay")


@pytest.fixture
def jean(program, helene):
    return pair(program, helene, "Jean", "Roy", language="fr-ca")


@pytest.fixture
def campaign(program, manager_user, helene, jean):
    return invite(program, manager_user, mentor=helene, message="Quelques mots pour Hélène?")


@pytest.fixture
def writer(campaign, jean):
    return writer_of(campaign, jean)


def test_the_page_greets_the_writer_in_french(client, writer, campaign):
    response = client.get(link_of(writer))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "fr-ca"
    assert '<html lang="fr-ca">' in html
    assert "Jean Roy" in html
    assert "Hélène Tremblay" in html
    assert "Quelques mots pour Hélène?" in html
    with translation.override("fr-ca"):
        assert date_format(campaign.closes_on, "DATE_FORMAT") in html


def test_an_english_speaking_writer_reads_it_in_english(client, campaign, helene):
    writer = named_writer(campaign, language="en")

    response = client.get(link_of(writer))

    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Hello Sophie Gagnon" in html
    assert "invites you to write a few words of thanks to <strong>Hélène Tremblay</strong>" in html
    with translation.override("en"):
        assert date_format(campaign.closes_on, "DATE_FORMAT") in html


def test_the_link_stays_out_of_search_engines_and_caches(client, writer):
    response = client.get(link_of(writer))

    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"


def test_the_form_shows_the_limit_and_the_signature_is_prefilled(client, writer):
    response = client.get(link_of(writer))

    form = response.context["form"]
    html = response.content.decode()
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in html
    assert form["signature"].value() == "Jean Roy"
    # One mentor: no choice to make.
    assert 'type="hidden" name="mentor"' in html
    assert "recognition/notes_form.js" in html


def test_writing_saves_the_note_and_thanks_warmly(client, writer, helene):
    response = client.post(
        link_of(writer),
        {"mentor": helene.pk, "text": "Merci pour ta patience.", "signature": "Jean, ton mentoré"},
        follow=True,
    )

    note = ThankYouNote.objects.get()
    assert (note.mentor, note.text, note.signature) == (
        helene,
        "Merci pour ta patience.",
        "Jean, ton mentoré",
    )
    assert note.status == ThankYouNote.Status.PENDING
    assert response.redirect_chain == [(link_of(writer), 302)]
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1 and "Hélène Tremblay" in messages[0]
    assert "Merci pour ta patience." in response.content.decode()


def test_an_english_writer_is_thanked_in_english(client, campaign, helene):
    writer = named_writer(campaign, language="en")

    response = client.post(
        link_of(writer),
        {"mentor": helene.pk, "text": "Thank you, Hélène.", "signature": "Sophie"},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages[0].startswith("Thank you! Your note to Hélène Tremblay is sent.")


def test_a_double_submit_keeps_one_note(client, writer, helene):
    data = {"mentor": helene.pk, "text": "Merci!", "signature": "Jean"}

    client.post(link_of(writer), data)
    client.post(link_of(writer), data)

    assert ThankYouNote.objects.count() == 1


def test_the_writer_changes_their_note_while_it_waits(client, campaign, writer, helene):
    write(campaign, writer, helene, "Premier jet")

    page = client.get(link_of(writer) + f"?mentor={helene.pk}")
    assert page.context["form"]["text"].value() == "Premier jet"
    client.post(link_of(writer), {"mentor": helene.pk, "text": "Version finale", "signature": "J"})

    assert ThankYouNote.objects.get().text == "Version finale"


def test_a_note_read_by_the_team_is_shown_read_only(client, campaign, writer, helene):
    note = write(campaign, writer, helene, "Déjà lu")
    approve(campaign, note)

    response = client.get(link_of(writer) + f"?mentor={helene.pk}")

    assert response.context["form"] is None
    html = response.content.decode()
    assert "Déjà lu" in html
    with translation.override("fr-ca"):
        from django.utils.translation import gettext

        sentence = gettext(
            "The program's team has read your note: it can no longer change. Thank you!"
        )
    assert sentence in html


def test_a_crafted_post_cannot_change_a_note_once_read(client, campaign, writer, helene):
    note = write(campaign, writer, helene, "Déjà lu")
    approve(campaign, note)

    client.post(link_of(writer), {"mentor": helene.pk, "text": "Changé", "signature": "J"})

    assert ThankYouNote.objects.get().text == "Déjà lu"


def test_a_note_over_the_limit_is_refused_with_the_services_message(client, campaign, helene):
    writer = named_writer(campaign, language="en")
    text = "a" * (NOTE_MAX_LENGTH + 1)

    response = client.post(link_of(writer), {"mentor": helene.pk, "text": text, "signature": "S"})

    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        f"Your note is {NOTE_MAX_LENGTH + 1} characters long: keep it to {NOTE_MAX_LENGTH}, "
        "so that it fits on the card beside the others."
    ]
    assert not ThankYouNote.objects.exists()


def test_an_empty_note_is_refused(client, writer, helene):
    response = client.post(link_of(writer), {"mentor": helene.pk, "text": "  ", "signature": "J"})

    assert response.context["form"].errors["text"]
    assert not ThankYouNote.objects.exists()


def test_a_writer_cannot_write_to_someone_elses_mentor(client, program, writer):
    stranger = enrol(program, "Paul", "Gagnon")

    response = client.post(link_of(writer), {"mentor": stranger.pk, "text": "Hi", "signature": "J"})

    assert response.context["form"].errors["mentor"]
    assert not ThankYouNote.objects.exists()


def test_a_fellow_mentor_chooses_among_several_mentors(client, program, manager_user, helene):
    paul = enrol(program, "Paul", "Gagnon")
    luc = enrol(program, "Luc", "Bernier")
    campaign = invite(program, manager_user, mentees=False, peers=True)
    writer = writer_of(campaign, luc)

    response = client.get(link_of(writer))

    html = response.content.decode()
    assert '<select name="mentor"' in html
    assert list(response.context["form"].fields["mentor"].queryset) == [paul, helene]
    assert [mentor for mentor, _note in response.context["entries"]] == [paul, helene]


def test_a_closed_campaign_says_when_it_closed(client, campaign, writer):
    NoteCampaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())

    response = client.get(link_of(writer))

    campaign.refresh_from_db()
    assert response.status_code == 410
    with translation.override("fr-ca"):
        from laurier.recognition.services.notes import closed_message

        # Closed early by the manager: the day it was closed, not its planned last day.
        message = closed_message(campaign)
        assert escape(message) in response.content.decode()
        assert date_format(organisation_today(campaign.organisation), "DATE_FORMAT") in message
    assert response.context.get("form") is None


def test_a_closed_campaign_takes_no_note(client, campaign, writer, helene):
    NoteCampaign.objects.filter(pk=campaign.pk).update(closed_at=timezone.now())

    client.post(link_of(writer), {"mentor": helene.pk, "text": "Trop tard", "signature": "J"})

    assert not ThankYouNote.objects.exists()


def test_an_unknown_link_is_not_valid(client, writer):
    response = client.get("/n/not-a-token/")

    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex"
    assert "Jean" not in response.content.decode()


def test_sending_too_often_from_one_link_is_stopped(client, monkeypatch, writer, helene):
    monkeypatch.setattr(personal_links, "LINK_SUBMIT_LIMIT", 2)
    data = {"mentor": helene.pk, "text": "Merci!", "signature": "Jean"}

    statuses = [client.post(link_of(writer), data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_guessing_tokens_is_stopped(client, monkeypatch, writer):
    monkeypatch.setattr(personal_links, "LINK_FAILURE_LIMIT", 3)

    for attempt in range(3):
        client.get(f"/n/guess-{attempt}/")
    response = client.get(link_of(writer))

    assert response.status_code == 429


def test_the_limit_is_told_in_the_writers_language(client, campaign, writer):
    english = named_writer(campaign, language="en")
    client.get(link_of(writer))

    response = client.get(link_of(english))

    assert (
        f"Up to {NOTE_MAX_LENGTH} characters, so that it fits on the card beside the others."
        in response.content.decode()
    )
