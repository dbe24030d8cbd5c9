"""Each mentor's card: a PDF in the mentor's language with their approved notes only, for the
managers and, once the campaign is closed, for the mentor."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from laurier.recognition.services import notes as services

from .test_note_support import (
    _fresh_rate_limits,  # noqa: F401
    approve,
    campaign_url,
    enrol,
    invite,
    named_writer,
    pair,
    person_of,
    set_aside,
    write,
    writer_of,
)

pytestmark = pytest.mark.django_db

CARD_PNG = "/tmp/laurier-card.png"


def text_of(pdf):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text):
    """PDF text without its line breaks: a note wraps where the card's column ends."""
    return " ".join(text.split())


@pytest.fixture
def helene(program, mentor_user):
    person = person_of(mentor_user)
    person.first_name, person.last_name, person.language = "Hélène", "Tremblay", "fr-ca"
    person.save()
    from laurier.testing import factories

    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


@pytest.fixture
def campaign(program, manager_user, helene):
    pair(program, helene, "Jean", "Roy")
    pair(program, helene, "Marie", "Côté")
    pair(program, helene, "Lise", "Fortin")
    return invite(program, manager_user, mentor=helene)


@pytest.fixture
def notes(campaign, helene):
    """Two approved notes and one set aside."""
    from laurier.recognition.models import NoteWriter

    writers = {writer.name: writer for writer in NoteWriter.objects.filter(campaign=campaign)}
    kept = [
        write(
            campaign,
            writers["Jean Roy"],
            helene,
            "Merci, Hélène, pour ta patience et tes conseils pendant ma première année. "
            "Tu m'as appris à poser les bonnes questions et à oser prendre ma place.",
            "Jean Roy, analyste",
        ),
        write(
            campaign,
            writers["Marie Côté"],
            helene,
            "Nos rencontres du jeudi ont changé ma façon de travailler. Merci!",
            "Marie",
        ),
    ]
    aside = write(campaign, writers["Lise Fortin"], helene, "Note à ne pas montrer", "Lise")
    approve(campaign, *kept)
    set_aside(campaign, aside)
    return kept


def test_the_manager_downloads_the_card_as_a_pdf(login, manager_user, campaign, helene, notes):
    response = login(manager_user).get(campaign_url("note_card", campaign, helene.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="merci-helene-tremblay-')
    assert response.content.startswith(b"%PDF")


def test_the_card_greets_the_mentor_in_their_language_with_each_approved_note(
    login, manager_user, campaign, helene, notes
):
    response = login(manager_user).get(campaign_url("note_card", campaign, helene.pk))

    text = flat(text_of(response.content))
    with translation.override("fr-ca"):
        greeting = gettext("Thank you, %(name)s") % {"name": "Hélène"}
    assert greeting in text
    for note in notes:
        assert flat(note.text) in text
        assert note.signature in text
    assert "Note à ne pas montrer" not in text
    # The program's name is set in spaced capitals, as a kicker.
    assert "RELÈVE" in text.replace(" ", "")
    assert "Hydro Laurentides" in text


def test_the_card_is_in_english_for_an_english_speaking_mentor(
    login, manager_user, campaign, helene, notes
):
    helene.language = "en"
    helene.save()

    response = login(manager_user).get(campaign_url("note_card", campaign, helene.pk))

    assert "Thank you, Hélène" in flat(text_of(response.content))
    assert 'filename="thank-you-helene-tremblay-' in response["Content-Disposition"]


def test_the_card_is_rendered_to_an_image_once_to_be_looked_at(
    login, manager_user, campaign, helene, notes
):
    import pypdfium2 as pdfium

    writer = named_writer(campaign, "Sophie Gagnon", "sophie@example.org", "en")
    longer = write(
        campaign,
        writer,
        helene,
        "Hélène, au nom de la direction : merci. Les mentorés que vous accompagnez restent, "
        "grandissent et, à leur tour, aident les autres. C'est le plus beau des héritages.",
        "Sophie Gagnon, vice-présidente",
    )
    approve(campaign, longer)

    pdf = login(manager_user).get(campaign_url("note_card", campaign, helene.pk)).content

    document = pdfium.PdfDocument(pdf)
    assert len(document) >= 2
    document[0].render(scale=1.5).to_pil().save(CARD_PNG)
    document[1].render(scale=1.5).to_pil().save(CARD_PNG.replace(".png", "-notes.png"))


def test_no_card_without_an_approved_note(login, manager_user, program, helene):
    pair(program, helene, "Jean", "Roy")
    campaign = invite(program, manager_user, mentor=helene)
    write(campaign, writer_of(campaign, email=campaign.writers.get().email), helene)

    response = login(manager_user).get(campaign_url("note_card", campaign, helene.pk))

    assert response.status_code == 404


def test_the_mentor_gets_their_card_once_the_campaign_is_closed(
    login, mentor_user, manager_user, campaign, helene, notes
):
    client = login(mentor_user)
    url = reverse("recognition:my_note_card", args=[campaign.organisation.slug, campaign.pk])
    assert client.get(url).status_code == 404

    services.close_note_campaign(campaign, actor=manager_user)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert flat(notes[1].text) in flat(text_of(response.content))


def test_a_mentor_cannot_get_someone_elses_card(
    login, program, mentee_user, manager_user, campaign, helene, notes
):
    services.close_note_campaign(campaign, actor=manager_user)

    response = login(mentee_user).get(
        reverse("recognition:my_note_card", args=[campaign.organisation.slug, campaign.pk])
    )

    assert response.status_code == 404


def test_a_card_for_a_mentor_without_notes_in_this_campaign_is_404(
    login, manager_user, program, campaign, notes
):
    paul = enrol(program, "Paul", "Gagnon")

    response = login(manager_user).get(campaign_url("note_card", campaign, paul.pk))

    assert response.status_code == 404
