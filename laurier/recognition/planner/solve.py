r"""The planner's optimisation: HiGHS on candidate pairs, moments after, an honest bound.

**The problem.** Choose lines (mentor m, option o, moment t) maximising the objective of
`problem.py` (fit − repeats + coverage) under the hard rules. Written with x[m, o, t] it has
mentors × options × moments binaries (4.8 million at 10,000 × 40 × 12), so it is split.

**Stage 1 — who gets what.** Binaries x[m, o] on candidate pairs. Rows:

* coupling: Σ cost_o·x ≤ money left, Σ staff_hours_o·x ≤ staff hours left, and for each
  capacitated option Σ_m x[m, o] ≤ capacity left (money, hours and capacity already used by
  the locked lines are taken off first);
* per mentor: Σ_o x ≤ max_new_m (the maximum less the locked lines, and no more than the free
  moments when one per moment is the rule); c_m ≤ Σ_o x with 0 ≤ c_m ≤ need_m, rewarded
  coverage_reward each (the soft minimum); Σ_{o in category} x − r_mc ≤ 1 (0 after a locked
  line of that category), r_mc ≥ 0 costing the repeat points; with one per moment, for each
  set A of moments some option is offered at, Σ_{o offered only within A} x ≤ |A ∩ free_m|
  (a Hall condition of the moment matching, which covers "at most one among the options
  offered at one same single moment"); and b_m ≤ Σ_{o that could be at a preferred moment} x,
  b_m ≤ the mentor's free preferred moments, when the bonus of preferred moments would
  otherwise be counted more often than it can be had.

Candidates: a small scenario (up to `ALL_PAIRS` eligible pairs) keeps them all. A large one
starts from prices estimated by a projected subgradient on L (below): each mentor's best
choice at those prices and the next best, its best fits and its cheapest option (so coverage
stays possible on a tight budget). The LP relaxation is solved (interior point with
crossover when large); its duals price every eligible pair, and pairs that enter a mentor's
best choice at those prices join the candidates, until the LP is within a quarter of the
requested gap of the bound (or `PRICING_ROUNDS`). Then the integers: with up to
`FULL_MIP_COLUMNS` candidates the MIP is solved whole; above, the LP's vertex solution is
integral for nearly every mentor (only the few coupling rows make fractions), so those
choices are kept and the MIP settles the remaining mentors on what is left of the budget and
capacities. The gap reported is measured against the full bound either way.

**Stage 2 — when.** Each mentor's chosen options are matched to distinct free moments they
are offered at, as many as possible at preferred moments (`moments.py`). An option that
cannot be placed is dropped (the status is then "feasible", never "optimal").

**The bound.** It bounds the full problem, not the pruned one. Relax the coupling rows with
multipliers λ ≥ 0 (money), η ≥ 0 (staff hours), μ_o ≥ 0 (capacities) and drop the moment rows
(a relaxation only raises the maximum). What is left decomposes per mentor:

    L(λ, η, μ) = C_locked + λ·money_left + η·hours_left + Σ_o μ_o·capacity_left_o
                 + Σ_m max_{S ⊆ eligible_m, |S| ≤ max_new_m}
                     [ Σ_{o∈S} (fit_mo − λ·cost_o − η·hours_o − μ_o) − repeats_m(S)
                       + coverage_reward·min(|S|, need_m) ]

For any multipliers, every feasible plan's objective is at most L (each relaxed row adds a
non-negative term λ·(left − used)). The inner maximum is exact and vectorised: within a
category, sorted reduced values lose the repeat points from their second (or first, after a
locked line) on, which keeps them decreasing, so the best S of each size k is the k largest
of all these values, and a prefix sum gives every k at once (`lagrangian`; the bonus of
preferred moments is bounded both per pair and per mentor, and the smaller bound kept). It
takes a few milliseconds on 400,000 pairs. The reported upper bound is the smallest L met
(at the subgradient's prices and at the LP duals), or for a small scenario the MIP's own
bound when lower (its stage 1 holds every eligible pair and only relaxes the moments), and
gap = (upper_bound − objective) / upper_bound. "optimal" means within the requested gap of
that bound.
"""

import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .moments import place_on_moments
from .problem import EPSILON, Problem
from .reasons import ReasonWriter, shortfall_message

TOP_FIT_CANDIDATES = 2
# Beyond a mentor's best choice in the relaxation, how many next best pairs are candidates.
CANDIDATE_MARGIN = 1
CHEAPEST_CANDIDATES = 1
PRICING_ROUNDS = 2
SUBGRADIENT_STEPS = 30
# Above this many candidate pairs the MIP settles only the mentors the LP leaves fractional.
FULL_MIP_COLUMNS = 30_000
# Up to this many eligible pairs, all of them are candidates.
ALL_PAIRS = 5_000
INTEGRAL = 1e-6
# Reduced values of ineligible pairs: far below anything real, finite so sums stay numbers.
NEVER = -1e12
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


@dataclass(frozen=True)
class Shortfall:
    """What more would let every mentor reach the minimum. `estimate`: an estimate (the
    cheapest eligible options of the uncovered, ignoring capacities), not a proven figure."""

    money: float
    staff_hours: float
    estimate: bool = True
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
            "problems": list(self.problems),
        }
        if self.shortfall:
            data["shortfall"] = {
                "money": round(self.shortfall.money, 2),
                "staff_hours": round(self.shortfall.staff_hours, 2),
                "estimate": self.shortfall.estimate,
                "without_option": list(self.shortfall.without_option),
                "message": self.shortfall.message,
            }
        return data


def plan(scenario, *, time_limit=60.0, relative_gap=0.01, reasons=True):
    """The best plan for `scenario` within `relative_gap` of the bound (see the module docs).

    Raises ScenarioError for a scenario that is not well formed; returns an "infeasible"
    result, with its `problems`, when the locked lines alone break a hard rule.
    """
    started = time.perf_counter()
    scenario.validate()
    problem = Problem(scenario)
    if problem.problems:
        return PlanResult(
            status=INFEASIBLE,
            problems=tuple(problem.problems),
            seconds=time.perf_counter() - started,
        )
    built = time.perf_counter()
    chosen, bound, details = _choose_options(problem, started, time_limit, relative_gap)
    chose = time.perf_counter()
    lines, dropped = _place(problem, chosen)
    details["seconds_building"] = round(built - started, 3)
    details["seconds_choosing"] = round(chose - built, 3)
    details["seconds_placing"] = round(time.perf_counter() - chose, 3)
    return finish(
        problem,
        lines,
        bound=bound,
        started=started,
        relative_gap=relative_gap,
        repaired=dropped > 0,
        details={**details, "dropped_unplaceable": dropped},
        reasons=reasons,
    )


# Stage 1.


def _initial_candidates(problem):
    n, o, _t = problem.shape
    candidates = np.zeros((n, o), dtype=bool)
    if not n or not o:
        return candidates
    rows = np.arange(n)[:, None]
    by_fit = np.where(problem.eligible, problem.fit, -np.inf)
    top = np.argsort(-by_fit, axis=1, kind="stable")[:, :TOP_FIT_CANDIDATES]
    candidates[rows, top] = True
    money_scale = (
        problem.money_left if np.isfinite(problem.money_left) and problem.money_left > 0 else 1.0
    )
    hours_scale = (
        problem.hours_left if np.isfinite(problem.hours_left) and problem.hours_left > 0 else 1.0
    )
    spend = problem.cost / money_scale + problem.staff_hours / hours_scale
    by_cost = np.where(problem.eligible, spend[None, :], np.inf)
    cheapest = np.argsort(by_cost, axis=1, kind="stable")[:, :CHEAPEST_CANDIDATES]
    candidates[rows, cheapest] = True
    return candidates & problem.eligible


class _Model:
    """The stage-1 model on given candidates, in HiGHS row-wise arrays."""

    def __init__(self, problem, candidates, settled=()):
        n, o, _t = problem.shape
        # What pairs settled outside this model already use of the coupling limits.
        settled_options = np.array([i for _m, i in settled], dtype=np.int64)
        money_left = problem.money_left - float(problem.cost[settled_options].sum())
        hours_left = problem.hours_left - float(problem.staff_hours[settled_options].sum())
        capacity_left = problem.capacity_left - np.bincount(settled_options, minlength=o)
        rules = problem.scenario.rules
        self.mentor, self.option = np.nonzero(candidates)
        m_of, o_of = self.mentor, self.option
        x_count = len(m_of)
        costs = [problem.fit[m_of, o_of]]
        uppers = [np.ones(x_count)]
        column_count = x_count
        row_entries = []  # (rows, columns, values)
        row_upper = []
        row_count = 0

        def add_rows(rows, columns, values, upper):
            nonlocal row_count
            row_entries.append((rows + row_count, columns, values))
            row_upper.append(upper)
            row_count += len(upper)

        x_columns = np.arange(x_count)
        self.money_row = self.hours_row = None
        for attribute, left, amounts in (
            ("money_row", money_left, problem.cost),
            ("hours_row", hours_left, problem.staff_hours),
        ):
            spent = amounts[o_of]
            if np.isfinite(left) and (spent > 0).any():
                setattr(self, attribute, row_count)
                used = spent > 0
                add_rows(
                    np.zeros(used.sum(), dtype=np.int64),
                    x_columns[used],
                    spent[used],
                    np.array([max(left, 0.0)]),
                )
        demand = np.bincount(o_of, minlength=o)
        capacitated = np.nonzero(np.isfinite(capacity_left) & (demand > capacity_left))[0]
        self.capacity_rows = {}
        if len(capacitated):
            row_of_option = np.full(o, -1)
            row_of_option[capacitated] = np.arange(len(capacitated))
            self.capacity_rows = {int(i): row_count + k for k, i in enumerate(capacitated)}
            member = row_of_option[o_of] >= 0
            add_rows(
                row_of_option[o_of][member],
                x_columns[member],
                np.ones(member.sum()),
                np.maximum(capacity_left[capacitated], 0.0),
            )
        per_mentor = np.bincount(m_of, minlength=n)
        limited = np.nonzero(per_mentor > problem.max_new)[0]
        if len(limited):
            row_of_mentor = np.full(n, -1)
            row_of_mentor[limited] = np.arange(len(limited))
            member = row_of_mentor[m_of] >= 0
            add_rows(
                row_of_mentor[m_of][member],
                x_columns[member],
                np.ones(member.sum()),
                problem.max_new[limited].astype(float),
            )
        # The soft minimum: c_m ≤ Σ_o x[m, o], c_m ≤ need_m, rewarded.
        needy = np.nonzero((problem.need > 0) & (per_mentor > 0))[0]
        if len(needy):
            cover_columns = column_count + np.arange(len(needy))
            costs.append(np.full(len(needy), problem.coverage_reward))
            uppers.append(problem.need[needy].astype(float))
            column_count += len(needy)
            row_of_mentor = np.full(n, -1)
            row_of_mentor[needy] = np.arange(len(needy))
            member = row_of_mentor[m_of] >= 0
            add_rows(
                np.concatenate([np.arange(len(needy)), row_of_mentor[m_of][member]]),
                np.concatenate([cover_columns, x_columns[member]]),
                np.concatenate([np.ones(len(needy)), -np.ones(member.sum())]),
                np.zeros(len(needy)),
            )
        # Preferred moments: a mentor with more candidates that could be placed at one than
        # such free moments gets the bonus through b_m ≤ Σ x over them, b_m ≤ that room.
        can_prefer = problem.fit[m_of, o_of] > problem.fit_base[m_of, o_of]
        crowded = np.bincount(m_of[can_prefer], minlength=n) > problem.preferred_room
        crowded_mentors = np.nonzero(crowded)[0]
        if len(crowded_mentors):
            costs[0] = np.where(crowded[m_of], problem.fit_base[m_of, o_of], costs[0])
            bonus_columns = column_count + np.arange(len(crowded_mentors))
            costs.append(problem.moment_points[crowded_mentors])
            uppers.append(problem.preferred_room[crowded_mentors].astype(float))
            column_count += len(crowded_mentors)
            row_of_mentor = np.full(n, -1)
            row_of_mentor[crowded_mentors] = np.arange(len(crowded_mentors))
            member = (row_of_mentor[m_of] >= 0) & can_prefer
            add_rows(
                np.concatenate([np.arange(len(crowded_mentors)), row_of_mentor[m_of][member]]),
                np.concatenate([bonus_columns, x_columns[member]]),
                np.concatenate([np.ones(len(crowded_mentors)), -np.ones(member.sum())]),
                np.zeros(len(crowded_mentors)),
            )
        # Repeats of a category: Σ x − r ≤ 1 (0 after a locked line of that category).
        categories = problem.category[o_of]
        pair_key = m_of * (categories.max(initial=0) + 1) + categories
        keys, inverse, counts = np.unique(pair_key, return_inverse=True, return_counts=True)
        key_mentor = keys // (categories.max(initial=0) + 1)
        key_category = keys % (categories.max(initial=0) + 1)
        locked_before = problem.locked_by_category[key_mentor, key_category]
        repeated = (counts >= 2) | ((counts >= 1) & (locked_before >= 1))
        if repeated.any():
            row_of_key = np.full(len(keys), -1)
            row_of_key[repeated] = np.arange(repeated.sum())
            repeat_columns = column_count + np.arange(repeated.sum())
            costs.append(-problem.repeat_points[key_mentor[repeated]])
            uppers.append(np.full(repeated.sum(), np.inf))
            column_count += int(repeated.sum())
            member = row_of_key[inverse] >= 0
            add_rows(
                np.concatenate([row_of_key[inverse][member], np.arange(repeated.sum())]),
                np.concatenate([x_columns[member], repeat_columns]),
                np.concatenate([np.ones(member.sum()), -np.ones(repeated.sum())]),
                np.where(locked_before[repeated] >= 1, 0.0, 1.0),
            )
        if rules.one_per_moment and x_count:
            self._add_moment_rows(problem, add_rows, m_of, o_of, x_columns, per_mentor)
        self.x_count = x_count
        self.column_count = column_count
        self.row_count = row_count

        lp = highspy.HighsLp()
        lp.num_col_ = column_count
        lp.num_row_ = row_count
        lp.col_cost_ = np.concatenate(costs)
        lp.col_lower_ = np.zeros(column_count)
        lp.col_upper_ = np.concatenate(uppers)
        lp.row_lower_ = np.full(row_count, -highspy.kHighsInf)
        lp.row_upper_ = np.concatenate(row_upper) if row_upper else np.zeros(0)
        if row_entries:
            rows = np.concatenate([entry[0] for entry in row_entries])
            columns = np.concatenate([entry[1] for entry in row_entries])
            values = np.concatenate([entry[2] for entry in row_entries])
            order = np.argsort(rows, kind="stable")
            rows, columns, values = rows[order], columns[order], values[order]
            starts = np.searchsorted(rows, np.arange(row_count + 1))
        else:
            columns, values, starts = np.zeros(0), np.zeros(0), np.zeros(row_count + 1)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = column_count
        lp.a_matrix_.num_row_ = row_count
        lp.a_matrix_.start_ = starts.astype(np.int32)
        lp.a_matrix_.index_ = columns.astype(np.int32)
        lp.a_matrix_.value_ = values.astype(float)
        lp.sense_ = highspy.ObjSense.kMaximize
        self.lp = lp

    @staticmethod
    def _add_moment_rows(problem, add_rows, m_of, o_of, x_columns, per_mentor):
        n = problem.shape[0]
        offered = np.unique(problem.allowed[problem.allowed.any(axis=1)], axis=0)
        for moment_set in offered:
            within = ~(problem.allowed & ~moment_set[None, :]).any(axis=1)
            member = within[o_of]
            counts = np.bincount(m_of[member], minlength=n)
            room = (problem.free & moment_set[None, :]).sum(axis=1)
            binding = np.nonzero((counts > room) & (room < problem.max_new))[0]
            if not len(binding):
                continue
            row_of_mentor = np.full(n, -1)
            row_of_mentor[binding] = np.arange(len(binding))
            member &= row_of_mentor[m_of] >= 0
            add_rows(
                row_of_mentor[m_of][member],
                x_columns[member],
                np.ones(member.sum()),
                room[binding].astype(float),
            )


_first_solver = True


def _new_solver(options):
    global _first_solver
    if _first_solver:
        # HiGHS prints its banner on the process's standard output when the first solver is
        # made, before any option can silence it; it would corrupt `plan_scenario`'s JSON.
        sys.stdout.flush()
        saved = os.dup(1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        try:
            solver = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _first_solver = False
    else:
        solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    for name, value in options.items():
        solver.setOptionValue(name, value)
    return solver


def _time_left(started, time_limit):
    return max(1.0, time_limit - (time.perf_counter() - started))


def _choose_options(problem, started, time_limit, relative_gap):
    """(chosen (m, o) pairs, upper bound, details) of stage 1."""
    n, o, _t = problem.shape
    began = time.perf_counter()
    prices, bound = _estimate_prices(problem)
    priced = time.perf_counter()
    # A small scenario keeps every eligible pair: its MIP is then the whole stage 1, whose
    # own bound also bounds the full problem (stage 1 only relaxes the moments).
    complete = problem.eligible.sum() <= ALL_PAIRS
    if complete:
        candidates = problem.eligible.copy()
    else:
        candidates = _initial_candidates(problem) | _best_pairs(problem, prices)
    large = candidates.sum() > FULL_MIP_COLUMNS
    rounds = 0
    while True:
        model = _Model(problem, candidates)
        if model.x_count == 0:
            return [], bound, {"candidates": 0}
        solver = _new_solver({"solver": "ipm" if large else "simplex", "threads": 2})
        solver.passModel(model.lp)
        solver.setOptionValue("time_limit", _time_left(started, time_limit))
        solver.run()
        lp_seconds = time.perf_counter() - priced
        solution = solver.getSolution()
        duals = np.asarray(solution.row_dual)
        prices = Prices(
            money=max(0.0, duals[model.money_row]) if model.money_row is not None else 0.0,
            hours=max(0.0, duals[model.hours_row]) if model.hours_row is not None else 0.0,
            capacity=np.zeros(o),
        )
        for i, row in model.capacity_rows.items():
            prices.capacity[i] = max(0.0, duals[row])
        bound = min(bound, lagrangian(problem, prices).value)
        rounds += 1
        # More candidates cannot raise the LP above the bound: stop when they could not matter.
        close = bound - solver.getInfo().objective_function_value <= relative_gap * abs(bound) / 4
        if close or complete or rounds >= PRICING_ROUNDS:
            break
        entering = _best_pairs(problem, prices, extra=0) & ~candidates
        if not entering.any():
            break
        candidates |= entering
    values = np.asarray(solution.col_value)[: model.x_count]
    details = {
        "candidates": model.x_count,
        "rows": model.row_count,
        "pricing_rounds": rounds,
        "seconds_pricing": round(priced - began, 3),
        "seconds_lp": round(lp_seconds, 3),
    }
    if large:
        # The LP's solution is integral for nearly every mentor: keep those choices and let
        # the MIP settle only the mentors it left fractional, on what the others left over.
        fractional = np.abs(values - np.round(values)) > INTEGRAL
        unsettled = np.zeros(n, dtype=bool)
        unsettled[model.mentor[fractional]] = True
        settled_pairs = ~unsettled[model.mentor] & (values > 0.5)
        fixed = list(
            zip(
                model.mentor[settled_pairs].tolist(),
                model.option[settled_pairs].tolist(),
                strict=True,
            )
        )
        details["mip_mentors"] = int(unsettled.sum())
        rest = candidates & unsettled[:, None]
        if not rest.any():
            return fixed, bound, details
        model = _Model(problem, rest, settled=fixed)
    chosen, mip_details = _solve_mip(model, started, time_limit, relative_gap)
    details.update(mip_details)
    if complete and "mip_dual_bound" in mip_details:
        constant, *_rest = problem.evaluate(problem.locked_lines)
        bound = min(bound, mip_details["mip_dual_bound"] + constant)
    if large:
        chosen = fixed + chosen
    return chosen, bound, details


def _solve_mip(model, started, time_limit, relative_gap):
    lp = model.lp
    lp.integrality_ = np.concatenate(
        [
            np.full(model.x_count, highspy.HighsVarType.kInteger),
            np.full(model.column_count - model.x_count, highspy.HighsVarType.kContinuous),
        ]
    ).tolist()
    solver = _new_solver({"threads": 2})
    solver.passModel(lp)
    # HiGHS measures its gap on the pruned problem; ours is against the full bound, so aim lower.
    solver.setOptionValue("mip_rel_gap", relative_gap / 10)
    solver.setOptionValue("time_limit", _time_left(started, time_limit))
    solver.run()
    info = solver.getInfo()
    details = {
        "mip_status": solver.modelStatusToString(solver.getModelStatus()),
        "mip_columns": model.x_count,
    }
    if np.isfinite(info.mip_dual_bound) and abs(info.mip_dual_bound) < highspy.kHighsInf:
        details["mip_dual_bound"] = float(info.mip_dual_bound)
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        return [], details
    values = np.asarray(solver.getSolution().col_value)[: model.x_count]
    chosen = values > 0.5
    return list(
        zip(model.mentor[chosen].tolist(), model.option[chosen].tolist(), strict=True)
    ), details


@dataclass
class Prices:
    """Lagrange multipliers of the coupling rows: per unit of money, staff hour, capacity."""

    money: float
    hours: float
    capacity: np.ndarray


@dataclass
class Relaxed:
    """The Lagrangian relaxation at some prices: its value (an upper bound) and what each
    mentor's best choice uses (a subgradient)."""

    value: float
    choice: np.ndarray  # [mentor, option] chosen in the relaxed problem
    ranked: np.ndarray  # [mentor, option] among the mentor's `max_new + extra` best
    money: float
    hours: float
    capacity: np.ndarray


def _reduced_values(problem, prices):
    reduced = (
        problem.fit
        - prices.money * problem.cost[None, :]
        - prices.hours * problem.staff_hours[None, :]
        - prices.capacity[None, :]
    )
    return np.where(problem.eligible, reduced, NEVER)


def _best_pairs(problem, prices, extra=None):
    """Pairs among each mentor's `max_new + extra` best in the relaxation at these prices
    (repeats of a category already counted), when worth having."""
    extra = CANDIDATE_MARGIN if extra is None else extra
    return lagrangian(problem, prices, extra=extra).ranked


def _best_first(problem, reduced, count):
    """Each mentor's `count` best (value, option) pairs, best first, a category's repeats
    already charged: the sorted values of a category lose the repeat points from the second
    (or the first after a locked line of it) on, which keeps them decreasing."""
    values, options = [], []
    for category in np.unique(problem.category):
        columns = np.nonzero(problem.category == category)[0]
        order = np.argsort(-reduced[:, columns], axis=1, kind="stable")
        sorted_values = np.take_along_axis(reduced[:, columns], order, axis=1)
        rank = np.arange(len(columns))[None, :] + problem.locked_by_category[:, category][:, None]
        values.append(sorted_values - np.where(rank >= 1, problem.repeat_points[:, None], 0.0))
        options.append(columns[order])
    values = np.concatenate(values, axis=1)
    options = np.concatenate(options, axis=1)
    order = np.argsort(-values, axis=1, kind="stable")[:, :count]
    return np.take_along_axis(values, order, axis=1), np.take_along_axis(options, order, axis=1)


def lagrangian(problem, prices, extra=0, exact_moments=True):
    """L(λ, η, μ) of the module docs (an upper bound on every plan's objective) and the
    relaxed choice that reaches it.

    The bonus of a preferred moment is counted on every pair that could have it; with
    `exact_moments`, the bound is also computed without it plus the bonus on at most as many
    lines as the mentor has preferred free moments, and the smaller of the two is kept (both
    bound every choice of k options, so their minimum does too)."""
    n, o, _t = problem.shape
    constant, *_rest = problem.evaluate(problem.locked_lines)
    if np.isfinite(problem.money_left):
        constant += prices.money * problem.money_left
    if np.isfinite(problem.hours_left):
        constant += prices.hours * problem.hours_left
    finite = np.isfinite(problem.capacity_left)
    constant += float((prices.capacity[finite] * problem.capacity_left[finite]).sum())
    # No mentor can take more options than there are.
    most = min(int(problem.max_new.max(initial=0)), o)
    choice = np.zeros((n, o), dtype=bool)
    if not n or not o or not most:
        return Relaxed(float(constant), choice, choice.copy(), 0.0, 0.0, np.zeros(o))
    reduced = _reduced_values(problem, prices)
    values, options = _best_first(problem, reduced, most + extra)
    rows = np.broadcast_to(np.arange(n)[:, None], options.shape)
    ranked = np.zeros((n, o), dtype=bool)
    in_rank = (np.arange(options.shape[1])[None, :] < (problem.max_new + extra)[:, None]) & (
        values > NEVER / 2
    )
    ranked[rows[in_rank], options[in_rank]] = True
    values, options = values[:, :most], options[:, :most]
    sizes = np.arange(1, most + 1)[None, :]
    coverage = problem.coverage_reward * np.minimum(sizes, problem.need[:, None])
    totals = np.cumsum(values, axis=1)
    if exact_moments:
        bonus = np.where(problem.eligible, problem.fit - problem.fit_base, 0.0)
        plain, _options = _best_first(problem, reduced - bonus, most)
        plain_totals = np.cumsum(plain, axis=1) + problem.moment_points[:, None] * np.minimum(
            sizes, problem.preferred_room[:, None]
        )
        totals = np.minimum(totals, plain_totals)
    totals = np.where(sizes <= problem.max_new[:, None], totals + coverage, NEVER)
    totals = np.concatenate([np.zeros((n, 1)), totals], axis=1)
    size = np.argmax(totals, axis=1)
    best = totals[np.arange(n), size]
    chosen = np.arange(most)[None, :] < size[:, None]
    choice[np.broadcast_to(np.arange(n)[:, None], options.shape)[chosen], options[chosen]] = True
    return Relaxed(
        value=float(constant + best.sum()),
        choice=choice,
        ranked=ranked,
        money=float((problem.cost[options] * chosen).sum()),
        hours=float((problem.staff_hours[options] * chosen).sum()),
        capacity=np.bincount(options[chosen], minlength=o).astype(float),
    )


def lagrangian_bound(problem, money_price=0.0, hours_price=0.0, capacity_price=None):
    """The value of L at the given prices (zero prices: the bound with no budget at all)."""
    capacity = np.zeros(problem.shape[1]) if capacity_price is None else capacity_price
    return lagrangian(problem, Prices(money_price, hours_price, capacity)).value


def _estimate_prices(problem):
    """Prices near the minimum of L by a projected subgradient, and the best bound met.

    Only a start: the LP duals refine them. Each step moves a price by how much the relaxed
    choice over- or under-uses its resource, relative to what is left."""
    o = problem.shape[1]
    prices = Prices(0.0, 0.0, np.zeros(o))
    relaxed = lagrangian(problem, prices)
    best = relaxed.value
    capacity_left = np.where(np.isfinite(problem.capacity_left), problem.capacity_left, 0.0)
    limited = np.isfinite(problem.capacity_left)
    mean_fit = float(problem.fit[problem.eligible].mean()) if problem.eligible.any() else 1.0
    money_scale = mean_fit / max(float(problem.cost.mean()) if o else 0.0, EPSILON)
    hours_scale = mean_fit / max(float(problem.staff_hours.mean()) if o else 0.0, EPSILON)
    for step in range(SUBGRADIENT_STEPS):
        rate = 1.0 / (1 + step) ** 0.5
        if np.isfinite(problem.money_left):
            excess = (relaxed.money - problem.money_left) / max(problem.money_left, 1.0)
            prices.money = max(0.0, prices.money + rate * money_scale * excess)
        if np.isfinite(problem.hours_left):
            excess = (relaxed.hours - problem.hours_left) / max(problem.hours_left, 1.0)
            prices.hours = max(0.0, prices.hours + rate * hours_scale * excess)
        excess = (relaxed.capacity - capacity_left) / np.maximum(capacity_left, 1.0)
        prices.capacity = np.where(
            limited, np.maximum(0.0, prices.capacity + rate * mean_fit * excess), 0.0
        )
        relaxed = lagrangian(problem, prices, exact_moments=False)
        best = min(best, relaxed.value)
    return prices, best


# Stage 2 and the result.


def _place(problem, chosen):
    """(m, o, t) lines of the locked and chosen pairs; and how many could not be placed."""
    by_mentor = {}
    for m, i in chosen:
        by_mentor.setdefault(m, []).append(i)
    lines = list(problem.locked_lines)
    dropped = 0
    distinct = problem.scenario.rules.one_per_moment
    for m in sorted(by_mentor):
        options = sorted(by_mentor[m])
        placed = place_on_moments(problem, m, options, distinct=distinct)
        dropped += len(options) - len(placed)
        lines.extend((m, i, placed[i]) for i in options if i in placed)
    return lines, dropped


def finish(
    problem, lines, *, bound, started, relative_gap=0.0, repaired=False, details=None, reasons=True
):
    """The PlanResult of `lines` ((m, o, t) triples, locked ones included): scores, reasons,
    uncovered mentors and what more budget would cover them. Shared with the greedy baseline."""
    scenario = problem.scenario
    objective, fit, covered_units, _repeats = problem.evaluate(lines)
    details = {**(details or {}), "raw_bound": bound}
    # A bound a hair below the objective is rounding; tests check the raw one.
    bound = max(bound, objective)
    gap = (bound - objective) / abs(bound) if abs(bound) > EPSILON else 0.0
    locked = {(m, i, t) for m, i, t in problem.locked_lines}
    count = np.zeros(problem.shape[0], dtype=np.int64)
    given = {}
    for m, i, _t in lines:
        count[m] += 1
        given.setdefault(m, set()).add(i)
    writer = ReasonWriter(problem)
    ordered = sorted(
        lines, key=lambda line: (line[0], problem.moments[line[2]].date, line[2], line[1])
    )
    assignments = tuple(
        Assignment(
            mentor=problem.mentors[m].key,
            option=problem.options[i].key,
            moment=problem.moments[t].key,
            reason=writer.reason(m, i, t, locked=(m, i, t) in locked, given=given.get(m, ()))
            if reasons
            else "",
            locked=(m, i, t) in locked,
            fit=problem.line_fit(m, i, t),
        )
        for m, i, t in ordered
    )
    uncovered = np.nonzero(count < scenario.rules.min_per_mentor)[0]
    money = float(sum(problem.cost[i] for _m, i, _t in lines))
    hours = float(sum(problem.staff_hours[i] for _m, i, _t in lines))
    status = OPTIMAL if gap <= relative_gap + 1e-9 and not repaired else FEASIBLE
    return PlanResult(
        status=status,
        assignments=assignments,
        objective=objective,
        upper_bound=bound,
        gap=gap,
        seconds=time.perf_counter() - started,
        uncovered=tuple(problem.mentors[m].key for m in uncovered),
        shortfall=_shortfall(problem, uncovered, count, given, money, hours)
        if len(uncovered)
        else None,
        fit=fit,
        covered_mentors=int(problem.shape[0] - len(uncovered)),
        money=money,
        staff_hours=hours,
        details=details,
    )


def _shortfall(problem, uncovered, count, given, money, hours):
    """An estimate of the money and staff hours that would cover `uncovered` mentors: the
    cheapest options still open to each, less what the plan left unspent."""
    rules = problem.scenario.rules
    more_money = more_hours = 0.0
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
        more_money += float(sum(problem.cost[i] for i in cheapest))
        more_hours += float(sum(problem.staff_hours[i] for i in cheapest))
    budget = problem.scenario.budget
    if budget.money is not None:
        more_money = max(0.0, more_money - max(0.0, float(budget.money) - money))
    else:
        more_money = 0.0
    if budget.staff_hours is not None:
        more_hours = max(0.0, more_hours - max(0.0, float(budget.staff_hours) - hours))
    else:
        more_hours = 0.0
    return Shortfall(
        money=more_money,
        staff_hours=more_hours,
        estimate=True,
        without_option=tuple(without),
        message=shortfall_message(
            problem.scenario, len(uncovered), more_money, more_hours, len(without)
        ),
    )
