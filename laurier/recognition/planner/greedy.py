"""The baseline the planner is measured against: each mentor's favourite affordable option,
round by round.

Round 1 goes through the mentors in the scenario's order; each takes their favourite option
(the highest fit, so the highest preference first) among those still open to them that fit
the remaining budget and capacity, at their best free moment. Further rounds do the same, up
to the maximum per mentor. It obeys the same hard rules as the planner and is scored by the
same objective, so the two compare directly.
"""

import time

import numpy as np

from .bound import lagrangian_bound
from .moments import moment_preference
from .problem import EPSILON, Problem
from .result import INFEASIBLE, PlanResult, finish


def plan_greedily(scenario, *, reasons=True):
    """A PlanResult built greedily; its upper bound is the planner's bound at zero prices."""
    started = time.perf_counter()
    scenario.validate()
    problem = Problem(scenario)
    if problem.problems:
        return PlanResult(status=INFEASIBLE, problems=tuple(problem.problems))
    lines = greedy_lines(problem)
    bound = lagrangian_bound(problem)
    return finish(problem, lines, bound=bound, started=started, relative_gap=0.0, reasons=reasons)


def greedy_lines(problem):
    """The greedy plan's (mentor, option, moment) index triples, locked lines first."""
    n = problem.shape[0]
    rules = problem.scenario.rules
    money_left, hours_left, items_left = problem.money_left, problem.hours_left, problem.items_left
    capacity_left = problem.capacity_left.copy()
    free = problem.free.copy()
    open_options = problem.eligible.copy()
    # Fit less the repeat points of a category already given (locked lines included).
    taken_category = problem.locked_by_category.copy()
    lines = list(problem.locked_lines)
    for _round in range(int(problem.max_new.max(initial=0))):
        for m in range(n):
            if problem.max_new[m] <= _round:
                continue
            affordable = (
                open_options[m]
                & (problem.cost <= money_left + EPSILON)
                & (problem.staff_hours <= hours_left + EPSILON)
                & (problem.items <= items_left + EPSILON)
                & (capacity_left >= 1)
            )
            if rules.one_per_moment:
                affordable &= (problem.allowed & free[m][None, :]).any(axis=1)
            if not affordable.any():
                continue
            value = problem.fit[m] - np.where(
                taken_category[m, problem.category] > 0, problem.repeat_points[m], 0.0
            )
            i = int(np.argmax(np.where(affordable, value, -np.inf)))
            moments = np.nonzero(problem.allowed[i] & free[m])[0]
            moment = int(moment_preference(problem, m, moments)[0])
            lines.append((m, i, moment))
            open_options[m, problem.same_family[i]] = False
            taken_category[m, problem.category[i]] += 1
            money_left -= problem.cost[i]
            hours_left -= problem.staff_hours[i]
            items_left -= problem.items[i]
            capacity_left[i] -= 1
            if rules.one_per_moment:
                free[m, moment] = False
    return lines
