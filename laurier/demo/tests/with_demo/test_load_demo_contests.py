"""The demo's mentor-of-the-year contest: last year's announced, this year's jury at work."""

import datetime

import pytest

from laurier.contests.models import Edition, Phase, Score, Winner
from laurier.contests.selectors import conflicts
from laurier.credentials.verification import Outcome, verify_document
from laurier.recognition.models import Award

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def editions(demo):
    return {edition.year: edition for edition in Edition.objects.filter(organisation=demo)}


def test_last_years_winner_has_the_trophy_and_a_badge_that_verifies(editions):
    edition = editions[2025]
    assert edition.phase(TODAY) == Phase.ANNOUNCED and edition.result
    winner = Winner.objects.select_related("award").get(category__edition=edition)
    assert winner.award.status == Award.Status.GIVEN
    credential = winner.person.credentials.get(badge_class=winner.category.badge_class)
    assert verify_document(credential.document).outcome == Outcome.VALID


def test_this_years_jury_is_scoring_around_a_conflict_of_interest(editions):
    edition = editions[2026]
    assert edition.phase(TODAY) == Phase.SCORING
    assert edition.categories.get().nominees.count() >= 3
    conflicted = set(conflicts(edition))
    assert conflicted
    scored = set(Score.objects.filter(juror__edition=edition).values_list("juror", "nominee"))
    assert scored and not scored & conflicted
