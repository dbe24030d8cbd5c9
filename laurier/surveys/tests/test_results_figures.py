"""Per-question results of a campaign, counted by the database."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import pytest

from laurier.core.figures import percent
from laurier.surveys.models import Recipient
from laurier.surveys.selectors.results import RESULT_DIGITS, campaign_results

from .test_campaign_support import (  # noqa: F401
    answer,
    campaign_url,
    enrol_mentors,
    launch,
    manager_client,
    pulse_survey,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(organisation, program, manager_user):
    """A campaign of a named (not anonymous) survey to four mentors."""
    enrol_mentors(program, 4)
    return launch(program, pulse_survey(organisation, anonymous=False), manager_user)


def recipients(campaign):
    return list(Recipient.objects.filter(campaign=campaign).select_related("person").order_by("pk"))


def result_of(campaign, text_en):
    results = campaign_results(campaign)
    return next(r for r in results.questions if r.question.text_en == text_en)


def test_a_single_choice_counts_each_choice_and_its_share(campaign):
    first, second, third, _fourth = recipients(campaign)
    answer(first, single="Yes")
    answer(second, single="Yes")
    answer(third, single="No")

    result = result_of(campaign, "Continue?")

    assert [(c.choice.text_en, c.count, c.percent) for c in result.choices] == [
        ("Yes", 2, 66.7),
        ("No", 1, 33.3),
    ]


def test_a_multiple_choice_shares_are_of_the_people_who_answered(campaign):
    first, second, *_others = recipients(campaign)
    answer(first, multiple=("Network", "Growth"))
    answer(second, multiple=("Network",))

    result = result_of(campaign, "Why?")

    assert [(c.choice.text_en, c.count, c.percent) for c in result.choices] == [
        ("Network", 2, 100.0),
        ("Growth", 1, 50.0),
    ]


def test_a_ranking_gives_the_average_rank_best_first(campaign):
    first, second, third, _fourth = recipients(campaign)
    answer(first, ranking=("Gala", "Badge"))
    answer(second, ranking=("Gala", "Badge"))
    answer(third, ranking=("Badge", "Gala"))

    result = result_of(campaign, "Rank")

    assert [(c.choice.text_en, round(c.average_rank, 2)) for c in result.choices] == [
        ("Gala", 1.33),
        ("Badge", 1.67),
    ]


def test_a_scale_gives_its_average_and_distribution(campaign):
    first, second, third, _fourth = recipients(campaign)
    answer(first, likert=5)
    answer(second, likert=4)
    answer(third, likert=4)

    result = result_of(campaign, "Support")

    assert round(result.average, 2) == 4.33
    assert [(v.value, v.count) for v in result.distribution] == [
        (1, 0),
        (2, 0),
        (3, 0),
        (4, 2),
        (5, 1),
    ]


def test_texts_are_listed_in_the_order_of_their_text(campaign):
    first, second, third, _fourth = recipients(campaign)
    answer(first, comment="Zebra")
    answer(second, comment="Apple")
    answer(third, comment="")

    result = result_of(campaign, "Comment")

    assert [t.text for t in result.texts] == ["Apple", "Zebra"]
    assert result.text_count == 2


def test_texts_of_a_named_survey_say_who_wrote_them(campaign):
    first, *_others = recipients(campaign)
    answer(first, comment="Great")

    result = result_of(campaign, "Comment")

    assert result.texts[0].author == first.person.full_name


def test_only_the_first_texts_are_shown_the_rest_are_counted(campaign):
    for index, recipient in enumerate(recipients(campaign)):
        answer(recipient, comment=f"Comment {index}")

    results = campaign_results(campaign, texts_shown=3)
    comment = next(r for r in results.questions if r.question.text_en == "Comment")

    assert (len(comment.texts), comment.more_texts) == (3, 1)


def test_the_page_shows_each_questions_figures(manager_client, campaign, campaign_url):
    first, second, *_others = recipients(campaign)
    answer(first, single="Yes", likert=5, comment="Lovely program")
    answer(second, single="No", likert=3)

    page = manager_client.get(campaign_url("campaign_detail", campaign.pk)).content.decode()

    assert "Continue?" in page
    assert "50%" in page
    assert "Average: 4.0" in page
    assert "Lovely program" in page


def test_answers_of_another_campaign_are_not_counted(campaign, program, manager_user):
    answer(recipients(campaign)[0], single="Yes")
    other = launch(program, campaign.survey.copied_from, manager_user, name="Other")
    answer(Recipient.objects.filter(campaign=other).first(), single="No")

    result = result_of(campaign, "Continue?")

    assert [(c.choice.text_en, c.count) for c in result.choices] == [("Yes", 1), ("No", 0)]


def test_one_percentage_rounds_every_figure_to_a_tenth():
    assert [percent(part, 3, digits=RESULT_DIGITS) for part in (1, 2, 3)] == [33.3, 66.7, 100.0]


def test_a_percentage_of_nobody_is_no_figure():
    assert percent(0, 0) is None
