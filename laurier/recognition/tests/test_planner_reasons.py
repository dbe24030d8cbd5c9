"""Every line of a plan says why, in the manager's language, with numbers written for it."""

import datetime
from decimal import Decimal

from django.utils import translation

from laurier.recognition.categories import RecognitionCategory as Category
from laurier.recognition.planner import Budget, Line, Mentor, Moment, Option, Rules, Scenario, plan

MOMENTS = (
    Moment("jan", datetime.date(2027, 1, 17), "international_mentoring_day"),
    Moment("jun", datetime.date(2027, 6, 1), "cycle_end"),
)


def marie(**changes):
    fields = {
        "key": "m1",
        "name": "Marie",
        "hours": Decimal("42.5"),
        "tenure_years": Decimal(3),
        "preferences": {Category.PROFESSIONAL_DEVELOPMENT: 5, Category.THANK_YOU_CARD: 2},
    }
    return Mentor(**{**fields, **changes})


def scenario(mentor, *, options=None, money=None, locked=(), rules=None):
    return Scenario(
        currency="CAD",
        budget=Budget(money=money),
        rules=rules or Rules(min_per_mentor=1, max_per_mentor=1),
        moments=MOMENTS,
        options=options or (Option("pd", Category.PROFESSIONAL_DEVELOPMENT, cost=Decimal(150)),),
        mentors=(mentor,),
        locked=locked,
    )


def reasons(tiny, language):
    with translation.override(language):
        return [line.reason for line in plan(tiny).assignments]


def test_a_reason_names_the_mentor_what_they_value_most_and_their_hours_in_english():
    [reason] = reasons(scenario(marie()), "en")
    assert reason.startswith(
        "Marie values “Professional development” most (5/5) and has mentored 42.5 hours this year"
    )


def test_in_french_the_category_and_the_numbers_are_written_the_french_way():
    with translation.override("fr-ca"):
        label = str(Category.PROFESSIONAL_DEVELOPMENT.label)
    [reason] = reasons(scenario(marie()), "fr-ca")
    assert label in reason
    assert "42,5" in reason


def test_without_a_name_the_mentors_key_is_used_and_tenure_replaces_missing_hours():
    [reason] = reasons(scenario(marie(name="", hours=Decimal(0))), "en")
    assert reason.startswith("m1 values")
    assert "has mentored for 3 years" in reason


def test_a_locked_line_says_so():
    tiny = scenario(marie(), locked=(Line("m1", "pd", "jan"),))
    [reason] = reasons(tiny, "en")
    assert reason.endswith("; you locked it")


def test_a_line_the_budget_decided_says_it_was_the_best_the_budget_allowed():
    options = (
        Option("pd", Category.PROFESSIONAL_DEVELOPMENT, cost=Decimal(150)),
        Option("card", Category.THANK_YOU_CARD, cost=Decimal(5)),
    )
    [reason] = reasons(scenario(marie(), options=options, money=Decimal(20)), "en")
    assert reason.startswith("Marie rates “Thank-you card” 2/5")
    assert "the best option the budget allowed" in reason


def test_a_preferred_moment_is_mentioned():
    tiny = scenario(marie(preferred_moment_kinds=("cycle_end",)))
    [reason] = reasons(tiny, "en")
    assert reason.endswith("; at a moment they like")
