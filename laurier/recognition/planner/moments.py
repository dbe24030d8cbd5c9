"""Placing each mentor's chosen recognitions on the calendar.

A tiny bipartite matching per mentor (recognitions on one side, the moments each may be given
at on the other): Kuhn's augmenting paths, trying the mentor's preferred moments first and then
the calendar in date order, so the same choices always land on the same moments.
"""

import numpy as np


def moment_preference(problem, m, moments):
    """`moments` (indices) ordered as mentor m would like them: preferred kinds, then by date."""
    preferred = problem.preferred_moment[m]
    rank = {int(moment): position for position, moment in enumerate(problem.moment_order)}
    return sorted(moments, key=lambda moment: (not preferred[moment], rank[int(moment)]))


def place_on_moments(problem, m, options, *, distinct):
    """{option: moment} for mentor m's new `options`; the options left out could not be placed.

    With `distinct` (one per moment), every option gets its own moment among those still free
    for the mentor; otherwise each gets its best allowed moment, distinct ones when possible.
    """
    free = problem.free[m]
    liked = moment_preference(problem, m, np.nonzero(free)[0])
    choices = {i: [moment for moment in liked if problem.allowed[i, moment]] for i in options}
    # The most constrained first, so a flexible option does not take the only moment of another.
    ordered = sorted(options, key=lambda i: (len(choices[i]), i))
    holder = {}
    preferred = problem.preferred_moment[m]

    def augment(i, seen, only_preferred):
        for moment in choices[i]:
            if moment in seen or (only_preferred and not preferred[moment]):
                continue
            seen.add(moment)
            if moment not in holder or augment(holder[moment], seen, only_preferred):
                holder[moment] = i
                return True
        return False

    # First as many lines as possible at preferred moments, then the others: an augmenting
    # path never frees a moment already held, so the preferred ones stay taken.
    for only_preferred in (True, False):
        for i in ordered:
            if i not in holder.values():
                augment(i, set(), only_preferred)
    placed = {i: moment for moment, i in holder.items()}
    if not distinct:
        for i in ordered:
            if i not in placed and choices[i]:
                placed[i] = choices[i][0]
    return {i: int(moment) for i, moment in placed.items()}
