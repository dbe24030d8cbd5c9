"""The Lagrangian bound of the planner and the prices it is taken at.

The mathematics are in `laurier.recognition.planner.solve`'s documentation ("The bound").
The greedy baseline reports the bound at zero prices; the planner at its best prices.
"""

from dataclasses import dataclass

import numpy as np

from .problem import EPSILON

# Reduced values of ineligible pairs: far below anything real, finite so sums stay numbers.
NEVER = -1e12
SUBGRADIENT_STEPS = 30


@dataclass
class Prices:
    """Lagrange multipliers of the coupling rows: per unit of money, staff hour, capacity,
    material item."""

    money: float
    hours: float
    capacity: np.ndarray
    items: float = 0.0


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
    items: float = 0.0


def reduced_values(problem, prices):
    reduced = (
        problem.fit
        - prices.money * problem.cost[None, :]
        - prices.hours * problem.staff_hours[None, :]
        - prices.items * problem.items[None, :]
        - prices.capacity[None, :]
    )
    return np.where(problem.eligible, reduced, NEVER)


def _best_of_each_family(problem, reduced):
    if not problem.copied_families:
        return reduced
    reduced = reduced.copy()
    rows = np.arange(reduced.shape[0])
    for members in problem.copied_families:
        block = reduced[:, members]
        keep = block[rows, block.argmax(axis=1)]
        block[:] = NEVER
        block[rows, reduced[:, members].argmax(axis=1)] = keep
        reduced[:, members] = block
    return reduced


def best_first(problem, reduced, count):
    """Each mentor's `count` best (value, option) pairs, best first, a category's repeats
    already charged: the sorted values of a category lose the repeat points from the second
    (or the first after a locked line of it) on, which keeps them decreasing. Of the copies of
    one option (a family) only the best counts: a mentor receives one at most."""
    reduced = _best_of_each_family(problem, reduced)
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
    if np.isfinite(problem.items_left):
        constant += prices.items * problem.items_left
    finite = np.isfinite(problem.capacity_left)
    constant += float((prices.capacity[finite] * problem.capacity_left[finite]).sum())
    # No mentor can take more options than there are.
    most = min(int(problem.max_new.max(initial=0)), o)
    choice = np.zeros((n, o), dtype=bool)
    if not n or not o or not most:
        return Relaxed(float(constant), choice, choice.copy(), 0.0, 0.0, np.zeros(o))
    reduced = reduced_values(problem, prices)
    values, options = best_first(problem, reduced, most + extra)
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
        plain, _options = best_first(problem, reduced - bonus, most)
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
        items=float((problem.items[options] * chosen).sum()),
    )


def lagrangian_bound(problem, money_price=0.0, hours_price=0.0, capacity_price=None):
    """The value of L at the given prices (zero prices: the bound with no budget at all)."""
    capacity = np.zeros(problem.shape[1]) if capacity_price is None else capacity_price
    return lagrangian(problem, Prices(money_price, hours_price, capacity)).value


def estimate_prices(problem):
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
    items_scale = mean_fit / max(float(problem.items.mean()) if o else 0.0, EPSILON)
    for step in range(SUBGRADIENT_STEPS):
        rate = 1.0 / (1 + step) ** 0.5
        if np.isfinite(problem.money_left):
            excess = (relaxed.money - problem.money_left) / max(problem.money_left, 1.0)
            prices.money = max(0.0, prices.money + rate * money_scale * excess)
        if np.isfinite(problem.hours_left):
            excess = (relaxed.hours - problem.hours_left) / max(problem.hours_left, 1.0)
            prices.hours = max(0.0, prices.hours + rate * hours_scale * excess)
        if np.isfinite(problem.items_left):
            excess = (relaxed.items - problem.items_left) / max(problem.items_left, 1.0)
            prices.items = max(0.0, prices.items + rate * items_scale * excess)
        excess = (relaxed.capacity - capacity_left) / np.maximum(capacity_left, 1.0)
        prices.capacity = np.where(
            limited, np.maximum(0.0, prices.capacity + rate * mean_fit * excess), 0.0
        )
        relaxed = lagrangian(problem, prices, exact_moments=False)
        best = min(best, relaxed.value)
    return prices, best
