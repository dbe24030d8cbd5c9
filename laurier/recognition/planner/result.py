"""A plan's result: its lines with their reasons, its scores, and who it leaves out."""

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np
from django.utils import translation

from .problem import EPSILON
from .reasons import ReasonWriter, shortfall_message

OPTIMAL = "optimal"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"


@dataclass(frozen=True)
class Assignment:
    mentor: str
    option: str
    moment: str
    reason: str
    locked: bool = False
    fit: float = 0.0
    # {language: reason} when the plan was asked for reasons in several languages.
    reasons: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Shortfall:
    """What more would let every mentor reach the minimum. `estimate`: an estimate (the
    cheapest eligible options of the uncovered, ignoring capacities), not a proven figure."""

    money: float
    staff_hours: float
    estimate: bool = True
    material_items: float = 0.0
    # Mentors no budget can cover: nothing in the catalog is open to them.
    without_option: tuple = ()
    message: str = ""


@dataclass(frozen=True)
class PlanResult:
    status: str
    assignments: tuple = ()
    objective: float = 0.0
    upper_bound: float = 0.0
    gap: float = 0.0
    seconds: float = 0.0
    uncovered: tuple = ()
    shortfall: Shortfall | None = None
    problems: tuple = ()
    fit: float = 0.0
    covered_mentors: int = 0
    money: float = 0.0
    staff_hours: float = 0.0
    material_items: float = 0.0
    details: dict = field(default_factory=dict, hash=False, compare=False)

    def to_dict(self):
        """The issue's OUT format, with the planner's other figures next to it."""
        data = {
            "status": self.status,
            "assignments": [
                {
                    "mentor": line.mentor,
                    "option": line.option,
                    "moment": line.moment,
                    "reason": line.reason,
                    "locked": line.locked,
                }
                for line in self.assignments
            ],
            "objective": round(self.objective, 4),
            "upper_bound": round(self.upper_bound, 4),
            "gap": round(self.gap, 6),
            "seconds": round(self.seconds, 3),
            "fit": round(self.fit, 4),
            "covered_mentors": self.covered_mentors,
            "uncovered": list(self.uncovered),
            "money": round(self.money, 2),
            "staff_hours": round(self.staff_hours, 2),
            "material_items": round(self.material_items),
            "problems": list(self.problems),
        }
        if self.shortfall:
            data["shortfall"] = {
                "money": round(self.shortfall.money, 2),
                "staff_hours": round(self.shortfall.staff_hours, 2),
                "material_items": round(self.shortfall.material_items),
                "estimate": self.shortfall.estimate,
                "without_option": list(self.shortfall.without_option),
                "message": self.shortfall.message,
            }
        return data


def finish(
    problem, lines, *, bound, started, relative_gap=0.0, repaired=False, details=None, reasons=True
):
    """The PlanResult of `lines` ((m, o, t) triples, locked ones included): scores, reasons,
    uncovered mentors and what more budget would cover them. Shared with the greedy baseline.

    `reasons`: True for reasons in the active language, False for none, or a sequence of
    language codes for each line's reason in each (`Assignment.reasons`; `reason` holds the
    first)."""
    scenario = problem.scenario
    objective, fit, covered_units, _repeats = problem.evaluate(lines)
    details = {**(details or {}), "raw_bound": bound}
    # A bound a hair below the objective is rounding; tests check the raw one.
    bound = max(bound, objective)
    gap = (bound - objective) / abs(bound) if abs(bound) > EPSILON else 0.0
    locked = {(m, i, t) for m, i, t in problem.locked_lines}
    count = problem.taken.copy()
    given = {}
    for m, i, _t in lines:
        count[m] += 1
        given.setdefault(m, set()).add(i)
    ordered = sorted(
        lines, key=lambda line: (line[0], problem.moments[line[2]].date, line[2], line[1])
    )
    texts = _reasons(problem, ordered, locked, given, reasons)
    assignments = tuple(
        Assignment(
            mentor=problem.mentors[m].key,
            option=problem.options[i].key,
            moment=problem.moments[t].key,
            reason=next(iter(texts[n].values()), ""),
            locked=(m, i, t) in locked,
            fit=problem.line_fit(m, i, t),
            reasons=texts[n] if len(texts[n]) > 1 else {},
        )
        for n, (m, i, t) in enumerate(ordered)
    )
    uncovered = np.nonzero(count < scenario.rules.min_per_mentor)[0]
    money = float(sum(problem.cost[i] for _m, i, _t in lines))
    hours = float(sum(problem.staff_hours[i] for _m, i, _t in lines))
    items = float(sum(problem.items[i] for _m, i, _t in lines))
    status = OPTIMAL if gap <= relative_gap + 1e-9 and not repaired else FEASIBLE
    return PlanResult(
        status=status,
        assignments=assignments,
        objective=objective,
        upper_bound=bound,
        gap=gap,
        seconds=time.perf_counter() - started,
        uncovered=tuple(problem.mentors[m].key for m in uncovered),
        shortfall=_shortfall(problem, uncovered, count, given, (money, hours, items))
        if len(uncovered)
        else None,
        fit=fit,
        covered_mentors=int(problem.shape[0] - len(uncovered)),
        money=money,
        staff_hours=hours,
        material_items=items,
        details=details,
    )


def _reasons(problem, lines, locked, given, reasons):
    """[{language: reason}] for `lines`, in the languages `reasons` asks for."""
    if not reasons:
        return [{} for _line in lines]
    languages = [None] if reasons is True else list(reasons)
    texts = [{} for _line in lines]
    for language in languages:
        with translation.override(language) if language else contextlib.nullcontext():
            writer = ReasonWriter(problem)
            for n, (m, i, t) in enumerate(lines):
                texts[n][language or ""] = writer.reason(
                    m, i, t, locked=(m, i, t) in locked, given=given.get(m, ())
                )
    return texts


def _shortfall(problem, uncovered, count, given, used):
    """An estimate of the money, staff hours and material items that would cover `uncovered`
    mentors: the cheapest options still open to each, less what the plan left unused."""
    rules = problem.scenario.rules
    more = np.zeros(3)
    amounts = (
        np.stack([problem.cost, problem.staff_hours, problem.items])
        if len(problem.cost)
        else np.zeros((3, 0))
    )
    without = []
    for m in uncovered:
        missing = rules.min_per_mentor - int(count[m])
        open_options = [
            i
            for i in np.nonzero(problem.may_receive[m])[0]
            if i not in given.get(m, ()) and (problem.allowed[i] & problem.free[m]).any()
        ]
        if len(open_options) < missing:
            without.append(problem.mentors[m].key)
            continue
        cheapest = sorted(open_options, key=lambda i: (problem.cost[i], problem.staff_hours[i], i))[
            :missing
        ]
        more += amounts[:, cheapest].sum(axis=1)
    budget = problem.scenario.budget
    limits = (budget.money, budget.staff_hours, budget.material_items)
    for k, limit in enumerate(limits):
        # Without a limit, more of it would change nothing.
        more[k] = 0.0 if limit is None else max(0.0, more[k] - max(0.0, float(limit) - used[k]))
    more_money, more_hours, more_items = (float(value) for value in more)
    return Shortfall(
        money=more_money,
        staff_hours=more_hours,
        material_items=more_items,
        estimate=True,
        without_option=tuple(without),
        message=shortfall_message(
            len(uncovered),
            more_money,
            more_hours,
            len(without),
            min_per_mentor=rules.min_per_mentor,
            currency=problem.scenario.currency,
            material_items=more_items,
        ),
    )
