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
choice at those prices, its two best fits and its cheapest option (so coverage stays
possible on a tight budget). The LP relaxation is solved (interior point with
crossover when large); its duals price every eligible pair, and pairs that enter a mentor's
best choice at those prices join the candidates, until the LP is within a twentieth of the
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
from decimal import Decimal

import highspy
import numpy as np

from .bound import Prices, estimate_prices, lagrangian
from .greedy import greedy_lines
from .moments import place_on_moments
from .problem import Problem
from .result import INFEASIBLE, PlanResult, finish

TOP_FIT_CANDIDATES = 2
# Beyond a mentor's best choice in the relaxation, how many next best pairs are candidates:
# none, the pricing brings in those that matter (measured on bench/planner.py).
CANDIDATE_MARGIN = 0
CHEAPEST_CANDIDATES = 1
PRICING_ROUNDS = 4
# Pricing stops once the LP on the candidates is within this share of the requested gap of
# the bound: the rest of the gap is left to the integers and the moments.
CLOSE_ENOUGH = 0.05
# Above this many candidate pairs the MIP settles only the mentors the LP leaves fractional.
FULL_MIP_COLUMNS = 30_000
# Up to this many eligible pairs, all of them are candidates and the MIP proves its plan best
# (about a second for a program of 1,600 mentors and 19 options, where pricing stopped 1.1 %
# short on real data: its LP ignores the moments).
ALL_PAIRS = 20_000
INTEGRAL = 1e-6


def plan(scenario, *, time_limit=60.0, relative_gap=0.01, reasons=True, progress=None):
    """The best plan for `scenario` within `relative_gap` of the bound (see the module docs).

    Raises ScenarioError for a scenario that is not well formed; returns an "infeasible"
    result, with its `problems`, when the locked lines alone break a hard rule. `progress`,
    when given, is called with (share done, step) as the steps "choosing", "placing",
    "explaining" and "done" begin, for a background task's progress indicator. `reasons`: True
    (the active language), False, or language codes (see `result.finish`).
    """
    report = progress or (lambda share, step: None)
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
    report(0.05, "choosing")
    chosen, bound, details = _choose_options(problem, started, time_limit, relative_gap)
    chose = time.perf_counter()
    report(0.8, "placing")
    lines, dropped = _place(problem, chosen)
    lines, trimmed = _keep_limits(problem, lines)
    dropped += trimmed
    if details.get("no_solution"):
        # The solver ran out of time before a usable answer: the greedy plan keeps every
        # rule, so it stands in.
        lines, dropped = greedy_lines(problem), 0
        details["fallback"] = "greedy"
    details["seconds_building"] = round(built - started, 3)
    details["seconds_choosing"] = round(chose - built, 3)
    details["seconds_placing"] = round(time.perf_counter() - chose, 3)
    report(0.9, "explaining")
    result = finish(
        problem,
        lines,
        bound=bound,
        started=started,
        relative_gap=relative_gap,
        repaired=dropped > 0,
        details={**details, "dropped_unplaceable": dropped},
        reasons=reasons,
    )
    report(1.0, "done")
    return result


def _keep_limits(problem, lines):
    """`lines` within the budget and capacities counted exactly (in Decimal), and how many
    lines that took away.

    HiGHS keeps its rows within a tolerance of about 1e-7, so a plan that spends the budget to
    the cent could pass it by a hair; the least fitting line that uses the resource goes."""
    scenario = problem.scenario
    locked = set(problem.locked_lines)
    kept = list(lines)
    removed = 0
    while True:
        options = [scenario.options[i] for _m, i, _t in kept]
        money = sum((option.cost for option in options), Decimal(0))
        hours = sum((option.staff_hours for option in options), Decimal(0))
        items = sum(option.material_items for option in options)
        counts = np.bincount([i for _m, i, _t in kept], minlength=problem.shape[1])
        # Options that use a resource the plan exceeds.
        exceeding = counts > problem.capacity
        if scenario.budget.money is not None and money > scenario.budget.money:
            exceeding |= problem.cost > 0
        if scenario.budget.staff_hours is not None and hours > scenario.budget.staff_hours:
            exceeding |= problem.staff_hours > 0
        if scenario.budget.material_items is not None and items > scenario.budget.material_items:
            exceeding |= problem.items > 0
        removable = [line for line in kept if line not in locked and exceeding[line[1]]]
        if not removable:
            return kept, removed
        kept.remove(min(removable, key=lambda line: (problem.line_fit(*line), line)))
        removed += 1


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
    items_scale = (
        problem.items_left if np.isfinite(problem.items_left) and problem.items_left > 0 else 1.0
    )
    spend = (
        problem.cost / money_scale + problem.staff_hours / hours_scale + problem.items / items_scale
    )
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
        items_left = problem.items_left - float(problem.items[settled_options].sum())
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
        self.money_row = self.hours_row = self.items_row = None
        for attribute, left, amounts in (
            ("money_row", money_left, problem.cost),
            ("hours_row", hours_left, problem.staff_hours),
            ("items_row", items_left, problem.items),
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
        # Copies of one option: Σ over the family's copies x[m, o] ≤ 1.
        if problem.copied_families:
            families = problem.family[o_of]
            family_count = int(problem.family.max(initial=0)) + 1
            keys, inverse, counts = np.unique(
                m_of * family_count + families, return_inverse=True, return_counts=True
            )
            shared = counts >= 2
            if shared.any():
                row_of_key = np.full(len(keys), -1)
                row_of_key[shared] = np.arange(shared.sum())
                member = row_of_key[inverse] >= 0
                add_rows(
                    row_of_key[inverse][member],
                    x_columns[member],
                    np.ones(member.sum()),
                    np.ones(int(shared.sum())),
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


def _run(solver):
    """Run HiGHS. Its thread scheduler is shared by the whole process and refuses a solver
    whose `threads` option differs from the one it started with (another caller may have
    set one): start it again and retry once."""
    if solver.run() == highspy.HighsStatus.kError:
        highspy.Highs.resetGlobalScheduler(True)
        solver.run()


def _time_left(started, time_limit):
    return max(1.0, time_limit - (time.perf_counter() - started))


def _choose_options(problem, started, time_limit, relative_gap):
    """(chosen (m, o) pairs, upper bound, details) of stage 1."""
    n, o, _t = problem.shape
    began = time.perf_counter()
    prices, bound = estimate_prices(problem)
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
        solver = _new_solver({"solver": "ipm" if large else "simplex"})
        solver.passModel(model.lp)
        solver.setOptionValue("time_limit", _time_left(started, time_limit))
        _run(solver)
        lp_seconds = time.perf_counter() - priced
        solution = solver.getSolution()
        duals = np.asarray(solution.row_dual)
        prices = Prices(
            money=max(0.0, duals[model.money_row]) if model.money_row is not None else 0.0,
            hours=max(0.0, duals[model.hours_row]) if model.hours_row is not None else 0.0,
            capacity=np.zeros(o),
            items=max(0.0, duals[model.items_row]) if model.items_row is not None else 0.0,
        )
        for i, row in model.capacity_rows.items():
            prices.capacity[i] = max(0.0, duals[row])
        bound = min(bound, lagrangian(problem, prices).value)
        rounds += 1
        # More candidates cannot raise the LP above the bound: stop when they could not matter.
        lp_value = solver.getInfo().objective_function_value
        close = bound - lp_value <= relative_gap * abs(bound) * CLOSE_ENOUGH
        if close or complete or rounds >= PRICING_ROUNDS:
            break
        entering = _best_pairs(problem, prices, extra=0) & ~candidates
        if not entering.any():
            break
        candidates |= entering
    if large and solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        # Only an optimal vertex is integral for nearly every mentor.
        return [], bound, {"candidates": model.x_count, "no_solution": True}
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
        # Without the MIP's answer, the LP's integral choices still keep every limit.
        details.pop("no_solution", None)
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
    solver = _new_solver({})
    solver.passModel(lp)
    # HiGHS measures its gap on the pruned problem; ours is against the full bound, so aim lower.
    solver.setOptionValue("mip_rel_gap", relative_gap / 10)
    solver.setOptionValue("time_limit", _time_left(started, time_limit))
    _run(solver)
    info = solver.getInfo()
    details = {
        "mip_status": solver.modelStatusToString(solver.getModelStatus()),
        "mip_columns": model.x_count,
    }
    if np.isfinite(info.mip_dual_bound) and abs(info.mip_dual_bound) < highspy.kHighsInf:
        details["mip_dual_bound"] = float(info.mip_dual_bound)
    if info.primal_solution_status != highspy.kSolutionStatusFeasible:
        return [], {**details, "no_solution": True}
    values = np.asarray(solver.getSolution().col_value)[: model.x_count]
    chosen = values > 0.5
    return list(
        zip(model.mentor[chosen].tolist(), model.option[chosen].tolist(), strict=True)
    ), details


def _best_pairs(problem, prices, extra=None):
    """Pairs among each mentor's `max_new + extra` best in the relaxation at these prices
    (repeats of a category already counted), when worth having."""
    extra = CANDIDATE_MARGIN if extra is None else extra
    return lagrangian(problem, prices, extra=extra).ranked


# Stage 2.


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
