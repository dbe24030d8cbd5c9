"""My space shows my latest recognitions; survey pages say which recognition they ask about."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from laurier.recognition.services import awards

from .test_my_awards_support import (  # noqa: F401
    award_in_database,
    free_option,
    give,
    mentor_person,
    my_award_url,
    my_awards_url,
    today,
)

pytestmark = pytest.mark.django_db

MY_SPACE = reverse("hours:my_space", args=["hydro"])


def named(organisation, name):
    return free_option(organisation, name_fr=name, name_en=name)


def test_my_space_shows_my_three_latest_recognitions_and_links_to_all(
    login, mentor_user, mentor_person, program
):
    for day in range(1, 5):
        award_in_database(
            program,
            mentor_person,
            given_on=datetime.date(2026, 5, day),
            option=named(program.organisation, f"Recognition of May {day}"),
        )

    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert "Recognition of May 4" in page
    assert "Recognition of May 2" in page
    assert "Recognition of May 1" not in page
    assert my_awards_url() in page


def test_my_space_tells_a_mentor_without_recognition_where_they_will_appear(
    login, mentor_user, mentor_person
):
    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert (
        "The recognitions your organisation gives you for your mentoring will appear here." in page
    )


def test_my_space_of_a_mentee_has_no_recognition_section(login, mentee_user):
    page = login(mentee_user).get(MY_SPACE).content.decode()

    assert "recognitions-title" not in page


def test_my_space_does_not_show_a_recognition_still_planned(
    login, mentor_user, mentor_person, program
):
    from laurier.recognition.models import Award

    award_in_database(
        program,
        mentor_person,
        status=Award.Status.APPROVED,
        option=named(program.organisation, "The surprise"),
    )

    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert "The surprise" not in page


# What a survey request is about


@pytest.fixture
def request_about_award(program, mentor_person, today):
    award = give(program, mentor_person, option=named(program.organisation, "Billet de spectacle"))
    assert awards.ask_feedback(award, today=award.feedback_due_on)
    award.refresh_from_db()
    recipient = award.feedback_request
    recipient.campaign.closes_at = timezone.now() + datetime.timedelta(days=30)
    recipient.campaign.save(update_fields=["closes_at"])
    return recipient


def test_the_request_is_about_the_recognition_in_both_languages(request_about_award):
    assert "Billet de spectacle" in request_about_award.about_fr
    with translation.override("en"):
        assert request_about_award.about == (
            "About “Billet de spectacle”, received on June 30, 2026."
        )


def test_the_personal_link_page_says_what_the_survey_is_about(client, request_about_award):
    url = reverse("survey_links:answer", args=[request_about_award.token])

    page = client.get(url).content.decode()

    assert request_about_award.about_fr in page


def test_the_signed_in_answer_page_says_what_the_survey_is_about(
    login, mentor_user, request_about_award
):
    url = reverse("surveys:my_answer", args=["hydro", request_about_award.pk])

    page = login(mentor_user).get(url).content.decode()

    assert request_about_award.about_en in page


def test_the_closed_link_page_says_what_the_survey_was_about(client, request_about_award):
    request_about_award.campaign.closed_at = timezone.now()
    request_about_award.campaign.save(update_fields=["closed_at"])
    url = reverse("survey_links:answer", args=[request_about_award.token])

    response = client.get(url)

    assert response.status_code == 410
    assert request_about_award.about_fr in response.content.decode()


def test_my_surveys_says_what_each_request_is_about(login, mentor_user, request_about_award):
    page = login(mentor_user).get(reverse("surveys:my_surveys", args=["hydro"])).content.decode()

    assert request_about_award.about_en in page


def test_my_space_says_what_a_pending_survey_is_about(login, mentor_user, request_about_award):
    page = login(mentor_user).get(MY_SPACE).content.decode()

    assert request_about_award.about_en in page
