"""The planner's scenario for one program and period, read from the database.

`planning_scenario` gathers what `laurier.recognition.planner.plan` needs — the program's active
mentors, the organisation's offered options, the program's moments and the budget left — in a
fixed number of queries (about ten), whatever the number of mentors.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from laurier.contests.models import Winner
from laurier.core.dates import fiscal_year_of, month_start
from laurier.core.durations import minutes_to_hours
from laurier.hours.models import MentoringSession
from laurier.profiles.models import CategoryPreference
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing

from ..catalog import FOR_MENTEES, STANDARD_PAY
from ..categories import PublicConsent, RecognitionCategory
from ..culture import AXES
from ..models import Award, CultureProfile, RecognitionOption
from ..models import Budget as BudgetModel
from ..planner.catalog import option_from_catalog
from ..planner.scenario import ASK, CATEGORIES, Budget, Mentor, Scenario
from .budgets import budget_usage, capacity_periods_left
from .calendar import ANNIVERSARY_KEY, anniversary_key, planner_moments, same_day_in_year
from .compensation import decision_in_force

# A category a mentor has not rated (or every category, without a profile) counts just under
# the middle of the 0–5 scale: what they said they value (3 and up) comes first, what they said
# they do not value (0–1) comes after, and an unrated mentor is neither favoured nor left out.
NEUTRAL_PREFERENCE = 2
CONSENT = {PublicConsent.YES: True, PublicConsent.NO: False, PublicConsent.ASK: ASK}
MONTHS_PER_YEAR = Decimal(12)
ZERO = Decimal("0.00")


def hours_window(end):
    """The first and last day whose sessions count: the twelve months ending on `end`."""
    return same_day_in_year(end, end.year - 1) + datetime.timedelta(days=1), end


def whole_months(since, day):
    """Whole months from `since` to `day` (0 when `day` comes first)."""
    months = (day.year - since.year) * 12 + day.month - since.month
    if day.day < since.day:
        months -= 1
    return max(months, 0)


def tenure_years(since, day):
    """Years of mentoring from `since` to `day`, counted in whole months as the catalog counts
    `min_tenure_months`, so that 18 months of tenure meet an 18-month minimum exactly."""
    if since is None:
        return Decimal(0)
    return Decimal(whole_months(since, day)) / MONTHS_PER_YEAR


def _active_enrolments(program, end, people=None):
    first, last = hours_window(end)
    minutes = (
        MentoringSession.objects.filter(
            program=program, mentor=OuterRef("person"), held_on__range=(first, last)
        )
        .order_by()
        .values("mentor")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    mentees = (
        Pairing.objects.filter(program=program, mentor=OuterRef("person"), starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .order_by()
        .values("mentor")
        .annotate(count=Count("mentee", distinct=True))
        .values("count")
    )
    first_since = (
        MentorEnrolment.objects.filter(person=OuterRef("person"))
        .order_by("since")
        .values("since")[:1]
    )
    won = Winner.objects.filter(
        person=OuterRef("person"),
        category__edition__organisation_id=program.organisation_id,
        announced_at__date__range=(first, last),
    )
    enrolments = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    if people is not None:
        enrolments = enrolments.filter(person__in=people)
    return (
        enrolments.select_related("person__mentor_profile")
        .annotate(
            minutes=Coalesce(Subquery(minutes), 0, output_field=IntegerField()),
            mentees=Coalesce(Subquery(mentees), 0, output_field=IntegerField()),
            first_since=Subquery(first_since),
            contest_winner=Exists(won),
        )
        .order_by("person__last_name", "person__first_name", "person__pk")
    )


def _preferences(program, people=None):
    """{person pk: {category: score}} for the program's active mentors: one query."""
    active = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    if people is not None:
        active = active.filter(person__in=people)
    active = active.values("person")
    scores = {}
    for person, category, score in CategoryPreference.objects.filter(
        profile__person__in=active
    ).values_list("profile__person_id", "category", "score"):
        scores.setdefault(person, {})[category] = score
    return scores


@dataclass
class Received:
    """What approved plans give a mentor: lately or in the period (`options`, `categories`),
    and in the period itself (`taken` recognitions, at the moments `taken_moments`)."""

    options: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    taken: int = 0
    taken_moments: list = field(default_factory=list)


def _received(program, start, end, months, people=None):
    """{person pk: Received} from the organisation's awards not cancelled (approved plans'
    lines, awards added directly, given or to give), for the program's active mentors, from
    `months` before `start` to `end`. One query."""
    active = MentorEnrolment.objects.filter(program=program, status=EnrolmentStatus.ACTIVE)
    if people is not None:
        active = active.filter(person__in=people)
    awards = (
        Award.objects.filter(
            organisation_id=program.organisation_id,
            mentor__in=active.values("person"),
            planned_on__range=(month_start(start, -months) if months else start, end),
        )
        .exclude(status=Award.Status.CANCELLED)
        .values_list("mentor_id", "option_id", "option__category", "planned_on", "moment_key")
    )
    received = {}
    for person, option, category, day, key in awards:
        mentor = received.setdefault(person, Received())
        if str(option) not in mentor.options:
            mentor.options.append(str(option))
        if category not in mentor.categories:
            mentor.categories.append(RecognitionCategory(category))
        if start <= day <= end:
            mentor.taken += 1
            mentor.taken_moments.append(_planner_moment(key, day))
    return received


def _planner_moment(key, day):
    """The planner's key of a calendar moment: a mentor's anniversary is their month's."""
    if key.startswith(ANNIVERSARY_KEY) or key.startswith("anniversary-"):
        return anniversary_key(day)
    return key


def _profile(person):
    try:
        return person.mentor_profile
    except ObjectDoesNotExist:
        return None


def _mentor(enrolment, scores, end, received):
    person = enrolment.person
    profile = _profile(person)
    given = received.get(person.pk) or Received()
    return Mentor(
        key=str(person.pk),
        name=person.full_name,
        hours=minutes_to_hours(enrolment.minutes),
        tenure_years=tenure_years(enrolment.first_since, end),
        mentees=enrolment.mentees,
        public_consent=CONSENT.get(profile.public_consent, ASK) if profile else ASK,
        preferences={category: scores.get(category, NEUTRAL_PREFERENCE) for category in CATEGORIES},
        preferred_moment_kinds=tuple(profile.preferred_moments or ()) if profile else (),
        contest_winner=enrolment.contest_winner,
        recent=tuple(given.options),
        recent_categories=tuple(given.categories),
        taken=given.taken,
        taken_moments=tuple(given.taken_moments),
        unrated=tuple(category for category in CATEGORIES if category not in scores),
    )


def budget_left(program, start):
    """The money, staff hours and material items left on `program`'s budget for the fiscal
    year of `start`.

    Left = allocated − committed − spent (never below zero). Without a budget for that year, or
    with one in a currency that is no longer the organisation's (nothing can be committed on
    it), nothing is left: the planner then plans only what costs nothing.
    """
    organisation = program.organisation
    budget = BudgetModel.objects.filter(
        program=program, fiscal_year=fiscal_year_of(organisation, start)
    ).first()
    if budget is None or budget.currency != organisation.currency:
        return Budget(money=ZERO, staff_hours=ZERO, material_items=0)
    usage = budget_usage(budget)
    return Budget(
        money=max(budget.money - usage.used("money"), ZERO),
        staff_hours=max(budget.staff_hours - usage.used("staff_hours"), ZERO),
        material_items=max(budget.material_items - usage.used("material_items"), 0),
    )


def plannable_options(program, keep=None):
    """The catalog options a plan of `program` may give its mentors: those offered, except
    the ones given to mentees (catalog.FOR_MENTEES) and, unless the program's decision in force
    pays its mentors, stipends. `keep`: an option pk kept even if retired (a line's own).
    Two queries."""
    decision = decision_in_force(program)
    options = RecognitionOption.objects.filter(organisation=program.organisation_id).exclude(
        standard_key__in=FOR_MENTEES
    )
    if decision is None or not decision.pays_mentors:
        options = options.exclude(category=RecognitionCategory.STIPEND)
    else:
        # Only the form of pay decided: no honorarium on top of a stipend, nor the reverse.
        other_forms = set(STANDARD_PAY) - {decision.decision}
        options = options.exclude(
            category=RecognitionCategory.STIPEND, standard_key__in=other_forms
        )
    offered = Q(active=True) | Q(pk=keep) if keep is not None else Q(active=True)
    return options.filter(offered).order_by("category", "name_fr", "pk")


def _per_capacity_period(base, periods, moments):
    """The planner's options for one catalog option: itself, with what is left of its capacity;
    or, when its capacity counts by month or quarter and the plan spans several, one copy per
    period, offered at that period's moments with that period's capacity left (a family: one
    copy per mentor at most)."""
    if not periods:
        return (base,)
    if len(periods) == 1:
        return (replace(base, capacity=periods[0][2]),)
    offered = [moment for moment in moments if base.moments is None or moment.key in base.moments]
    copies = []
    for first, last, left in periods:
        keys = tuple(moment.key for moment in offered if first <= moment.date <= last)
        if keys:
            copies.append(
                replace(
                    base,
                    key=f"{base.key}@{first.isoformat()}",
                    moments=keys,
                    capacity=left,
                    family=base.key,
                )
            )
    return tuple(copies)


def _on_copies(locked, options):
    """The locked lines, each naming the copy of its option offered at its moment (any copy
    when none is: the planner then says the option is not offered at that moment)."""
    copies = {}
    for option in options:
        if option.family is not None:
            copies.setdefault(option.family, []).append(option)
    on_copies = []
    for line in locked:
        family = copies.get(line.option)
        if family:
            copy = next((o for o in family if line.moment in o.moments), family[0])
            line = replace(line, option=copy.key)
        on_copies.append(line)
    return on_copies


def planning_scenario(program, *, start, end, rules, locked=(), people=None):
    """The planner's `Scenario` for `program` from `start` to `end` (both included).

    * Mentors: the program's ACTIVE mentor enrolments, keyed by person pk, named in full.
      - hours: the minutes of the sessions logged in this program (confirmed or not, as the
        program's hours pages count them) in the twelve months ending on `end`, in hours to
        the tenth. Twelve months rather than the period, so that a short period still sees a
        year of contribution and the reasons' "this year" stays true; a plan drawn before the
        period only counts the sessions already logged.
      - mentees: the distinct mentees of their pairings in this program that overlap the same
        twelve months.
      - tenure_years: whole months from the person's first mentor enrolment (any program,
        any status) to `end`, over 12 — as of the period's end, so a mentor who reaches an
        option's minimum during the period (an anniversary) may receive it.
      - public_consent: the profile's yes → True, no → False, ask or unanswered → "ask"; no
        profile → "ask" (a public option then needs a line the manager locks).
      - preferences: every category, the profile's 0–5 score or NEUTRAL_PREFERENCE when not
        rated (all of them without a profile); `unrated` lists the categories not rated.
      - preferred_moment_kinds: the profile's preferred moments.
      - contest_winner: won a category of one of the organisation's contests announced in the
        same twelve months (options for contest winners only are then open to them).
      - recent and recent_categories: the options and categories of the mentor's lines in the
        organisation's approved plans dated from `rules.no_repeat_months` before `start` to
        `end` (`_received`): received lately, or already planned in the period by another plan;
        those in the period count towards the minimum and maximum (`taken`) and take their
        moments (`taken_moments`).
    * Options: `plannable_options(program)` through `option_from_catalog`, with the culture
      fit of the organisation's culture profile when it has one.
      Capacities are what the ledger left of them (`budgets.capacity_periods_left`); an option
      whose capacity counts by month or quarter becomes one copy per period
      (`_per_capacity_period`), and locked lines name the copy of their moment.
    * Moments: `calendar.planner_moments(program, start, end)`.
    * Budget: `budget_left(program, start)`; currency: the organisation's.
    * Locked lines: `locked` (planner `Line`s), as given.
    * `people`: only these mentors (person pks), to check one mentor's lines quickly.

    Queries: a fixed number (about a dozen), whatever the number of mentors or options.
    """
    organisation = program.organisation
    moments = tuple(planner_moments(program, start, end))
    culture_profile = CultureProfile.objects.filter(organisation=organisation).first()
    offered = list(plannable_options(program))
    periods = capacity_periods_left(organisation, offered, start, end)
    options = tuple(
        planned
        for option in offered
        for planned in _per_capacity_period(
            option_from_catalog(option, moments, culture_profile=culture_profile),
            periods.get(option.pk),
            moments,
        )
    )
    preferences = _preferences(program, people)
    received = _received(program, start, end, rules.no_repeat_months, people)
    mentors = tuple(
        _mentor(enrolment, preferences.get(enrolment.person_id, {}), end, received)
        for enrolment in _active_enrolments(program, end, people)
    )
    culture = (
        {axis.leaning: getattr(culture_profile, axis.leaning) for axis in AXES}
        if culture_profile
        else None
    )
    return Scenario(
        currency=organisation.currency,
        budget=budget_left(program, start),
        rules=rules,
        moments=moments,
        options=options,
        mentors=mentors,
        locked=tuple(_on_copies(locked, options)),
        culture=culture,
    )
