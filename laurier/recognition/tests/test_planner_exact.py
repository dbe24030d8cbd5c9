"""The planner finds the best plan: tiny hand-made scenarios whose answer is known, each also
checked by brute force over every plan that keeps the rules. No database."""

import datetime
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

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
    plan_greedily,
)
from laurier.recognition.planner.problem import Problem

from .test_planner_checker import hard_rule_breaches
from .test_planner_properties import scenarios

MOMENTS = (
    Moment("jan", datetime.date(2027, 1, 17), "international_mentoring_day"),
    Moment("jun", datetime.date(2027, 6, 1), "cycle_end"),
)


def best_by_brute_force(scenario):
    """(objective, lines) of the best plan among all that keep every hard rule."""
    problem = Problem(scenario)
    pairs = [
        (option.key, moment.key)
        for option in scenario.options
        for moment in scenario.moments
        if option.moments is None or moment.key in option.moments
    ]
    per_mentor = []
    for mentor in scenario.mentors:
        sets = []
        for size in range(scenario.rules.max_per_mentor + 1):
            for chosen in itertools.combinations(pairs, size):
                lines = [Line(mentor.key, option, moment) for option, moment in chosen]
                if not hard_rule_breaches(_alone(scenario, mentor), lines):
                    sets.append(lines)
        per_mentor.append(sets)
    best = None
    for combination in itertools.product(*per_mentor):
        lines = [line for lines in combination for line in lines]
        if hard_rule_breaches(scenario, lines):
            continue
        objective = problem.evaluate(
            [
                (
                    problem.mentor_index[line.mentor],
                    problem.option_index[line.option],
                    problem.moment_index[line.moment],
                )
                for line in lines
            ]
        )[0]
        if best is None or objective > best[0] + 1e-9:
            best = (objective, lines)
    return best


def _alone(scenario, mentor):
    """The scenario reduced to one mentor, with no budget or capacity: its own rules only."""
    return Scenario(
        currency=scenario.currency,
        budget=Budget(),
        rules=scenario.rules,
        moments=scenario.moments,
        options=tuple(
            Option(**{**option.__dict__, "capacity": None}) for option in scenario.options
        ),
        mentors=(mentor,),
        locked=tuple(line for line in scenario.locked if line.mentor == mentor.key),
    )


def scenario(options, mentors, *, money=None, rules=None):
    return Scenario(
        currency="CAD",
        budget=Budget(money=None if money is None else Decimal(money)),
        rules=rules or Rules(min_per_mentor=1, max_per_mentor=1),
        moments=MOMENTS,
        options=tuple(options),
        mentors=tuple(mentors),
    )


def given_options(result):
    return {(line.mentor, line.option) for line in result.assignments}


def assert_optimal(tiny):
    result = plan(tiny, relative_gap=0.0)
    best, _lines = best_by_brute_force(tiny)
    assert abs(result.objective - best) < 1e-6
    assert result.upper_bound >= best - 1e-6
    return result


PD = Option("pd", Category.PROFESSIONAL_DEVELOPMENT, cost=Decimal(100))
CARD = Option("card", Category.THANK_YOU_CARD, cost=Decimal(5))


def test_the_budget_gives_the_dear_option_to_who_gave_most_and_a_card_to_the_other():
    loves_pd = {Category.PROFESSIONAL_DEVELOPMENT: 5, Category.THANK_YOU_CARD: 1}
    mentors = [
        Mentor("paul", hours=Decimal(5), preferences=loves_pd),
        Mentor("marie", hours=Decimal(80), tenure_years=Decimal(4), preferences=loves_pd),
    ]
    result = assert_optimal(scenario([PD, CARD], mentors, money=105))
    assert given_options(result) == {("marie", "pd"), ("paul", "card")}
    assert result.status == "optimal"


def test_covering_every_mentor_comes_before_giving_one_their_favourite():
    loves_pd = {Category.PROFESSIONAL_DEVELOPMENT: 5}
    mentors = [Mentor(f"m{k}", hours=Decimal(50), preferences=loves_pd) for k in range(3)]
    result = assert_optimal(scenario([PD, CARD], mentors, money=109))
    assert {option for _mentor, option in given_options(result)} == {"card"}
    assert len(result.assignments) == 3


def test_a_second_recognition_of_the_same_category_is_worth_less():
    options = [
        PD,
        Option("coaching", Category.PROFESSIONAL_DEVELOPMENT),
        Option("certificate", Category.CERTIFICATE),
    ]
    preferences = {Category.PROFESSIONAL_DEVELOPMENT: 5, Category.CERTIFICATE: 4}
    rules = Rules(min_per_mentor=1, max_per_mentor=2)
    result = assert_optimal(
        scenario(options, [Mentor("ana", preferences=preferences)], rules=rules)
    )
    categories = {line.option for line in result.assignments}
    assert "certificate" in categories and len(categories & {"pd", "coaching"}) == 1


def test_a_recognition_lands_on_a_moment_of_a_kind_the_mentor_prefers():
    mentor = Mentor(
        "ana", preferences={Category.THANK_YOU_CARD: 3}, preferred_moment_kinds=("cycle_end",)
    )
    result = assert_optimal(scenario([CARD], [mentor]))
    assert [line.moment for line in result.assignments] == ["jun"]


def test_a_single_seat_goes_to_the_mentor_who_values_it_most():
    gala = Option("gala", Category.PUBLIC_EVENT, visibility=Visibility.PUBLIC, capacity=1)
    mentors = [
        Mentor("ana", public_consent=True, preferences={Category.PUBLIC_EVENT: 3}),
        Mentor("bo", public_consent=True, preferences={Category.PUBLIC_EVENT: 5}),
    ]
    rules = Rules(min_per_mentor=0, max_per_mentor=1)
    result = assert_optimal(scenario([gala], mentors, rules=rules))
    assert given_options(result) == {("bo", "gala")}


def test_the_planner_beats_the_greedy_baseline_where_greedy_spends_on_favourites():
    loves_pd = {Category.PROFESSIONAL_DEVELOPMENT: 5, Category.THANK_YOU_CARD: 2}
    mentors = [Mentor(f"m{k}", preferences=loves_pd) for k in range(3)]
    tiny = scenario([PD, CARD], mentors, money=109)
    planned, greedy = plan(tiny), plan_greedily(tiny)
    assert planned.covered_mentors == 3 > greedy.covered_mentors
    assert planned.objective > greedy.objective


def shrunk(large):
    """At most two moments and two recognitions per mentor, so brute force stays quick."""
    kept = {moment.key for moment in large.moments[:2]}
    options = []
    for option in large.options:
        moments = None if option.moments is None else tuple(m for m in option.moments if m in kept)
        options.append(Option(**{**option.__dict__, "moments": moments or None}))
    rules = Rules(
        min_per_mentor=min(large.rules.min_per_mentor, 2),
        max_per_mentor=min(large.rules.max_per_mentor, 2),
        one_per_moment=large.rules.one_per_moment,
    )
    locked = tuple(line for line in large.locked if line.moment in kept)
    return Scenario(
        **{
            **large.__dict__,
            "moments": large.moments[:2],
            "options": tuple(options),
            "rules": rules,
            "locked": locked,
        }
    )


@settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(scenarios().filter(lambda s: len(s.mentors) <= 3 and len(s.options) <= 3))
def test_on_random_tiny_scenarios_no_plan_that_keeps_the_rules_does_better(tiny):
    tiny = shrunk(tiny)
    result = plan(tiny, relative_gap=0.0)
    if result.status == "infeasible":
        assert hard_rule_breaches(tiny, tiny.locked)
        return
    best, _lines = best_by_brute_force(tiny)
    assert result.objective <= best + 1e-6
    assert result.upper_bound >= best - 1e-6
    if result.status == "optimal":
        assert result.objective >= best - 1e-6
