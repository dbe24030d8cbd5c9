"""Plain-language reasons for a plan's lines, in the active language.

"Marie values “Professional development” most (5/5) and has mentored 42 hours this year; at a
moment they like" — built from the mentor's preference for the category, their contribution,
and what shaped the choice (a locked line, the budget, the culture, the moment).
"""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .scenario import MAX_PREFERENCE as MAX_PREFERENCE_SCORE

GOOD_CULTURE_FIT = 0.75


def _number(value, decimals=0):
    return number_format(round(float(value), decimals), decimal_pos=decimals, use_l10n=True)


def line_reason(problem, m, i, moment, *, locked=False, given=()):
    """Why mentor m receives option i at `moment` (indices into `problem`)."""
    mentor = problem.mentors[m]
    option = problem.options[i]
    category = problem.category[i]
    score = int(problem.preference[m, category])
    names = {
        "name": mentor.label,
        "category": option.category.label,
        "score": score,
        "max": MAX_PREFERENCE_SCORE,
    }
    if score and score >= problem.preference[m].max():
        reason = _("%(name)s values “%(category)s” most (%(score)s/%(max)s)") % names
    elif score:
        reason = _("%(name)s rates “%(category)s” %(score)s/%(max)s") % names
    else:
        reason = _("%(name)s has not said they value “%(category)s”") % names
    hours = problem.hours[m]
    years = problem.tenure[m]
    if hours >= 1:
        reason = _("%(reason)s and has mentored %(hours)s hours this year") % {
            "reason": reason,
            "hours": _number(hours, 0 if float(hours).is_integer() else 1),
        }
    elif years >= 1:
        reason = ngettext(
            "%(reason)s and has mentored for %(years)s year",
            "%(reason)s and has mentored for %(years)s years",
            int(years),
        ) % {"reason": reason, "years": _number(years, 0 if float(years).is_integer() else 1)}
    details = []
    if locked:
        details.append(_("a locked line"))
    elif _budget_decided(problem, m, i, given):
        details.append(_("the best option the budget allowed"))
    if problem.culture[i] >= GOOD_CULTURE_FIT:
        details.append(_("it suits your culture"))
    if problem.preferred_moment[m, moment]:
        details.append(_("at a moment they like"))
    for detail in details:
        reason = _("%(reason)s; %(detail)s") % {"reason": reason, "detail": detail}
    return reason


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


def shortfall_message(scenario, uncovered, money, staff_hours, without_option):
    """The sentence that says how many mentors the plan leaves out and what more would do."""
    rules = scenario.rules
    if rules.min_per_mentor == 1:
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
    parts = [first % {"count": _number(uncovered), "min": rules.min_per_mentor}]
    if money > 0 and staff_hours > 0:
        parts.append(
            _("About %(money)s %(currency)s and %(hours)s staff hours more would cover them.")
            % {
                "money": _number(money, 2),
                "currency": scenario.currency,
                "hours": _number(staff_hours, 1),
            }
        )
    elif money > 0:
        parts.append(
            _("About %(money)s %(currency)s more would cover them.")
            % {"money": _number(money, 2), "currency": scenario.currency}
        )
    elif staff_hours > 0:
        parts.append(
            _("About %(hours)s staff hours more would cover them.")
            % {"hours": _number(staff_hours, 1)}
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
    elif not money and not staff_hours:
        parts.append(
            _("The options' capacities or the moments they are offered at leave them out.")
        )
    return " ".join(parts)
