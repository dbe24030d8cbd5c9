"""Anonymous surveys: no figure, no comment, below the organisation's threshold; comments are
never attributed and never listed in the order they came."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest

from laurier.surveys.models import Question, Recipient, Survey
from laurier.surveys.selectors.results import campaign_results
from laurier.surveys.services.campaigns import close_campaign
from laurier.testing import factories

from .test_campaign_support import (  # noqa: F401
    answer,
    answered_campaign,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(organisation):
    """Anonymous, unlike the shared fixture of the same name."""
    return pulse_survey(organisation)


NOT_ENOUGH = "Not enough responses to show results without identifying anyone"


@pytest.fixture
def threshold(organisation):
    organisation.anonymity_threshold = 5
    organisation.save()
    return 5


def test_below_the_threshold_the_page_shows_no_figure_nor_comment(
    manager_client, program, survey, manager_user, campaign_url, threshold
):
    campaign = answered_campaign(
        program, survey, manager_user, threshold - 1, comment="Secret remark"
    )

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert f"{NOT_ENOUGH} (4 of at least 5)" in page
    assert "Secret remark" not in page
    assert "Average" not in page


def test_at_the_threshold_the_results_appear(
    manager_client, program, survey, manager_user, campaign_url, threshold
):
    campaign = answered_campaign(program, survey, manager_user, threshold, comment="Shared remark")

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert NOT_ENOUGH not in page
    assert "Shared remark" in page


def test_the_threshold_is_the_organisations_setting(program, survey, manager_user, organisation):
    organisation.anonymity_threshold = 8
    organisation.save()

    campaign = answered_campaign(program, survey, manager_user, 6)

    assert not campaign_results(campaign).shown


def test_a_survey_that_is_not_anonymous_shows_results_from_the_first_response(
    organisation, program, manager_user, threshold
):
    campaign = answered_campaign(
        program, pulse_survey(organisation, anonymous=False), manager_user, 1
    )

    assert campaign_results(campaign).shown


def test_comments_of_an_anonymous_survey_have_no_author(program, survey, manager_user, threshold):
    campaign = answered_campaign(program, survey, manager_user, threshold, comment="Hello")

    comment = next(
        r for r in campaign_results(campaign).questions if r.question.text_en == "Comment"
    )

    assert {text.author for text in comment.texts} == {""}


def test_comments_do_not_follow_the_order_they_were_written(
    program, survey, manager_user, threshold
):
    enrol_mentors(program, 5)
    campaign = launch(program, survey, manager_user)
    written = ["delta", "alpha", "echo", "charlie", "bravo"]
    for recipient, comment in zip(
        Recipient.objects.filter(campaign=campaign).order_by("pk"), written, strict=True
    ):
        answer(recipient, comment=comment)
    campaign = close_campaign(campaign, actor=manager_user)

    comment = next(
        r for r in campaign_results(campaign).questions if r.question.text_en == "Comment"
    )

    assert [text.text for text in comment.texts] == sorted(written)


def test_a_question_fewer_people_answered_than_the_threshold_stays_hidden(
    organisation, program, manager_user, threshold
):
    survey = pulse_survey(organisation)
    rare = factories.QuestionFactory(survey=survey, kind=Question.Kind.RATING, text_en="Rare")
    enrol_mentors(program, 5)
    campaign = launch(program, survey, manager_user)
    rare_copy = campaign.survey.questions.get(text_en="Rare")
    from laurier.surveys.models import Answer

    for recipient in Recipient.objects.filter(campaign=campaign):
        answer(recipient)
    Answer.objects.create(
        response=Recipient.objects.filter(campaign=campaign).first().response,
        question=rare_copy,
        number=2,
    )
    campaign = close_campaign(campaign, actor=manager_user)

    results = campaign_results(campaign)
    rare_result = next(r for r in results.questions if r.question.pk == rare_copy.pk)

    assert results.shown and rare_result.hidden
    assert rare_result.distribution == [] and rare_result.average is None
    assert rare.pk != rare_copy.pk


WAIT_NOTE = "Results of an anonymous survey appear once it closes"


def test_while_open_an_anonymous_campaign_shows_only_its_response_rate(
    manager_client, program, survey, manager_user, campaign_url, threshold
):
    campaign = answered_campaign(
        program, survey, manager_user, threshold + 2, closed=False, comment="Open remark"
    )

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert WAIT_NOTE in page
    assert "Open remark" not in page
    assert "Average" not in page
    assert "Response rate" in page


def test_once_closed_the_anonymous_results_appear(
    manager_client, program, survey, manager_user, campaign_url, threshold
):
    campaign = answered_campaign(program, survey, manager_user, threshold, comment="Late remark")

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert WAIT_NOTE not in page
    assert "Late remark" in page


def test_a_pulse_is_anonymous_even_with_the_flag_off(
    manager_client, organisation, program, manager_user, campaign_url, threshold
):
    pulse = pulse_survey(organisation, anonymous=False, purpose=Survey.Purpose.PULSE)
    campaign = answered_campaign(program, pulse, manager_user, 2, comment="Pulse remark")

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert not campaign_results(campaign).shown
    assert "Pulse remark" not in page
    assert "Who answered" not in page


def test_the_threshold_counts_people_not_answer_rows(program, survey, manager_user, threshold):
    # Four people, each with several rows (multiple choice, ranking): still four people.
    campaign = answered_campaign(
        program, survey, manager_user, threshold - 1, multiple=("Network", "Growth")
    )

    results = campaign_results(campaign)

    assert results.responses == threshold - 1
    assert not results.shown
