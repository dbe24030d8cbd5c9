"""Plain-language reasons for a plan's lines, in the active language.

"Marie values “Professional development” most (5/5) and has mentored 42 hours this year; at a
moment they like" — built from the mentor's preference for the category, their contribution,
and what shaped the choice (a locked line, the budget, the culture, the moment).
"""

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.figures import plural_count
from laurier.core.money import format_money

from .scenario import CATEGORIES
from .scenario import MAX_PREFERENCE as MAX_PREFERENCE_SCORE

# Said only of options that suit the culture very well: most options suit it, and a reason
# that says so of every line tells nothing.
GOOD_CULTURE_FIT = 0.9


def _number(value, decimals=0):
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True)


def _decimals(value):
    return 0 if float(value).is_integer() else 1


class ReasonWriter:
    """Writes the reasons of one plan. Sentences and numbers are translated and formatted once
    per plan (in the language active when it is made), not once per line: a plan for 10,000
    mentors has 30,000 lines."""

    def __init__(self, problem):
        self.problem = problem
        self.values_most = _("%(name)s values “%(category)s” most (%(score)s/%(max)s)")
        self.rates = _("%(name)s rates “%(category)s” %(score)s/%(max)s")
        self.not_said = _("%(name)s has not said they value “%(category)s”")
        self.unrated = _("%(name)s has not rated “%(category)s” yet")
        self.no_preferences = _("%(name)s has not shared their preferences yet")
        # Each sentence in its two forms, picked by `_plural` (1: singular, 2: plural).
        self.hours = {
            count: ngettext(
                "%(reason)s and has mentored %(hours)s hour this year",
                "%(reason)s and has mentored %(hours)s hours this year",
                count,
            )
            for count in (1, 2)
        }
        self.with_mentees = {
            count: ngettext(
                "%(reason)s and has mentored %(hours)s hour this year with %(count)s mentees",
                "%(reason)s and has mentored %(hours)s hours this year with %(count)s mentees",
                count,
            )
            for count in (1, 2)
        }
        self.years = {
            count: ngettext(
                "%(reason)s and has mentored for %(years)s year",
                "%(reason)s and has mentored for %(years)s years",
                count,
            )
            for count in (1, 2)
        }
        self.plurals = {}
        self.detail = _("%(reason)s; %(detail)s")
        self.locked = _("you locked it")
        self.chosen = _("you chose it")
        self.budget = _("the best option the budget allowed")
        self.culture = _("it suits your culture")
        self.moment = _("at a moment they like")
        self.labels = {}
        self.numbers = {}

    def _number(self, value):
        key = round(float(value), 1)
        if key not in self.numbers:
            self.numbers[key] = _number(key, _decimals(key))
        return self.numbers[key]

    def _plural(self, value):
        """1 or 2: the form the number takes as it is shown (one decimal), in this language."""
        key = round(float(value), 1)
        if key not in self.plurals:
            self.plurals[key] = plural_count(key)
        return self.plurals[key]

    def reason(self, m, i, moment, *, locked=False, given=(), chosen=False):
        """Why mentor m receives option i at `moment` (indices into the problem)."""
        problem = self.problem
        mentor = problem.mentors[m]
        option = problem.options[i]
        category = problem.category[i]
        if option.category not in self.labels:
            self.labels[option.category] = str(option.category.label)
        score = int(problem.preference[m, category])
        names = {
            "name": mentor.label,
            "category": self.labels[option.category],
            "score": score,
            "max": MAX_PREFERENCE_SCORE,
        }
        if option.category in mentor.unrated:
            everything = len(mentor.unrated) == len(CATEGORIES)
            reason = (self.no_preferences if everything else self.unrated) % names
        elif score and score >= problem.preference[m].max():
            reason = self.values_most % names
        elif score:
            reason = self.rates % names
        else:
            reason = self.not_said % names
        hours, years = problem.hours[m], problem.tenure[m]
        mentees = int(problem.mentees[m])
        if hours >= 1 and mentees >= 2:
            reason = self.with_mentees[self._plural(hours)] % {
                "reason": reason,
                "hours": self._number(hours),
                "count": mentees,
            }
        elif hours >= 1:
            reason = self.hours[self._plural(hours)] % {
                "reason": reason,
                "hours": self._number(hours),
            }
        elif years >= 1:
            reason = self.years[self._plural(years)] % {
                "reason": reason,
                "years": self._number(years),
            }
        details = []
        if chosen:
            details.append(self.chosen)
        elif locked:
            details.append(self.locked)
        elif _budget_decided(problem, m, i, given):
            details.append(self.budget)
        if problem.culture[i] >= GOOD_CULTURE_FIT:
            details.append(self.culture)
        if problem.preferred_moment[m, moment]:
            details.append(self.moment)
        for detail in details:
            reason = self.detail % {"reason": reason, "detail": detail}
        return reason


def line_reason(problem, m, i, moment, *, locked=False, given=()):
    """Why mentor m receives option i at `moment` (indices into `problem`)."""
    return ReasonWriter(problem).reason(m, i, moment, locked=locked, given=given)


def _budget_decided(problem, m, i, given):
    """True when the mentor could have had an option they prefer, only a dearer one."""
    preferences = problem.preference[m, problem.category]
    better = (
        problem.may_receive[m]
        & (preferences > preferences[i])
        & ((problem.cost > problem.cost[i]) | (problem.staff_hours > problem.staff_hours[i]))
    )
    for j in given:
        better[j] = False
    return bool(better.any())


def shortfall_message(
    uncovered, money, staff_hours, without_option, *, min_per_mentor, currency, material_items=0
):
    """The sentence that says how many mentors the plan leaves out and what more would do."""
    if min_per_mentor == 1:
        first = ngettext(
            "%(count)s mentor receives no recognition.",
            "%(count)s mentors receive no recognition.",
            uncovered,
        )
    else:
        first = ngettext(
            "%(count)s mentor receives fewer than %(min)s recognitions.",
            "%(count)s mentors receive fewer than %(min)s recognitions.",
            uncovered,
        )
    parts = [first % {"count": _number(uncovered), "min": min_per_mentor}]
    amounts = []
    if money > 0:
        amounts.append(format_money(money, currency))
    if staff_hours > 0:
        amounts.append(
            ngettext("%(hours)s staff hour", "%(hours)s staff hours", plural_count(staff_hours))
            % {"hours": _number(staff_hours, _decimals(staff_hours) and 2)}
        )
    if material_items > 0:
        amounts.append(
            ngettext(
                "%(items)s material item", "%(items)s material items", plural_count(material_items)
            )
            % {"items": _number(material_items)}
        )
    if amounts:
        parts.append(
            _("About %(amounts)s more would cover them.")
            % {"amounts": get_text_list(amounts, _("and"))}
        )
    if without_option:
        parts.append(
            ngettext(
                "%(count)s of them has no option open to them in the catalog "
                "(eligibility, consent or capacity).",
                "%(count)s of them have no option open to them in the catalog "
                "(eligibility, consent or capacity).",
                without_option,
            )
            % {"count": _number(without_option)}
        )
    elif not amounts:
        parts.append(
            _("The options' capacities or the moments they are offered at leave them out.")
        )
    return " ".join(parts)
