"""Scenarios in the issue's JSON format: read, written back, and refused with clear reasons."""

import json

import pytest
from django.utils import translation

from laurier.recognition.categories import RecognitionCategory
from laurier.recognition.planner import (
    Scenario,
    ScenarioError,
    plan,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
from laurier.recognition.planner.scenario import CATEGORY_BY_KEY

ISSUE_EXAMPLE = {
    "currency": "CAD",
    "budget": {"money": 25000.0, "staff_hours": 300.0},
    "rules": {"min_per_mentor": 1, "max_per_mentor": 3, "one_per_moment": True},
    "moments": [
        {"key": "t0", "date": "2027-01-17", "kind": "international_mentoring_day"},
        {"key": "t1", "date": "2027-06-30", "kind": "cycle_end"},
    ],
    "options": [
        {
            "key": "o1",
            "category": "professional_development",
            "visibility": "private",
            "cost": 150.0,
            "staff_hours": 1.0,
            "capacity": 30,
            "moments": ["t0"],
            "min_hours": 0,
            "min_tenure_years": 0,
        },
        {
            "key": "o7",
            "category": "formal_mention",
            "visibility": "public",
            "cost": 0.0,
            "staff_hours": 0.5,
            "capacity": None,
            "moments": None,
            "min_hours": 0,
            "min_tenure_years": 0,
        },
    ],
    "mentors": [
        {
            "key": "m1",
            "hours": 42.5,
            "tenure_years": 3.2,
            "public_consent": True,
            "preferences": {"professional_development": 5, "card": 0},
            "recent": ["o7"],
        }
    ],
    "locked": [{"mentor": "m1", "option": "o1", "moment": "t0"}],
}


def problems_of(data):
    with pytest.raises(ScenarioError) as error, translation.override("en"):
        scenario_from_dict(data)
    return " ".join(error.value.problems)


def test_the_issues_twelve_category_keys_map_to_the_twelve_catalog_categories():
    assert set(CATEGORY_BY_KEY.values()) == set(RecognitionCategory)
    assert len(CATEGORY_BY_KEY) == 12


def test_the_issues_example_reads_and_plans():
    scenario = scenario_from_json(json.dumps(ISSUE_EXAMPLE))
    assert scenario.options[0].category == RecognitionCategory.PROFESSIONAL_DEVELOPMENT
    assert scenario.mentors[0].preference(RecognitionCategory.PROFESSIONAL_DEVELOPMENT) == 5
    result = plan(scenario)
    assert result.status == "optimal"
    assert [(a.mentor, a.option, a.moment, a.locked) for a in result.assignments] == [
        ("m1", "o1", "t0", True)
    ]
    out = result.to_dict()
    assert set(out) >= {"status", "assignments", "objective", "upper_bound", "seconds"}
    assert set(out["assignments"][0]) >= {"mentor", "option", "moment", "reason"}


def test_a_scenario_written_back_reads_the_same():
    scenario = scenario_from_dict(ISSUE_EXAMPLE)
    again = scenario_from_json(scenario_to_json(scenario))
    assert again == scenario
    assert Scenario.from_json(scenario.to_json()) == scenario
    assert scenario_to_dict(again) == scenario_to_dict(scenario)
    assert scenario_to_dict(scenario)["options"][1]["category"] == "formal_mention"


def test_a_locked_line_with_unknown_keys_is_refused_naming_them():
    data = {**ISSUE_EXAMPLE, "locked": [{"mentor": "m9", "option": "o1", "moment": "t5"}]}
    problems = problems_of(data)
    assert "unknown mentor “m9”" in problems
    assert "unknown moment “t5”" in problems


def test_negative_costs_and_out_of_range_preferences_are_refused():
    option = {**ISSUE_EXAMPLE["options"][0], "cost": -5}
    mentor = {**ISSUE_EXAMPLE["mentors"][0], "preferences": {"card": 7}}
    problems = problems_of({**ISSUE_EXAMPLE, "options": [option], "mentors": [mentor]})
    assert "“o1” has a negative cost" in problems
    assert "scores go from 0 to 5" in problems


def test_an_unknown_category_a_minimum_above_the_maximum_and_bad_json_are_refused():
    option = {**ISSUE_EXAMPLE["options"][0], "category": "yacht"}
    assert "Unknown category “yacht”" in problems_of({**ISSUE_EXAMPLE, "options": [option]})
    rules = {"min_per_mentor": 3, "max_per_mentor": 1}
    assert "above the maximum" in problems_of({**ISSUE_EXAMPLE, "rules": rules})
    with pytest.raises(ScenarioError), translation.override("en"):
        scenario_from_json("{not json")


def test_a_culture_gives_options_without_their_own_fit_a_culture_fit():
    option = {**ISSUE_EXAMPLE["options"][1], "formality": "formal", "nature": "symbolic"}
    data = {
        **ISSUE_EXAMPLE,
        "options": [option],
        "locked": [],
        "culture": {"public_or_private": -2},
    }
    scenario = scenario_from_dict(data)
    # A public option in a culture that strongly prefers private recognition.
    assert scenario.culture_fit(scenario.options[0]) == 0.0
    neutral = scenario_from_dict({**data, "culture": None})
    assert neutral.culture_fit(neutral.options[0]) == 0.5


@pytest.mark.parametrize(
    ("moments", "options", "mentors"),
    [([], [], []), ([], ISSUE_EXAMPLE["options"][1:], ISSUE_EXAMPLE["mentors"])],
)
def test_an_empty_scenario_plans_nothing_and_says_who_is_left_out(moments, options, mentors):
    data = {**ISSUE_EXAMPLE, "moments": moments, "options": options, "mentors": mentors}
    with translation.override("en"):
        result = plan(scenario_from_dict({**data, "locked": []}))
    assert result.assignments == ()
    assert result.uncovered == tuple(mentor["key"] for mentor in mentors)
