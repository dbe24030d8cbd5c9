"""The path large scenarios take (pruned candidates priced by the LP's duals, the LP's integral
choices kept, the MIP on the rest) keeps every rule and stays close to its honest bound. It is
forced here on a few hundred mentors so the test stays fast."""

import datetime
import random
from decimal import Decimal

import highspy
import numpy as np
import pytest

from laurier.recognition.categories import RecognitionCategory, Visibility
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
    solve,
)

from .test_planner_checker import hard_rule_breaches

CATEGORIES = list(RecognitionCategory)


def generated(mentors=300, *, money, seed=7):
    rng = random.Random(seed)
    moments = tuple(
        Moment(f"t{k}", datetime.date(2027, 1, 17) + datetime.timedelta(days=30 * k), f"k{k % 3}")
        for k in range(6)
    )
    options = tuple(
        Option(
            key=f"o{k}",
            category=CATEGORIES[k % len(CATEGORIES)],
            visibility=rng.choice([Visibility.PUBLIC, Visibility.PRIVATE]),
            cost=Decimal(rng.choice([0, 5, 20, 80, 300])),
            staff_hours=Decimal(rng.choice([0, 1, 2])) / 2,
            capacity=rng.choice([None, None, 10, 40]),
            moments=None if rng.random() < 0.5 else tuple(rng.sample([m.key for m in moments], 2)),
            min_hours=Decimal(rng.choice([0, 0, 20])),
        )
        for k in range(16)
    )
    people = tuple(
        Mentor(
            key=f"m{k}",
            hours=Decimal(rng.randint(0, 80)),
            tenure_years=Decimal(rng.randint(0, 6)),
            public_consent=rng.choice([True, False, "ask"]),
            preferences={category: rng.randint(0, 5) for category in CATEGORIES},
            recent=tuple(rng.sample([o.key for o in options], rng.randint(0, 2))),
            preferred_moment_kinds=(f"k{rng.randint(0, 2)}",),
        )
        for k in range(mentors)
    )
    scenario = Scenario(
        currency="CAD",
        budget=Budget(money=Decimal(money), staff_hours=Decimal(mentors)),
        rules=Rules(min_per_mentor=1, max_per_mentor=3),
        moments=moments,
        options=options,
        mentors=people,
    )
    # One locked line, the first that keeps the rules on its own.
    lines = (Line("m0", o.key, t.key) for o in options for t in moments)
    lock = next(line for line in lines if not hard_rule_breaches(scenario, [line]))
    return Scenario(**{**scenario.__dict__, "locked": (lock,)})


@pytest.fixture
def large_path(monkeypatch):
    monkeypatch.setattr(solve, "ALL_PAIRS", 0)
    monkeypatch.setattr(solve, "FULL_MIP_COLUMNS", 0)


@pytest.mark.parametrize("money", [1500, 60000])
def test_the_large_path_keeps_every_rule_and_beats_greedy_close_to_its_bound(large_path, money):
    scenario = generated(money=money)
    result = plan(scenario)
    assert "mip_mentors" in result.details
    assert hard_rule_breaches(scenario, result.assignments) == []
    assert result.details["raw_bound"] >= result.objective - 1e-6
    assert result.gap <= 0.01
    greedy = plan_greedily(scenario)
    assert result.objective >= greedy.objective
    assert result.covered_mentors >= greedy.covered_mentors


def test_another_highs_user_with_its_own_thread_count_does_not_break_the_planner():
    other = highspy.Highs()
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", 3)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 1, 0
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.ones(1), np.zeros(1), np.ones(1)
    other.passModel(lp)
    highspy.Highs.resetGlobalScheduler(True)
    other.run()
    result = plan(generated(mentors=40, money=500))
    assert "fallback" not in result.details
    assert result.status == "optimal"


def test_a_background_task_can_follow_the_plans_progress():
    steps = []
    plan(generated(mentors=20, money=300), progress=lambda share, step: steps.append((share, step)))
    assert [step for _share, step in steps] == ["choosing", "placing", "explaining", "done"]
    assert [share for share, _step in steps] == sorted(share for share, _step in steps)
