"""Properties of every plan on random small scenarios (hypothesis), for the planner and the
greedy baseline: hard rules kept, locked lines kept, coverage when nothing limits it, an honest
bound, the same plan for the same input. No database."""

import datetime
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
)

from .test_planner_checker import hard_rule_breaches

CATEGORIES = list(RecognitionCategory)
KINDS = ["cycle_start", "mid_cycle", "cycle_end"]
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def scenarios(draw, *, generous=False, with_locked=True):
    moment_count = draw(st.integers(1, 4))
    moments = tuple(
        Moment(
            f"t{k}",
            datetime.date(2027, 1, 1) + datetime.timedelta(days=30 * k),
            draw(st.sampled_from(KINDS)),
        )
        for k in range(moment_count)
    )
    if not generous and draw(st.booleans()):
        # The mentors' anniversaries: one moment, open only to those who have one.
        owners = draw(st.lists(st.sampled_from([f"m{k}" for k in range(5)]), unique=True))
        moments += (
            Moment(
                "own",
                datetime.date(2027, 2, 14),
                "mentoring_anniversary",
                mentors=frozenset(owners),
            ),
        )
    moment_keys = [moment.key for moment in moments]
    options = []
    for k in range(draw(st.integers(1, 5))):
        restricted = not generous and draw(st.booleans())
        options.append(
            Option(
                key=f"o{k}",
                category=draw(st.sampled_from(CATEGORIES)),
                visibility=draw(st.sampled_from([Visibility.PUBLIC, Visibility.PRIVATE])),
                cost=Decimal(draw(st.integers(0, 60))),
                staff_hours=Decimal(draw(st.integers(0, 4))) / 2,
                material_items=draw(st.integers(0, 2)),
                capacity=None if generous else draw(st.none() | st.integers(0, 3)),
                moments=tuple(draw(st.lists(st.sampled_from(moment_keys), min_size=1, unique=True)))
                if restricted
                else None,
                min_hours=Decimal(0) if generous else Decimal(draw(st.sampled_from([0, 0, 10]))),
                min_tenure_years=Decimal(0)
                if generous
                else Decimal(draw(st.sampled_from([0, 0, 2]))),
                contest_winners_only=not generous and draw(st.booleans()) and k == 0,
                culture_fit=draw(st.none() | st.floats(0, 1)),
            )
        )
    if not generous and len(options) >= 2 and draw(st.booleans()):
        # Option o1 is a copy of o0 (one per capacity period): a mentor gets one of them.
        options[1] = replace(options[1], family="o0")
    option_keys = [option.key for option in options]
    mentors = []
    for k in range(draw(st.integers(1, 5))):
        mentors.append(
            Mentor(
                key=f"m{k}",
                name=draw(st.sampled_from(["", "Marie", "Léa"])),
                hours=Decimal(draw(st.integers(0, 40))),
                tenure_years=Decimal(draw(st.integers(0, 4))),
                public_consent=True if generous else draw(st.sampled_from([True, False, "ask"])),
                preferences={
                    category: draw(st.integers(0, 5))
                    for category in draw(st.lists(st.sampled_from(CATEGORIES), unique=True))
                },
                recent=()
                if generous
                else tuple(draw(st.lists(st.sampled_from(option_keys), unique=True))),
                preferred_moment_kinds=tuple(draw(st.lists(st.sampled_from(KINDS), unique=True))),
                contest_winner=draw(st.booleans()),
            )
        )
    minimum = draw(st.integers(0, 2))
    rules = Rules(
        min_per_mentor=minimum,
        max_per_mentor=draw(st.integers(minimum, 3)),
        one_per_moment=draw(st.booleans()),
    )
    if generous:
        budget = Budget()
    else:
        budget = Budget(
            money=draw(st.none() | st.integers(0, 200).map(Decimal)),
            staff_hours=draw(st.none() | st.integers(0, 8).map(Decimal)),
            material_items=draw(st.none() | st.integers(0, 6)),
        )
    locked = ()
    if with_locked:
        locked = tuple(
            draw(
                st.lists(
                    st.builds(
                        Line,
                        st.sampled_from([mentor.key for mentor in mentors]),
                        st.sampled_from(option_keys),
                        st.sampled_from(moment_keys),
                    ),
                    max_size=2,
                    unique=True,
                )
            )
        )
    return Scenario(
        currency="CAD",
        budget=budget,
        rules=rules,
        moments=moments,
        options=tuple(options),
        mentors=tuple(mentors),
        locked=locked,
    )


@FAST
@given(scenarios())
def test_every_plan_keeps_every_hard_rule_and_its_locked_lines(scenario):
    result = plan(scenario, relative_gap=0.0)
    locked_alone_break_rules = bool(hard_rule_breaches(scenario, scenario.locked))
    assert (result.status == "infeasible") == locked_alone_break_rules
    if result.status == "infeasible":
        assert result.problems and not result.assignments
        return
    assert hard_rule_breaches(scenario, result.assignments) == []
    locked = {(line.mentor, line.option, line.moment) for line in scenario.locked}
    assert {(a.mentor, a.option, a.moment) for a in result.assignments if a.locked} == locked


@FAST
@given(scenarios())
def test_the_greedy_baseline_keeps_every_hard_rule_too(scenario):
    result = plan_greedily(scenario)
    if result.status != "infeasible":
        assert hard_rule_breaches(scenario, result.assignments) == []


@FAST
@given(scenarios())
def test_the_bound_is_never_below_the_plan_nor_below_the_greedy_plan(scenario):
    result = plan(scenario)
    if result.status == "infeasible":
        return
    greedy = plan_greedily(scenario)
    assert result.details["raw_bound"] >= result.objective - 1e-6
    assert result.details["raw_bound"] >= greedy.objective - 1e-6
    assert 0 <= result.gap <= 1


@FAST
@given(scenarios(generous=True, with_locked=False))
def test_with_enough_budget_and_capacity_every_mentor_gets_the_minimum(scenario):
    moments_needed = scenario.rules.min_per_mentor if scenario.rules.one_per_moment else 1
    options_open = len(scenario.options)
    if moments_needed > len(scenario.moments) or scenario.rules.min_per_mentor > options_open:
        return
    result = plan(scenario)
    assert result.uncovered == ()
    counts = {mentor.key: 0 for mentor in scenario.mentors}
    for line in result.assignments:
        counts[line.mentor] += 1
    assert min(counts.values()) >= scenario.rules.min_per_mentor


@settings(max_examples=15, deadline=None, derandomize=True)
@given(scenarios())
def test_the_same_scenario_gives_the_same_plan(scenario):
    first, second = plan(scenario), plan(scenario)
    assert first.assignments == second.assignments
    assert first.status == second.status
