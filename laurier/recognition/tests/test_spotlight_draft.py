import pytest
from django.utils import translation

from laurier.recognition.categories import Visibility
from laurier.recognition.models import ThankYouNote
from laurier.recognition.services.spotlights import draft_spotlight
from laurier.testing import factories

from .test_spotlight_support import (
    TODAY,
    given_award,
    kudos_for,
    mentee_of,
    mentor,
    note_for,
)

pytestmark = pytest.mark.django_db


def english(program, person):
    return draft_spotlight(program, person, today=TODAY)["body_en"]


def test_the_draft_is_in_both_languages_with_a_title_each(program):
    lea = mentor(program)

    draft = draft_spotlight(program, lea, today=TODAY)

    assert set(draft) == {"title_fr", "title_en", "body_fr", "body_en"}
    assert draft["title_en"] == "Mentor spotlight: Léa Tremblay"
    assert "Léa Tremblay" in draft["title_fr"]
    assert "**Léa Tremblay**" in draft["body_fr"]


def test_the_draft_names_the_job_and_department(program):
    body = english(program, mentor(program))

    assert body.startswith(
        "**Léa Tremblay** is Senior engineer in Operations, and a mentor at heart."
    )


def test_the_draft_counts_the_years_since_the_mentor_joined(program):
    body = english(program, mentor(program))

    assert "guiding colleagues since 2021: 4 years of sharing experience" in body


def test_a_mentor_who_joined_this_year_is_welcomed(program):
    body = english(program, mentor(program, since=TODAY.replace(month=1, day=10)))

    assert "joined our mentors this year" in body


def test_the_draft_names_every_program_of_the_mentor(organisation, program):
    lea = mentor(program)
    other = factories.ProgramFactory(organisation=organisation, name="Leadership")
    factories.MentorEnrolmentFactory(program=other, person=lea, since=TODAY)

    body = english(program, lea)

    assert "Léa mentors in these programs: Relève and Leadership." in body


def test_the_draft_counts_mentees_and_hours_from_the_sessions(program):
    lea = mentor(program)
    mentee_of(program, lea, minutes=90, sessions=2)
    mentee_of(program, lea, first_name="Zoé", minutes=60)

    body = english(program, lea)

    assert "Léa has supported 2 mentees over 4.0 hours of mentoring." in body
    assert "This year alone: 4.0 hours." in body


def test_the_french_draft_writes_hours_the_french_way(program):
    lea = mentor(program)
    mentee_of(program, lea, minutes=90)

    body = draft_spotlight(program, lea, today=TODAY)["body_fr"]

    assert "1,5" in body


def test_the_draft_says_the_interests_of_the_profile(program):
    body = english(program, mentor(program, interests="birdwatching and jazz"))

    assert "Outside mentoring, Léa is passionate about birdwatching and jazz." in body


def test_the_draft_counts_the_recognitions_given_and_names_the_latest(program):
    lea = mentor(program)
    given_award(program, lea, name_en="Certificate of appreciation")
    given_award(program, lea, name_en="Lunch with the director")

    body = english(program, lea)

    assert "Léa's commitment has already been recognised 2 times" in body
    assert "*Certificate of appreciation*" in body
    assert "*Lunch with the director*" in body


def test_the_draft_counts_kudos(program):
    lea = mentor(program)
    kudos_for(program, lea, giver=mentee_of(program, lea))

    assert "have also sent Léa 1 kudos." in english(program, lea)


def test_the_draft_leaves_private_recognitions_out(program):
    lea = mentor(program)
    given_award(program, lea, name_en="Certificate of appreciation")
    given_award(program, lea, name_en="Gift card", visibility=Visibility.PRIVATE)

    body = english(program, lea)

    assert "Gift card" not in body
    assert "recognised once" in body


def test_the_draft_quotes_approved_thank_you_notes_by_the_writers_relation_only(program):
    lea = mentor(program)
    note_for(program, lea, "Léa changed my career.\nThank you!", signature="Jean Roy")

    body = english(program, lea)

    # The writer wrote to Léa, not to the newsletter: their name stays out of it.
    assert "## What people say about Léa" in body
    assert "> Léa changed my career.\n> Thank you!\n>\n> — A mentee" in body
    assert "Jean Roy" not in body


def test_the_draft_never_quotes_a_note_the_manager_did_not_approve(program):
    lea = mentor(program)
    note_for(program, lea, "Pending words", status=ThankYouNote.Status.PENDING)
    note_for(program, lea, "Set aside words", status=ThankYouNote.Status.REJECTED)

    body = english(program, lea)

    assert "Pending words" not in body
    assert "Set aside words" not in body
    assert "What people say" not in body


def test_the_draft_quotes_at_most_three_notes(program):
    lea = mentor(program)
    for number in range(5):
        note_for(program, lea, f"Note number {number}", signature=f"Writer {number}")

    assert english(program, lea).count("> — A mentee") == 3


def test_a_mentor_with_an_empty_record_still_gets_a_warm_draft(program):
    lea = mentor(program, job_title="", department="", interests="")

    body = english(program, lea)

    assert body.startswith("Meet **Léa Tremblay**, a mentor at heart.")
    assert "Thank you, Léa, for your time and generosity!" in body
    assert "\n\n\n" not in body


def test_the_draft_ignores_another_organisations_record(program, other_organisation):
    lea = mentor(program)
    elsewhere = factories.ProgramFactory(organisation=other_organisation)
    given_award(elsewhere, lea)

    assert "recognised" not in english(program, lea)


def test_the_draft_is_written_in_each_language_whatever_the_readers(program):
    lea = mentor(program)

    with translation.override("fr-ca"):
        as_french_reader = draft_spotlight(program, lea, today=TODAY)
    with translation.override("en"):
        as_english_reader = draft_spotlight(program, lea, today=TODAY)

    assert as_french_reader == as_english_reader


def test_the_french_draft_is_written_in_french(program):
    lea = mentor(program)
    note_for(program, lea, "Merci pour tout.", signature="Jean Roy")

    with translation.override("en"):
        body = draft_spotlight(program, lea)["body_fr"]

    assert "mentor at heart" not in body and "What people say" not in body
    assert "a le mentorat à cœur" in body
    assert "Ce qu'on dit de Léa" in body
    assert "— Un mentoré" in body
