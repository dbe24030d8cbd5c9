"""A scenario as numpy arrays, with every hard rule folded into one eligibility matrix.

`Problem(scenario)` is what the solver and the greedy baseline share, so both obey exactly the
same rules and are scored by exactly the same objective:

    objective = Σ fit(line) − repeats + coverage

* **fit** of mentor m receiving option o at moment t:

      weight_m · (10 · preference/5 · variety + 3 · culture fit + 1 · [t is of a kind m prefers])

  where preference is the mentor's score (0–5) for the option's category, variety is 0.5 when
  the mentor received that category recently (1 otherwise), culture fit is in [0, 1] (0.5
  when unknown, see `Scenario.culture_fit`), and
  weight_m = 1 + 0.5·min(hours/100, 1) + 0.25·min(tenure/5, 1) + 0.25·min(mentees/3, 1)
  gives more to those who gave more (mentees: the people they mentored in the year).
* **repeats**: each recognition beyond the first of one category for one mentor costs
  4 · weight_m.
* **coverage**: each recognition that brings a mentor towards `min_per_mentor` earns
  `coverage_reward`, more than the fit and repeats of a whole plan of any one mentor can add
  or take away, so the plan covers mentors first and then makes them fit.

Hard rules become `eligible[m, o]` (eligibility, consent, recent options, options already
locked for the mentor, an option with no free moment for the mentor, an option beyond the
remaining budget or capacity on its own) plus the coupling limits (`money_left`,
`hours_left`, `capacity_left`) and per mentor limits (`max_new`).
"""

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .scenario import ASK, CATEGORIES

PREFERENCE_POINTS = 10.0
CULTURE_POINTS = 3.0
MOMENT_POINTS = 1.0
RECENT_CATEGORY_FACTOR = 0.5
REPEAT_POINTS = 4.0
HOURS_FOR_FULL_WEIGHT = 100.0
YEARS_FOR_FULL_WEIGHT = 5.0
MENTEES_FOR_FULL_WEIGHT = 3.0
# Money and hours are compared with this tolerance, so rounding never breaks a budget.
EPSILON = 1e-9


def _figure(value):
    """A number as the reader writes it, to the tenth."""
    value = round(float(value), 1)
    return number_format(value, decimal_pos=0 if value.is_integer() else 1, use_l10n=True)


def contribution_weight(hours, tenure_years, mentees=0):
    """More contribution, more weight: 1 for a new mentor, up to 2."""
    hours = np.minimum(np.asarray(hours, dtype=float) / HOURS_FOR_FULL_WEIGHT, 1.0)
    years = np.minimum(np.asarray(tenure_years, dtype=float) / YEARS_FOR_FULL_WEIGHT, 1.0)
    mentees = np.minimum(np.asarray(mentees, dtype=float) / MENTEES_FOR_FULL_WEIGHT, 1.0)
    return 1.0 + 0.5 * hours + 0.25 * years + 0.25 * mentees


class Problem:
    """The arrays of one scenario. `problems` lists why locked lines alone break a hard rule."""

    def __init__(self, scenario):
        self.scenario = scenario
        rules = scenario.rules
        self.mentors = scenario.mentors
        self.options = scenario.options
        self.moments = scenario.moments
        n, o, t = len(self.mentors), len(self.options), len(self.moments)
        self.shape = (n, o, t)
        self.mentor_index = {mentor.key: i for i, mentor in enumerate(self.mentors)}
        self.option_index = {option.key: i for i, option in enumerate(self.options)}
        # Copies of one option (one per capacity period) form a family: one per mentor.
        families = {}
        for i, option in enumerate(self.options):
            families.setdefault(option.family_key, []).append(i)
        self.family_members = {key: np.array(members) for key, members in families.items()}
        family_id = {key: k for k, key in enumerate(families)}
        self.family = np.array(
            [family_id[option.family_key] for option in self.options], dtype=np.int64
        )
        self.same_family = [self.family_members[option.family_key] for option in self.options]
        self.copied_families = [members for members in families.values() if len(members) > 1]
        self.moment_index = {moment.key: i for i, moment in enumerate(self.moments)}
        category_index = {category: i for i, category in enumerate(CATEGORIES)}
        self.category = np.array(
            [category_index[option.category] for option in self.options], dtype=np.int64
        )
        self.cost = np.array([float(option.cost) for option in self.options])
        self.staff_hours = np.array([float(option.staff_hours) for option in self.options])
        self.items = np.array([float(option.material_items) for option in self.options])
        self.capacity = np.array(
            [
                np.inf if option.capacity is None else float(option.capacity)
                for option in self.options
            ]
        )
        self.public = np.array([option.public for option in self.options], dtype=bool)
        self.culture = np.array([scenario.culture_fit(option) for option in self.options])
        self.allowed = np.zeros((o, t), dtype=bool)
        for i, option in enumerate(self.options):
            if option.moments is None:
                self.allowed[i, :] = True
            else:
                self.allowed[i, [self.moment_index[key] for key in option.moments]] = True
        # Moments in the order a mentor's recognitions are best placed in: by date.
        self.moment_order = np.array(
            sorted(range(t), key=lambda i: (self.moments[i].date, self.moments[i].key)),
            dtype=np.int64,
        )

        self.hours = np.array([float(mentor.hours) for mentor in self.mentors])
        self.tenure = np.array([float(mentor.tenure_years) for mentor in self.mentors])
        self.mentees = np.array([mentor.mentees for mentor in self.mentors], dtype=np.int64)
        self.weight = contribution_weight(self.hours, self.tenure, self.mentees)
        self.preference = np.zeros((n, len(CATEGORIES)))
        recent_category = np.zeros((n, len(CATEGORIES)), dtype=bool)
        recent = np.zeros((n, o), dtype=bool)
        consents = np.zeros(n, dtype=bool)
        asks = np.zeros(n, dtype=bool)
        winners = np.zeros(n, dtype=bool)
        kinds = sorted({moment.kind for moment in self.moments})
        kind_index = {kind: i for i, kind in enumerate(kinds)}
        prefers_kind = np.zeros((n, len(kinds)), dtype=bool)
        for i, mentor in enumerate(self.mentors):
            for category, score in mentor.preferences.items():
                self.preference[i, category_index[category]] = score
            for category in mentor.recent_categories:
                recent_category[i, category_index[category]] = True
            for key in mentor.recent:
                # An unknown recent option is one the catalog no longer has: nothing to avoid.
                for j in families.get(key, ()):
                    recent[i, j] = True
                    recent_category[i, self.category[j]] = True
            consents[i] = mentor.public_consent is True
            asks[i] = mentor.public_consent == ASK
            winners[i] = mentor.contest_winner
            for kind in mentor.preferred_moment_kinds:
                if kind in kind_index:
                    prefers_kind[i, kind_index[kind]] = True
        self.consents, self.asks, self.winners, self.recent = consents, asks, winners, recent
        moment_kind = np.array([kind_index[moment.kind] for moment in self.moments], dtype=np.int64)
        # open_to[m, t]: moment t is one mentor m can be recognised at (an anniversary is only
        # its mentor's).
        self.open_to = np.ones((n, t), dtype=bool)
        for moment_at, moment in enumerate(self.moments):
            if moment.mentors is not None:
                owners = moment.mentors
                self.open_to[:, moment_at] = [mentor.key in owners for mentor in self.mentors]
        # preferred_moment[m, t]: moment t is of a kind mentor m prefers, and open to them.
        self.preferred_moment = (
            prefers_kind[:, moment_kind] & self.open_to if t else np.zeros((n, 0), dtype=bool)
        )

        min_hours = np.array([float(option.min_hours) for option in self.options])
        min_tenure = np.array([float(option.min_tenure_years) for option in self.options])
        winners_only = np.array(
            [option.contest_winners_only for option in self.options], dtype=bool
        )
        # Eligible before locked lines and budget: the mentor's own situation.
        self.qualifies = (
            (self.hours[:, None] + EPSILON >= min_hours[None, :])
            & (self.tenure[:, None] + EPSILON >= min_tenure[None, :])
            & (~winners_only[None, :] | winners[:, None])
        )
        self.may_receive = self.qualifies & (~self.public[None, :] | consents[:, None]) & ~recent

        pick = self.preference[:, self.category] / 5.0
        pick = np.where(recent_category[:, self.category], pick * RECENT_CATEGORY_FACTOR, pick)
        # fit without the moment bonus; the bonus depends on the moment a line is placed at.
        self.fit_base = self.weight[:, None] * (
            PREFERENCE_POINTS * pick + CULTURE_POINTS * self.culture[None, :]
        )
        self.moment_points = self.weight * MOMENT_POINTS
        self.repeat_points = self.weight * REPEAT_POINTS

        self.problems = []
        self._apply_locked(rules)
        self._apply_limits(rules)
        # fit as the optimiser sees it: with the moment bonus when a preferred moment is possible.
        can_prefer = (self.preferred_moment.astype(np.int64) @ self.allowed.T.astype(np.int64)) > 0
        self.fit = self.fit_base + np.where(can_prefer, self.moment_points[:, None], 0.0)
        self.fit = np.where(self.eligible, self.fit, 0.0)
        n = self.shape[0]
        # How many lines of a mentor can be at a preferred moment: one per such free moment
        # that some open option is offered at (any number when moments may be shared).
        if rules.one_per_moment:
            reachable = (self.eligible.astype(np.int64) @ self.allowed.astype(np.int64)) > 0
            self.preferred_room = (self.preferred_moment & self.free & reachable).sum(axis=1)
        else:
            self.preferred_room = np.full(n, rules.max_per_mentor)
        best_fit = float(self.fit.max()) if self.fit.size else 0.0
        # More than a whole plan of one mentor can gain or lose on fit and repeats.
        worst_repeat = float(self.repeat_points.max(initial=0.0))
        self.coverage_reward = rules.max_per_mentor * (best_fit + worst_repeat) + 1.0

    def _apply_locked(self, rules):
        n, o, t = self.shape
        # Other approved plans' recognitions in the period count as locked ones, unseen.
        self.taken = np.array([mentor.taken for mentor in self.mentors], dtype=np.int64)
        self.locked_count = self.taken.copy()
        self.locked_by_category = np.zeros((n, len(CATEGORIES)), dtype=np.int64)
        self.locked_use = np.zeros(o)
        self.locked_lines = []  # (m, o, t)
        self.busy = np.zeros((n, t), dtype=bool)
        for m, mentor in enumerate(self.mentors):
            for key in mentor.taken_moments:
                if key in self.moment_index:
                    self.busy[m, self.moment_index[key]] = True
        taken = set()
        for line in self.scenario.locked:
            m, i, moment = (
                self.mentor_index[line.mentor],
                self.option_index[line.option],
                self.moment_index[line.moment],
            )
            mentor, option = self.mentors[m], self.options[i]
            names = {
                "mentor": mentor.label,
                "option": option.label,
                "moment": self.moments[moment].label or line.moment,
            }
            if (m, self.family[i]) in taken:
                self.problems.append(_("%(mentor)s would receive “%(option)s” twice.") % names)
            taken.add((m, self.family[i]))
            if rules.one_per_moment and self.busy[m, moment]:
                self.problems.append(
                    _("%(mentor)s would have two recognitions at the moment “%(moment)s”.") % names
                )
            if not self.allowed[i, moment]:
                self.problems.append(
                    _("“%(option)s” is not offered at the moment “%(moment)s”.") % names
                )
            if not self.open_to[m, moment]:
                self.problems.append(_("“%(moment)s” is not a moment of %(mentor)s.") % names)
            if not self.qualifies[m, i]:
                self.problems.append(self._ineligibility(m, i, names))
            if self.public[i] and not mentor.consents_to_public(locked=True):
                self.problems.append(
                    _(
                        "%(mentor)s has not agreed to public recognition, "
                        "and “%(option)s” is public."
                    )
                    % names
                )
            if self.recent[m, i]:
                self.problems.append(
                    _(
                        "%(mentor)s received “%(option)s” lately, or receives it in an approved "
                        "plan."
                    )
                    % names
                )
            self.busy[m, moment] = True
            self.locked_count[m] += 1
            self.locked_by_category[m, self.category[i]] += 1
            self.locked_use[i] += 1
            self.locked_lines.append((m, i, moment))
        for m in np.nonzero(self.locked_count > rules.max_per_mentor)[0]:
            self.problems.append(
                _("%(mentor)s would have %(count)s recognitions, more than the maximum of %(max)s.")
                % {
                    "mentor": self.mentors[m].label,
                    "count": int(self.locked_count[m]),
                    "max": rules.max_per_mentor,
                }
            )
        for i in np.nonzero(self.locked_use > self.capacity)[0]:
            left, names = int(self.capacity[i]), {"option": self.options[i].label}
            if left:
                message = ngettext(
                    "Only %(left)s of “%(option)s” is left, for %(count)s recognitions.",
                    "Only %(left)s of “%(option)s” are left, for %(count)s recognitions.",
                    left,
                )
                names.update(left=left, count=int(self.locked_use[i]))
            else:
                message = _("None of “%(option)s” is left: its capacity is used up.")
            self.problems.append(message % names)
        self.locked_money = float(sum(self.cost[i] for _m, i, _t in self.locked_lines))
        self.locked_hours = float(sum(self.staff_hours[i] for _m, i, _t in self.locked_lines))
        self.locked_items = float(sum(self.items[i] for _m, i, _t in self.locked_lines))
        budget = self.scenario.budget
        self.money_left = (
            np.inf if budget.money is None else float(budget.money) - self.locked_money
        )
        self.hours_left = (
            np.inf if budget.staff_hours is None else float(budget.staff_hours) - self.locked_hours
        )
        self.items_left = (
            np.inf
            if budget.material_items is None
            else float(budget.material_items) - self.locked_items
        )
        if self.money_left < -EPSILON:
            self.problems.append(_("The locked recognitions alone cost more than the budget."))
        if self.hours_left < -EPSILON:
            self.problems.append(
                _("The locked recognitions alone need more staff hours than the budget has.")
            )
        if self.items_left < -EPSILON:
            self.problems.append(
                _("The locked recognitions alone need more material items than the budget has.")
            )

    def _ineligibility(self, m, i, names):
        """Why mentor m may not receive option i, in words."""
        mentor, option = self.mentors[m], self.options[i]
        if self.hours[m] + EPSILON < float(option.min_hours):
            return _(
                "%(mentor)s is not eligible for “%(option)s”: it needs %(needed)s h of mentoring "
                "in the year, and they have %(has)s h."
            ) % {**names, "needed": _figure(option.min_hours), "has": _figure(mentor.hours)}
        if self.tenure[m] + EPSILON < float(option.min_tenure_years):
            return _(
                "%(mentor)s is not eligible for “%(option)s”: it needs %(needed)s years of "
                "mentoring, and they have %(has)s."
            ) % {
                **names,
                "needed": _figure(option.min_tenure_years),
                "has": _figure(mentor.tenure_years),
            }
        return _("“%(option)s” goes to the contest's winners only.") % names

    def _apply_limits(self, rules):
        n, o, t = self.shape
        self.capacity_left = self.capacity - self.locked_use
        # Moments still open to each mentor: all of them unless one per moment is the rule.
        self.free = (~self.busy if rules.one_per_moment else np.ones((n, t), dtype=bool)) & (
            self.open_to
        )
        open_moment = (self.free.astype(np.int64) @ self.allowed.T.astype(np.int64)) > 0
        locked_option = np.zeros((n, o), dtype=bool)
        for m, i, _t in self.locked_lines:
            locked_option[m, self.same_family[i]] = True
        affordable = (
            (self.cost <= max(self.money_left, 0.0) + EPSILON)
            & (self.staff_hours <= max(self.hours_left, 0.0) + EPSILON)
            & (self.items <= max(self.items_left, 0.0) + EPSILON)
            & (self.capacity_left >= 1)
        )
        self.eligible = self.may_receive & ~locked_option & open_moment & affordable[None, :]
        max_new = np.maximum(rules.max_per_mentor - self.locked_count, 0)
        if rules.one_per_moment:
            max_new = np.minimum(max_new, self.free.sum(axis=1))
        self.max_new = max_new
        self.need = np.minimum(np.maximum(rules.min_per_mentor - self.locked_count, 0), max_new)
        self.locked_coverage = np.minimum(self.locked_count, rules.min_per_mentor)

    # Scoring of any plan, the same for every solver.

    def line_fit(self, m, i, moment):
        bonus = self.moment_points[m] if self.preferred_moment[m, moment] else 0.0
        return float(self.fit_base[m, i] + bonus)

    def evaluate(self, lines):
        """(objective, fit, covered units, repeats) of a whole plan given as (m, o, t) triples."""
        count = self.taken.copy()
        per_category = {}
        fit = 0.0
        for m, i, moment in lines:
            fit += self.line_fit(m, i, moment)
            count[m] += 1
            per_category[(m, self.category[i])] = per_category.get((m, self.category[i]), 0) + 1
        repeats = sum(
            self.repeat_points[m] * (times - 1)
            for (m, _c), times in per_category.items()
            if times > 1
        )
        covered = np.minimum(count, self.scenario.rules.min_per_mentor)
        objective = fit - repeats + self.coverage_reward * float(covered.sum())
        return objective, fit, int(covered.sum()), float(repeats)
