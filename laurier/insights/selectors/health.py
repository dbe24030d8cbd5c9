"""Reads for the "Program health" page: how many people take part, how much they mentor, how
widely and how recently mentors are recognised, how engaged they say they are, how the budget
is used and how mentors rate their recognitions.

Every figure is computed by the database (grouped or conditional aggregates), so the page runs
the same twenty queries for ten mentors or ten thousand; Python only arranges the rows that
come back (one per day of sessions, per budget, per pulse question).

"Now" is the reference day R = min(end of the period, today): a past period is seen as it was
on its last day, and a period still running is read up to R and compared with the same days
a year before.
"""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.dates import (
    MonthSpan,
    fiscal_year_label,
    fiscal_year_of,
    month_spans,
    month_start,
    months_before,
)
from laurier.core.durations import minutes_to_hours
from laurier.core.figures import format_percent, percent
from laurier.programs.models import EnrolmentStatus, MentorEnrolment, Pairing
from laurier.recognition.models import Budget, LedgerEntry, Resource
from laurier.recognition.selectors.budgets import (
    RESOURCES,
    ResourceFigures,
    Usage,
    resource_figures,
    usage_sums,
)
from laurier.surveys.models import Answer, Campaign, Question, Response, Survey, open_condition
from laurier.surveys.selectors.voice import (
    FACTOR_KEYS,
    INTENTION_KEY,
    NUMBER_FIGURES,
    PulseGroup,
    average_of_figures,
)

from .. import charts
from ..report_sections import Section, Table
from . import feedback

# Recognition coverage is read over these windows, in months before the reference day.
COVERAGE_MONTHS = (3, 6, 12)
# Days since a mentor's last recognition, in bands: (first day, last day or None = no end).
DAY_BANDS = ((0, 30), (31, 90), (91, 180), (181, 365), (366, None))


def change_percent(now, before):
    """How much `now` moved against `before`, in whole percent; None when `before` is nothing."""
    if not before:
        return None
    return round(100 * (Decimal(now) - Decimal(before)) / Decimal(before))


# Who takes part


@dataclass
class People:
    active_mentors: int
    active_mentees: int
    active_pairings: int


def mentees_and_pairings(scope):
    """Active mentees (people) and active pairings: two counts (active mentors come with
    `recognition`, in its query)."""
    mentees = (
        scope.mentee_enrolments()
        .filter(status=EnrolmentStatus.ACTIVE)
        .aggregate(people=Count("person", distinct=True))["people"]
    )
    pairings = scope.pairings().filter(status=Pairing.Status.ACTIVE).count()
    return mentees, pairings


# Hours


@dataclass
class MonthHours:
    span: MonthSpan
    hours: Decimal
    # The same days a year before (the span shifted by twelve months).
    year_before: Decimal

    @property
    def first_day(self):
        return self.span.first_day

    @property
    def label(self):
        """The month, with the days it covers when the period holds only part of it, so a
        month cut short does not look like a dip: "November 2025 (from November 26)"."""
        month = date_format(self.span.first_day, "YEAR_MONTH_FORMAT")
        if self.span.starts_late:
            return _("%(month)s (from %(day)s)") % {
                "month": month,
                "day": date_format(self.span.start, "MONTH_DAY_FORMAT"),
            }
        if self.span.ends_early:
            return _("%(month)s (to %(day)s)") % {
                "month": month,
                "day": date_format(self.span.end, "MONTH_DAY_FORMAT"),
            }
        return month

    @property
    def is_partial(self):
        return self.span.starts_late or self.span.ends_early


@dataclass
class Hours:
    month_first: datetime.date
    this_month: Decimal
    # The period up to the reference day, and the same days a year before.
    start: datetime.date
    end: datetime.date
    period: Decimal
    previous_start: datetime.date
    previous_end: datetime.date
    previous: Decimal
    months: list = field(default_factory=list)

    @property
    def change(self):
        """Hours of the period (to the reference day) against the same days a year before, in %."""
        return change_percent(self.period, self.previous)

    @property
    def change_shown(self):
        """The change with its sign: "+12 %", "−5 %"; "" without hours a year before."""
        return "" if self.change is None else _signed_percent(self.change)

    @property
    def month_label(self):
        return date_format(self.month_first, "YEAR_MONTH_FORMAT")

    @property
    def has_year_before(self):
        return any(month.year_before for month in self.months)

    @property
    def has_partial_month(self):
        return any(month.is_partial for month in self.months)


def _merged(ranges):
    """Date ranges (first, last) as few as possible: overlapping or touching ones joined."""
    merged = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def hours(scope):
    """Hours of mentoring this month, in the period and the same days a year before, and per
    month of the period beside the same days a year before.

    A period still running (this fiscal year) is read up to the reference day R and compared
    with the same days a year before, never with a whole year.

    One query over the sessions, summed by the database per day of the two spans: grouping by
    month instead makes it truncate a million dates, which cost more than the reading itself.
    Python adds the days (one row each, a few hundred) into months and spans.
    """
    day = scope.reference_day
    start = scope.start
    previous_start, previous_end = months_before(start, 12), months_before(day, 12)
    month_first = month_start(day)
    ranges = _merged([(start, day), (previous_start, previous_end), (month_first, day)])
    where = Q()
    for first, last in ranges:
        where |= Q(held_on__range=(first, last))
    rows = (
        scope.sessions()
        .filter(where)
        .order_by()
        .values_list("held_on")
        .annotate(minutes=Sum("duration_minutes"))
    )
    current, before = defaultdict(int), defaultdict(int)
    this_month = 0
    for held_on, minutes in rows:
        if start <= held_on <= day:
            current[month_start(held_on)] += minutes
        if previous_start <= held_on <= previous_end:
            before[month_start(held_on, 12)] += minutes
        if month_first <= held_on <= day:
            this_month += minutes
    return Hours(
        month_first=month_first,
        this_month=minutes_to_hours(this_month),
        start=start,
        end=day,
        period=minutes_to_hours(sum(current.values())),
        previous_start=previous_start,
        previous_end=previous_end,
        previous=minutes_to_hours(sum(before.values())),
        months=[
            MonthHours(
                span=span,
                hours=minutes_to_hours(current[span.first_day]),
                year_before=minutes_to_hours(before[span.first_day]),
            )
            for span in month_spans(start, day)
        ],
    )


def hours_chart(figures):
    return charts.line(
        [month.label for month in figures.months],
        [
            charts.dataset(_("Hours"), [month.hours for month in figures.months]),
            charts.dataset(
                _("The same days a year before"),
                [month.year_before for month in figures.months],
            ),
        ],
        min=0,
    )


# Recognition: coverage and days since the last one


@dataclass
class Coverage:
    months: int
    recognised: int
    active: int

    @property
    def share(self):
        return percent(self.recognised, self.active)


@dataclass
class DayBand:
    first: int | None
    last: int | None
    mentors: int
    active: int

    @property
    def label(self):
        if self.first is None:
            return _("Never recognised")
        if self.last is None:
            return _("Over %(days)s days") % {"days": self.first - 1}
        return _("%(first)s–%(last)s days") % {"first": self.first, "last": self.last}

    @property
    def share(self):
        return percent(self.mentors, self.active)


@dataclass
class Recognition:
    day: datetime.date
    active: int
    coverage: list
    bands: list
    never: int
    # Median days since the last recognition, among the mentors recognised at least once.
    median_days: float | None

    @property
    def recognised_ever(self):
        return self.active - self.never


def _last_recognitions(scope, day):
    """One row per active mentor recognised on or before `day`: (mentor, last_given). Grouped
    by the database over the recognitions, which reads them once (a subquery per mentor
    would probe the awards ten thousand times)."""
    return (
        scope.given_awards()
        .filter(given_on__lte=day, mentor__in=scope.active_mentors())
        .order_by()
        .values("mentor")
        .annotate(last_given=Max("given_on"))
    )


def _band_filter(day, first, last):
    condition = Q(last_given__lte=day - datetime.timedelta(days=first))
    if last is not None:
        condition &= Q(last_given__gte=day - datetime.timedelta(days=last))
    return condition


def recognition(scope):
    """Active mentors, the share recognised over 3, 6 and 12 months, how long since each was
    last recognised (in bands) and the median: three queries, the last two over one row per
    mentor recognised."""
    day = scope.reference_day
    active = scope.active_mentors().count()
    last = _last_recognitions(scope, day)
    counts = last.aggregate(
        recognised=Count("mentor"),
        **{
            f"within_{months}": Count("mentor", filter=Q(last_given__gt=months_before(day, months)))
            for months in COVERAGE_MONTHS
        },
        **{
            f"band_{index}": Count("mentor", filter=_band_filter(day, first, last))
            for index, (first, last) in enumerate(DAY_BANDS)
        },
    )
    never = active - counts["recognised"]
    bands = [
        DayBand(first, last, counts[f"band_{index}"], active)
        for index, (first, last) in enumerate(DAY_BANDS)
    ]
    bands.append(DayBand(None, None, never, active))
    return Recognition(
        day=day,
        active=active,
        coverage=[
            Coverage(months, counts[f"within_{months}"], active) for months in COVERAGE_MONTHS
        ],
        bands=bands,
        never=never,
        median_days=_median_days(last, day, counts["recognised"]),
    )


def _median_days(last, day, recognised):
    """The median of the days since the last recognition, read by the database: the middle
    one or two mentors, ordered by that day (one query)."""
    if not recognised:
        return None
    middle = (recognised - 1) // 2
    wanted = 1 if recognised % 2 else 2
    days = [
        (day - row["last_given"]).days
        for row in last.order_by("-last_given", "mentor")[middle : middle + wanted]
    ]
    median = sum(days) / len(days)
    return int(median) if median == int(median) else median


def coverage_chart(figures):
    return charts.bar(
        [_("%(months)s months") % {"months": row.months} for row in figures.coverage],
        [
            charts.dataset(
                _("Active mentors recognised (%)"), [row.share for row in figures.coverage]
            )
        ],
        percent=True,
    )


def days_chart(figures):
    return charts.bar(
        [band.label for band in figures.bands],
        [charts.dataset(_("Active mentors"), [band.mentors for band in figures.bands])],
    )


# The engagement pulse


@dataclass
class Engagement:
    threshold: int
    # Closed pulses of the period, and those answered by enough mentors to count.
    closed: int
    counted: int
    # Pulses still open (whatever their dates): their answers count once they close.
    open: int
    group: PulseGroup
    # Answers behind each factor's average (a mentor may skip a question).
    factor_answers: dict = field(default_factory=dict)

    @property
    def shown(self):
        return self.group.shown

    @property
    def factor_rows(self):
        """(factor, average or None, answers) for the five factors, in the standard order."""
        return [
            (factor, average, self.factor_answers.get(factor, 0))
            for factor, average in self.group.factor_rows
        ]


def _closing_in_period(campaigns, scope, now):
    """The campaigns closed by now whose closing moment falls in the period (organisation's
    days: from the first day's midnight to the midnight after the last)."""
    zone = zoneinfo.ZoneInfo(scope.organisation.time_zone)
    first = timezone.make_aware(datetime.datetime.combine(scope.start, datetime.time.min), zone)
    after = timezone.make_aware(
        datetime.datetime.combine(scope.end + datetime.timedelta(days=1), datetime.time.min), zone
    )
    # Closing by hand stores min(closes_at, now) in closes_at: it is when any pulse closed.
    return campaigns.closed(now).filter(closes_at__gte=first, closes_at__lt=after)


def _by_its_programs_mentors(response=""):
    """The response (at `response`) is by a mentor of its campaign's own program (every
    status). As voice counts only the answers of a program's own mentors, each campaign here
    counts only its program's mentors, so a scope of several programs adds up exactly what
    each program's figures hold, and comparing scopes reveals no one's answers. An Exists on
    the enrolments' (program, person) index: one probe per response."""
    return Exists(
        MentorEnrolment.objects.filter(
            program=OuterRef(f"{response}campaign__program"),
            person=OuterRef(f"{response}recipient__person"),
        )
    )


def _pulse_label(scope):
    """What the pulse figures cover: the programs, cycle and period, never the department
    (it does not apply to anonymous answers)."""
    parts = [scope.program.name if scope.program else _("All programs")]
    if scope.cycle is not None:
        parts.append(scope.cycle.name)
    parts.append(scope.period_label)
    return " · ".join(str(part) for part in parts)


def engagement(scope):
    """The five engagement factors (1–5) and the intention to continue (0–10) from the pulses
    of the programs in scope closed in the period, with voice's anonymity rules: only closed
    campaigns, each answered by at least the threshold of distinct mentors of its program,
    only those mentors' answers, and nothing at all when fewer mentors answered in all.

    voice's helpers read one program's mentors; a scope may hold several programs, so the
    same rules are applied here with each campaign's own program. The department filter does
    not apply: narrowing anonymous answers to a department could reveal who answered.

    The campaigns' ids are read first (a few per program and year), then their questions'
    ids, so the answers are read from the answers' (question, number) index; only a campaign
    also answered by people who are not its program's mentors needs each answer's response
    checked (one more query, rarely). Five or six queries.
    """
    threshold = scope.organisation.anonymity_threshold
    now = timezone.now()
    campaigns = Campaign.objects.filter(
        program_id__in=scope.program_ids, survey__purpose=Survey.Purpose.PULSE
    )
    if scope.cycle is not None:
        campaigns = campaigns.filter(cycle=scope.cycle)
    closed = list(_closing_in_period(campaigns, scope, now).values_list("pk", flat=True))
    open_count = campaigns.filter(open_condition(now)).count()
    counted = _answered_by_enough(closed, threshold)
    # Each campaign counted was answered by at least `threshold` mentors, so together they
    # were too: their group is shown as soon as one counts.
    group = PulseGroup(
        cycle_id=scope.cycle.pk if scope.cycle else None,
        label=_pulse_label(scope),
        responses=sum(campaign.responses for campaign in counted),
        starts=scope.start,
        campaign_id=None,
        shown=bool(counted),
    )
    figures = Engagement(
        threshold=threshold,
        closed=len(closed),
        counted=len(counted),
        open=open_count,
        group=group,
    )
    if group.shown:
        _add_pulse_answers(figures, counted)
    return figures


@dataclass
class CountedPulse:
    campaign: int
    # Responses by the campaign's program's mentors, and by anyone.
    responses: int
    everyone: int

    @property
    def only_mentors_answered(self):
        return self.responses == self.everyone


def _answered_by_enough(campaign_ids, threshold):
    """The campaigns answered, each on its own, by at least `threshold` distinct mentors of its
    program (voice's rule, with each campaign's own program), with those mentors' responses
    and everyone's: one grouped query."""
    if not campaign_ids:
        return []
    mentor = _by_its_programs_mentors()
    rows = (
        Response.objects.filter(campaign__in=campaign_ids)
        .order_by()
        .values("campaign")
        .annotate(
            people=Count("recipient__person", distinct=True, filter=mentor),
            responses=Count("pk", filter=mentor),
            everyone=Count("pk"),
        )
    )
    return [
        CountedPulse(row["campaign"], row["responses"], row["everyone"])
        for row in rows
        if row["people"] >= threshold
    ]


def _add_pulse_answers(figures, counted):
    """The factors and the intention, summed over every campaign counted, with the number of
    answers to each: the questions' ids first (each campaign has its own copy, with the same
    keys), then the answers grouped by question. A campaign only its program's mentors
    answered is read straight from the answers' (question, number) index; the answers of one
    that others answered too are checked response by response (one more query, rarely)."""
    questions = Question.objects.filter(
        survey__campaigns__in=[pulse.campaign for pulse in counted],
        key__in=(*FACTOR_KEYS, INTENTION_KEY),
    ).values_list("pk", "key", "survey__campaigns")
    clean = {pulse.campaign for pulse in counted if pulse.only_mentors_answered}
    key_of, of_clean, of_others = {}, [], []
    for pk, key, campaign in questions:
        key_of[pk] = key
        (of_clean if campaign in clean else of_others).append(pk)
    rows = []
    if of_clean:
        rows += _answers_by_question(Answer.objects.filter(question__in=of_clean))
    if of_others:
        rows += _answers_by_question(
            Answer.objects.filter(question__in=of_others).filter(
                _by_its_programs_mentors("response__")
            )
        )
    summed = {}
    for row in rows:
        into = summed.setdefault(key_of[row["question"]], dict.fromkeys(NUMBER_FIGURES, 0))
        for name in NUMBER_FIGURES:
            into[name] += row[name] or 0
    group = figures.group
    for key, sums in summed.items():
        if not sums["answers"]:
            continue
        if key in FACTOR_KEYS:
            group.factors[FACTOR_KEYS[key]] = average_of_figures(sums)
            figures.factor_answers[FACTOR_KEYS[key]] = sums["answers"]
        else:
            group.intention = average_of_figures(sums)
            group.intention_answers = sums["answers"]
            group.promoters = sums["promoters"]
            group.passives = sums["passives"]
            group.detractors = sums["detractors"]


def _answers_by_question(answers):
    return list(answers.order_by().values("question").annotate(**NUMBER_FIGURES))


def engagement_chart(figures):
    rows = figures.group.factor_rows
    return charts.bar(
        [factor.label for factor, _average in rows],
        [charts.dataset(_("Average (1–5)"), [average for _factor, average in rows])],
        horizontal=True,
        min=0,
        max=5,
    )


# Budget


@dataclass
class BudgetLine:
    label: str
    budget: object
    # ResourceFigures of the resources shown, in the order of `resources`.
    figures: list


@dataclass
class BudgetBurn:
    fiscal_year: int
    fiscal_year_label: str
    currency: str
    lines: list = field(default_factory=list)
    totals: list = field(default_factory=list)
    includes_organisation: bool = False

    @property
    def money(self):
        return self.totals[0] if self.totals else None


def _includes_organisation_budget(scope):
    """The organisation-wide budget counts when every program is looked at by an admin (or in
    the organisation's own report, which has no member)."""
    if scope.program is not None:
        return False
    return scope.membership is None or scope.membership.is_admin


def budget_burn(scope):
    """Allocated, committed and spent in the fiscal year containing the reference day, across
    the budgets of the programs in scope: the budgets, then one grouped query over their
    ledgers (`budgets.usage_sums`). Budgets are per program: the department and cycle filters
    do not apply to them."""
    organisation = scope.organisation
    fiscal_year = fiscal_year_of(organisation, scope.reference_day)
    burn = BudgetBurn(
        fiscal_year=fiscal_year,
        fiscal_year_label=fiscal_year_label(organisation, fiscal_year),
        currency=organisation.currency,
        includes_organisation=_includes_organisation_budget(scope),
    )
    owners = Q(program_id__in=scope.program_ids)
    if burn.includes_organisation:
        owners |= Q(program__isnull=True)
    budgets = list(
        Budget.objects.filter(owners, organisation=organisation, fiscal_year=fiscal_year)
        .select_related("program")
        .order_by("program__name", "pk")
    )
    if not budgets:
        return burn
    usages = {
        row["budget"]: Usage.from_sums(row)
        for row in LedgerEntry.objects.filter(budget__in=[budget.pk for budget in budgets])
        .order_by()
        .values("budget")
        .annotate(**usage_sums())
    }
    every = [
        resource_figures(budget, usages.get(budget.pk, Usage.from_sums({}))) for budget in budgets
    ]
    totals = [
        ResourceFigures(
            resource=resource,
            allocated=sum(figures[index].allocated for figures in every),
            committed=sum(figures[index].committed for figures in every),
            spent=sum(figures[index].spent for figures in every),
            currency=organisation.currency,
        )
        for index, resource in enumerate(RESOURCES)
    ]
    # Money always; staff hours and material items only when a budget uses them.
    shown = [
        index
        for index, total in enumerate(totals)
        if total.resource == Resource.MONEY or total.allocated or total.used
    ]
    burn.totals = [totals[index] for index in shown]
    burn.lines = [
        BudgetLine(
            label=budget.program.name if budget.program_id else _("Whole organisation"),
            budget=budget,
            figures=[figures[index] for index in shown],
        )
        for budget, figures in zip(budgets, every, strict=True)
    ]
    return burn


def _share(value, allocated):
    return percent(value, allocated, digits=1) if allocated else None


def budget_chart(burn):
    """Spent, committed and left as shares of each resource's allocation, stacked."""
    rows = [total for total in burn.totals if total.allocated]
    largest = max([float(_share(row.used, row.allocated)) for row in rows] + [100])
    return charts.bar(
        [row.label for row in rows],
        [
            charts.dataset(_("Spent"), [_share(row.spent, row.allocated) for row in rows]),
            charts.dataset(_("Committed"), [_share(row.committed, row.allocated) for row in rows]),
            charts.dataset(
                _("Remaining"), [max(_share(row.remaining, row.allocated), 0) for row in rows]
            ),
        ],
        horizontal=True,
        stacked=True,
        percent=True,
        max=largest,
    )


# Satisfaction with recognition


def satisfaction(scope):
    """Mentors' feedback on the recognitions given in the period (a `feedback.Feedback`):
    average satisfaction and relevance (1–5), expectations met, with the numbers of answers;
    read once for every insights page by `feedback.feedback` (two queries)."""
    return feedback.feedback(scope)


# The whole page


@dataclass
class ProgramHealth:
    people: People
    hours: Hours
    recognition: Recognition
    engagement: Engagement
    budget: BudgetBurn
    satisfaction: feedback.Feedback

    @property
    def charts(self):
        """The page's charts by key, each only when it has something to draw."""
        drawn = {}
        if self.hours.period or self.hours.has_year_before:
            drawn["hours"] = hours_chart(self.hours)
        if self.recognition.active:
            drawn["coverage"] = coverage_chart(self.recognition)
            drawn["days"] = days_chart(self.recognition)
        if self.engagement.shown:
            drawn["engagement"] = engagement_chart(self.engagement)
        if any(total.allocated for total in self.budget.totals):
            drawn["budget"] = budget_chart(self.budget)
        return drawn


def program_health(scope):
    """Everything the page shows, in a fixed number of queries."""
    found = recognition(scope)
    mentees, pairings = mentees_and_pairings(scope)
    return ProgramHealth(
        people=People(found.active, mentees, pairings),
        hours=hours(scope),
        recognition=found,
        engagement=engagement(scope),
        budget=budget_burn(scope),
        satisfaction=satisfaction(scope),
    )


# In words: the page's sentences and the annual report's section


def _number(value):
    """A figure as the reader writes it: "4,5" in French, "4.5" in English."""
    return number_format(value, use_l10n=True)


def _signed_percent(value):
    return ("+" if value > 0 else "") + format_percent(value)


def people_summary(health):
    people = health.people
    return ngettext(
        "%(mentors)s active mentor, %(mentees)s active mentees and %(pairings)s active pairings.",
        "%(mentors)s active mentors, %(mentees)s active mentees and %(pairings)s active pairings.",
        people.active_mentors,
    ) % {
        "mentors": people.active_mentors,
        "mentees": people.active_mentees,
        "pairings": people.active_pairings,
    }


def hours_summary(health):
    figures = health.hours
    sentence = _(
        "%(hours)s hours of mentoring from %(first)s to %(last)s, %(month)s in %(month_label)s."
    ) % {
        "hours": _number(figures.period),
        "first": date_format(figures.start, "DATE_FORMAT"),
        "last": date_format(figures.end, "DATE_FORMAT"),
        "month": _number(figures.this_month),
        "month_label": figures.month_label,
    }
    if figures.change is None:
        return [sentence, _("No hours were logged in the same days a year before.")]
    return [
        sentence,
        _(
            "That is %(change)s against the same days a year before "
            "(%(previous)s hours, %(first)s to %(last)s)."
        )
        % {
            "change": _signed_percent(figures.change),
            "previous": _number(figures.previous),
            "first": date_format(figures.previous_start, "DATE_FORMAT"),
            "last": date_format(figures.previous_end, "DATE_FORMAT"),
        },
    ]


def recognition_summary(health):
    found = health.recognition
    if not found.active:
        return [_("There is no active mentor in this scope.")]
    sentences = [
        _(
            "%(recognised)s of %(active)s active mentors (%(share)s) were recognised in the "
            "last %(months)s months."
        )
        % {
            "recognised": row.recognised,
            "active": row.active,
            "share": format_percent(row.share),
            "months": row.months,
        }
        for row in sorted(found.coverage, key=lambda row: -row.months)
        if row.months in (3, 12)
    ]
    if found.median_days is not None:
        sentences.append(
            ngettext(
                "Among the %(count)s active mentor recognised at least once, the median time "
                "since the last recognition is %(days)s days.",
                "Among the %(count)s active mentors recognised at least once, the median time "
                "since the last recognition is %(days)s days.",
                found.recognised_ever,
            )
            % {"count": found.recognised_ever, "days": _number(found.median_days)}
        )
    sentences.append(
        ngettext(
            "%(count)s active mentor has never been recognised.",
            "%(count)s active mentors have never been recognised.",
            found.never,
        )
        % {"count": found.never}
    )
    return sentences


def engagement_summary(health):
    figures = health.engagement
    group = figures.group
    if figures.shown:
        sentences = [
            ngettext(
                "%(responses)s answers to %(count)s engagement pulse closed in the period.",
                "%(responses)s answers to %(count)s engagement pulses closed in the period.",
                figures.counted,
            )
            % {"responses": group.responses, "count": figures.counted}
        ]
        weakest = group.weakest_factor
        if weakest is not None:
            factor, average = weakest
            sentences.append(
                _("The weakest factor is “%(factor)s”, at %(average)s out of 5.")
                % {"factor": factor.label, "average": _number(average)}
            )
        if group.intention is not None:
            sentences.append(
                _("Intention to continue averages %(intention)s out of 10.")
                % {"intention": _number(group.intention)}
            )
        return sentences
    if not figures.closed:
        return [_("No engagement pulse closed in the period.")]
    return [
        _(
            "Too few answers to show: the pulses closed in the period were answered by fewer "
            "than %(threshold)s mentors each, and answers are anonymous."
        )
        % {"threshold": figures.threshold}
    ]


def budget_summary(health):
    burn = health.budget
    money = burn.money
    if money is None:
        return [
            _("No budget was set for the fiscal year %(year)s.") % {"year": burn.fiscal_year_label}
        ]
    sentence = _(
        "Fiscal year %(year)s: %(spent)s spent and %(committed)s committed of %(allocated)s "
        "allocated."
    ) % {
        "year": burn.fiscal_year_label,
        "spent": money.spent_shown,
        "committed": money.committed_shown,
        "allocated": money.allocated_shown,
    }
    if money.percent_used is None:
        return [sentence]
    return [
        sentence,
        _("%(share)s of the money is used, %(remaining)s is left.")
        % {"share": format_percent(money.percent_used), "remaining": money.remaining_shown},
    ]


def satisfaction_summary(health):
    figures = health.satisfaction
    if not figures.given:
        return [_("No recognition was given in the period.")]
    if not figures.answers:
        return [
            ngettext(
                "No mentor has rated the %(count)s recognition given in the period yet.",
                "No mentor has rated the %(count)s recognitions given in the period yet.",
                figures.given,
            )
            % {"count": figures.given}
        ]
    sentences = [
        ngettext(
            "Satisfaction averages %(satisfaction)s out of 5 (%(count)s answer).",
            "Satisfaction averages %(satisfaction)s out of 5 (%(count)s answers).",
            figures.answers,
        )
        % {
            "satisfaction": _number(figures.satisfaction),
            "count": figures.answers,
        }
    ]
    if figures.relevance is not None:
        sentences.append(
            ngettext(
                "Relevance averages %(relevance)s out of 5 (%(count)s answer).",
                "Relevance averages %(relevance)s out of 5 (%(count)s answers).",
                figures.relevance_answers,
            )
            % {"relevance": _number(figures.relevance), "count": figures.relevance_answers}
        )
    if figures.expectation_answers:
        sentences.append(
            _("%(met)s of %(answers)s (%(share)s) said the recognition met their expectations.")
            % {
                "met": figures.expectations["yes"],
                "answers": figures.expectation_answers,
                "share": format_percent(figures.expectation_shares["yes"]),
            }
        )
    return sentences


def summary(health):
    """Every sentence of the section, in the page's order."""
    recognised = recognition_summary(health)
    # The executive summary repeats the first two: who takes part, and how widely they are
    # recognised.
    return [
        people_summary(health),
        recognised[0],
        *hours_summary(health),
        *recognised[1:],
        *engagement_summary(health),
        *budget_summary(health),
        *satisfaction_summary(health),
    ]


def _titled(spec, title):
    return {**spec, "title": str(title)}


def _tables(health):
    people, figures, found = health.people, health.hours, health.recognition
    tables = [
        Table(
            title=_("At a glance"),
            headers=[_("Figure"), _("Value")],
            rows=[
                [_("Active mentors"), people.active_mentors],
                [_("Active mentees"), people.active_mentees],
                [_("Active pairings"), people.active_pairings],
                [_("Hours in %(month)s") % {"month": figures.month_label}, figures.this_month],
                [_("Hours in the period"), figures.period],
                [_("Hours in the same days a year before"), figures.previous],
                [_("Change in hours (%)"), figures.change],
            ],
        ),
        Table(
            title=_("Hours by month"),
            headers=[_("Month"), _("Hours"), _("The same days a year before")],
            rows=[[month.label, month.hours, month.year_before] for month in figures.months],
        ),
        Table(
            title=_("Recognition coverage"),
            headers=[_("Over"), _("Recognised"), _("Active mentors"), _("Share (%)")],
            rows=[
                [
                    _("%(months)s months") % {"months": row.months},
                    row.recognised,
                    row.active,
                    row.share,
                ]
                for row in found.coverage
            ],
        ),
        Table(
            title=_("Days since the last recognition"),
            headers=[_("Days"), _("Active mentors"), _("Share (%)")],
            rows=[[band.label, band.mentors, band.share] for band in found.bands],
        ),
    ]
    if health.engagement.shown:
        group = health.engagement.group
        tables.append(
            Table(
                title=_("Engagement factors"),
                headers=[_("Factor"), _("Average"), _("Answers")],
                rows=[
                    [str(factor.label), average, answers]
                    for factor, average, answers in health.engagement.factor_rows
                ]
                + [[_("Intention to continue (0–10)"), group.intention, group.intention_answers]],
            )
        )
    if health.budget.lines:
        tables.append(
            Table(
                title=_("Budget, fiscal year %(year)s") % {"year": health.budget.fiscal_year_label},
                headers=[
                    _("Budget"),
                    _("Resource"),
                    _("Allocated"),
                    _("Committed"),
                    _("Spent"),
                    _("Remaining"),
                    _("Used (%)"),
                ],
                rows=[
                    [
                        label,
                        str(row.label),
                        row.allocated,
                        row.committed,
                        row.spent,
                        row.remaining,
                        row.percent_used,
                    ]
                    for label, rows in [(line.label, line.figures) for line in health.budget.lines]
                    + [(_("Total"), health.budget.totals)]
                    for row in rows
                ],
            )
        )
    rated = health.satisfaction
    tables.append(
        Table(
            title=_("Satisfaction with recognition"),
            headers=[_("Figure"), _("Value"), _("Answers")],
            rows=[
                [_("Recognitions given in the period"), rated.given, None],
                [_("Average satisfaction (1–5)"), rated.satisfaction, rated.answers],
                [_("Average relevance (1–5)"), rated.relevance, rated.relevance_answers],
                [
                    _("Met expectations (%)"),
                    rated.expectation_shares["yes"],
                    rated.expectation_answers,
                ],
                [
                    _("Partly met expectations (%)"),
                    rated.expectation_shares["partly"],
                    rated.expectation_answers,
                ],
                [
                    _("Did not meet expectations (%)"),
                    rated.expectation_shares["no"],
                    rated.expectation_answers,
                ],
            ],
        )
    )
    return tables


CHART_TITLES = {
    "hours": lambda: _("Hours of mentoring by month"),
    "coverage": lambda: _("Active mentors recognised over 3, 6 and 12 months"),
    "days": lambda: _("Days since each active mentor's last recognition"),
    "engagement": lambda: _("Engagement factors (1–5)"),
    "budget": lambda: _("Budget used (% of the allocation)"),
}


def report_sections(scope):
    """The "Program health" part of the annual report: the page's figures as one Section."""
    health = program_health(scope)
    return [
        Section(
            key="health",
            title=_("Program health"),
            summary=summary(health),
            charts=[_titled(spec, CHART_TITLES[key]()) for key, spec in health.charts.items()],
            tables=_tables(health),
        )
    ]
