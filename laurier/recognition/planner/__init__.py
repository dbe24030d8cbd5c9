"""The recognition planner: who gets which recognition, at which moment, within the budget.

    from laurier.recognition.planner import plan, plan_greedily, scenario_from_json

`scenario` holds the plain data a plan is made from (and its JSON form; `catalog` turns the
catalog's options into it), `problem` turns it into arrays and scores, `solve` optimises with
HiGHS and `bound` bounds the full problem, `greedy` is the baseline it is measured against,
`moments` places recognitions on the calendar, `reasons` explains every line and `result`
holds what comes out.
"""

from .greedy import plan_greedily
from .result import Assignment, PlanResult, Shortfall
from .scenario import (
    Budget,
    Line,
    Mentor,
    Moment,
    Option,
    Rules,
    Scenario,
    ScenarioError,
    scenario_from_dict,
    scenario_from_json,
    scenario_to_dict,
    scenario_to_json,
)
from .solve import plan

__all__ = [
    "Assignment",
    "Budget",
    "Line",
    "Mentor",
    "Moment",
    "Option",
    "PlanResult",
    "Rules",
    "Scenario",
    "ScenarioError",
    "Shortfall",
    "plan",
    "plan_greedily",
    "scenario_from_dict",
    "scenario_from_json",
    "scenario_to_dict",
    "scenario_to_json",
]
