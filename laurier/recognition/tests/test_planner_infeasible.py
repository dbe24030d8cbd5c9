"""Locked lines that alone break a hard rule make the scenario infeasible, with the reason; a
budget too small to cover everyone still gives the best plan and says what more would do."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from laurier.recognition.categories import RecognitionCategory as Category
from laurier.recognition.categories import Visibility
from laurier.recognition.planner import (
    Budget,
    Line,
    Mentor,
    Moment,
    Option,
    Rules,
    Scenario,
    plan,
    solve,
)
from laurier.recognition.planner.problem import Problem

MOMENTS = (
    Moment("jan", datetime.date(2027, 1, 17), "international_mentoring_day"),
    Moment("jun", datetime.date(2027, 6, 1), "cycle_end"),
)
OPTIONS = (
    Option("pd", Category.PROFESSIONAL_DEVELOPMENT, cost=Decimal(100), capacity=1),
    Option("gala", Category.PUBLIC_EVENT, visibility=Visibility.PUBLIC, moments=("jun",)),
    Option("stipend", Category.STIPEND, cost=Decimal(50), min_hours=Decimal(40)),
    Option("card", Category.THANK_YOU_CARD, cost=Decimal(5), staff_hours=Decimal(1)),
)


def scenario(locked=(), *, money=None, hours=None, mentors=None, rules=None):
    return Scenario(
        currency="CAD",
        budget=Budget(
            money=None if money is None else Decimal(money),
            staff_hours=None if hours is None else Decimal(hours),
        ),
        rules=rules or Rules(min_per_mentor=1, max_per_mentor=2),
        moments=MOMENTS,
        options=OPTIONS,
        mentors=mentors
        or (
            Mentor("ana", name="Ana", public_consent=False, hours=Decimal(10)),
            Mentor("bo", name="Bo", public_consent="ask", recent=("card",)),
        ),
        locked=tuple(Line(*line) for line in locked),
    )


def infeasible_because(*args, **kwargs):
    with translation.override("en"):
        result = plan(scenario(*args, **kwargs))
    assert result.status == "infeasible"
    assert result.assignments == ()
    return " ".join(result.problems)


@pytest.mark.parametrize(
    ("locked", "reason"),
    [
        ([("ana", "gala", "jun")], "Ana has not agreed to public recognition"),
        ([("ana", "gala", "jan")], "is not offered at the moment “jan”"),
        ([("ana", "stipend", "jan")], "it needs 40 h of mentoring in the year, and they have 10 h"),
        ([("bo", "card", "jan")], "Bo received “card” lately"),
        ([("ana", "pd", "jan"), ("bo", "pd", "jun")], "Only 1 of “pd” is left, for 2"),
        ([("ana", "pd", "jan"), ("ana", "card", "jan")], "two recognitions at the moment"),
    ],
)
def test_locked_lines_that_break_a_hard_rule_make_the_plan_infeasible(locked, reason):
    assert reason in infeasible_because(locked)


def test_locked_lines_beyond_the_budget_or_the_maximum_are_infeasible():
    assert "cost more than the budget" in infeasible_because([("ana", "pd", "jan")], money=50)
    assert "more staff hours" in infeasible_because([("ana", "card", "jan")], hours=0)
    rules = Rules(min_per_mentor=0, max_per_mentor=1)
    problems = infeasible_because([("ana", "pd", "jan"), ("ana", "card", "jun")], rules=rules)
    assert "more than the maximum of 1" in problems


def test_a_mentor_who_said_ask_may_get_a_public_option_only_when_the_manager_locked_it():
    locked = plan(scenario([("bo", "gala", "jun")]))
    assert ("bo", "gala") in {(a.mentor, a.option) for a in locked.assignments}
    free = plan(scenario())
    assert ("bo", "gala") not in {(a.mentor, a.option) for a in free.assignments}


def test_a_budget_too_small_still_plans_and_says_how_much_more_would_cover_everyone():
    mentors = tuple(Mentor(f"m{k}", public_consent=False) for k in range(4))
    with translation.override("en"):
        result = plan(scenario(money=10, hours=10, mentors=mentors))
    assert result.status != "infeasible"
    assert result.covered_mentors == 2 and len(result.uncovered) == 2
    assert result.shortfall.money == pytest.approx(10.0)
    assert result.shortfall.estimate
    assert "2 mentors receive no recognition." in result.shortfall.message
    assert "About $10.00 more would cover them" in result.shortfall.message


def test_a_mentor_no_option_is_open_to_is_named_as_beyond_any_budget():
    only_public = (Option("gala", Category.PUBLIC_EVENT, visibility=Visibility.PUBLIC),)
    tiny = Scenario(
        currency="CAD",
        budget=Budget(),
        rules=Rules(),
        moments=MOMENTS,
        options=only_public,
        mentors=(Mentor("ana", public_consent=False),),
    )
    with translation.override("en"):
        result = plan(tiny)
    assert result.uncovered == ("ana",)
    assert result.shortfall.without_option == ("ana",)
    assert "no option open to them" in result.shortfall.message


def test_when_the_solver_has_no_answer_in_time_the_greedy_plan_stands_in(monkeypatch):
    monkeypatch.setattr(solve, "_solve_mip", lambda *args: ([], {"no_solution": True}))
    tiny = scenario(money=200, mentors=(Mentor("ana", hours=Decimal(50)), Mentor("bo")))
    result = plan(tiny)
    assert result.details["fallback"] == "greedy"
    assert result.covered_mentors == 2
    assert result.status == "feasible" or result.gap == 0


def test_a_plan_a_cent_over_the_budget_loses_its_least_fitting_line_never_a_locked_one():
    mentors = (
        Mentor("ana", hours=Decimal(50), preferences={Category.THANK_YOU_CARD: 5}),
        Mentor("bo", preferences={Category.THANK_YOU_CARD: 1}),
    )
    problem = Problem(scenario([("ana", "card", "jan")], money="9.99", mentors=mentors))
    card = problem.option_index["card"]
    lines = [(0, card, 0), (1, card, 0)]
    kept, removed = solve._keep_limits(problem, lines)
    assert (kept, removed) == ([(0, card, 0)], 1)
