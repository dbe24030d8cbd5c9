"""What other approved plans already give a mentor in the period counts in a new plan."""

import datetime
from decimal import Decimal

from laurier.recognition.categories import RecognitionCategory as Category
from laurier.recognition.planner import Budget, Line, Mentor, Moment, Option, Rules, Scenario, plan

MOMENTS = (
    Moment("jan", datetime.date(2027, 1, 17), "international_mentoring_day"),
    Moment("dec", datetime.date(2026, 12, 15), "year_end"),
)
OPTIONS = (
    Option("card", Category.THANK_YOU_CARD, cost=Decimal(5)),
    Option("pd", Category.PROFESSIONAL_DEVELOPMENT, cost=Decimal(100)),
)


def scenario(*mentors, locked=(), maximum=2):
    return Scenario(
        currency="CAD",
        budget=Budget(),
        rules=Rules(min_per_mentor=1, max_per_mentor=maximum),
        moments=MOMENTS,
        options=OPTIONS,
        mentors=mentors,
        locked=tuple(Line(*line) for line in locked),
    )


def test_a_mentor_at_the_maximum_already_receives_nothing_more_and_counts_as_covered():
    result = plan(scenario(Mentor("ana", taken=2), Mentor("bo")))
    assert {line.mentor for line in result.assignments} == {"bo"}
    assert result.uncovered == ()


def test_a_moment_another_plan_takes_is_not_used_again():
    result = plan(scenario(Mentor("ana", taken=1, taken_moments=("dec",))))
    assert [line.moment for line in result.assignments] == ["jan"]


def test_a_locked_line_at_a_taken_moment_or_beyond_the_maximum_is_refused():
    at_taken_moment = plan(
        scenario(Mentor("ana", taken=1, taken_moments=("dec",)), locked=[("ana", "pd", "dec")])
    )
    beyond = plan(scenario(Mentor("ana", taken=1), locked=[("ana", "pd", "jan")], maximum=1))
    assert at_taken_moment.status == beyond.status == "infeasible"
