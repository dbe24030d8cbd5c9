"""One of a mentor's recognitions in full, and where their feedback on it stands."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laurier.recognition.categories import Giver
from laurier.recognition.services import awards

from .test_my_awards_support import (  # noqa: F401
    free_option,
    give,
    mentor_person,
    my_award_url,
    today,
)

pytestmark = pytest.mark.django_db


def ask(award):
    """Ask the mentor about `award` on its day; the campaign stays open a month from now,
    whatever day the suite runs on."""
    assert awards.ask_feedback(award, today=award.feedback_due_on)
    award.refresh_from_db()
    campaign = award.feedback_request.campaign
    campaign.closes_at = timezone.now() + datetime.timedelta(days=30)
    campaign.save(update_fields=["closes_at"])
    return award.feedback_request


def answer_url(recipient):
    return reverse("surveys:my_answer", args=["hydro", recipient.pk])


@pytest.fixture
def award(program, mentor_person, today):
    option = free_option(
        program.organisation,
        name_en="Lunch with the CEO",
        description_en="An hour with the CEO, to talk about what mentoring taught you.",
    )
    return give(
        program,
        mentor_person,
        option=option,
        message="Ton écoute a tout changé pour Léa.",
        giver_names="Sophie Gagnon, CEO",
        givers=[Giver.EXECUTIVE],
    )


def test_the_page_shows_the_whole_card(login, mentor_user, award):
    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "<h1" in page and "Lunch with the CEO</h1>" in page
    # The catalog's description is written for managers: the mentor reads the message instead.
    assert "An hour with the CEO, to talk about what mentoring taught you." not in page
    assert "Ton écoute a tout changé pour Léa." in page
    assert "Sophie Gagnon, CEO" in page
    assert "June 30, 2026" in page
    assert "Relève" in page


def test_the_page_names_the_moment_it_was_given_at(login, mentor_user, award):
    award.moment_en = "End of the 2026 cohort"
    award.save(update_fields=["moment_en"])

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "End of the 2026 cohort" in page


def test_before_asking_the_page_says_we_will_ask_in_a_few_days(login, mentor_user, award):
    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "In a few days, we will ask you what you thought of this recognition" in page
    assert "Tell us what you thought" not in page


def test_once_asked_a_button_leads_to_the_survey(login, mentor_user, award):
    recipient = ask(award)

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "Tell us what you thought" in page
    assert f'role="button" href="{answer_url(recipient)}"' in page


def test_the_list_card_invites_to_tell_what_i_thought(login, mentor_user, award):
    recipient = ask(award)

    page = login(mentor_user).get(reverse("recognition:my_awards", args=["hydro"])).content.decode()

    assert answer_url(recipient) in page


def test_once_answered_the_page_thanks_and_offers_to_change_the_answers(login, mentor_user, award):
    recipient = ask(award)
    recipient.responded_at = timezone.now()
    recipient.save(update_fields=["responded_at"])

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "Thank you for your feedback." in page
    assert "See or change my answers" in page
    assert answer_url(recipient) in page
    assert "Tell us what you thought" not in page


def test_answers_of_a_closed_survey_can_still_be_read(login, mentor_user, award):
    recipient = ask(award)
    recipient.responded_at = timezone.now()
    recipient.save(update_fields=["responded_at"])
    recipient.campaign.closed_at = timezone.now()
    recipient.campaign.save(update_fields=["closed_at"])

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "Thank you for your feedback." in page
    assert "See my answers" in page
    assert "See or change my answers" not in page


def test_a_survey_closed_unanswered_offers_no_button(login, mentor_user, award):
    recipient = ask(award)
    recipient.campaign.closed_at = timezone.now()
    recipient.campaign.save(update_fields=["closed_at"])

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "The survey about this recognition closed on" in page
    assert "Tell us what you thought" not in page


def test_the_page_speaks_french_to_a_french_speaking_mentor(login, mentor_user, program, award):
    mentor_user.language = "fr-ca"
    mentor_user.save()
    award.option.name_fr = "Dîner avec la PDG"
    award.option.save(update_fields=["name_fr"])

    page = login(mentor_user).get(my_award_url(award)).content.decode()

    assert "Dîner avec la PDG</h1>" in page
    assert "30 juin 2026" in page
    assert "Mon espace" in page
