"""Reads for the "Mentors who need attention" page: the active mentors a manager should think
of recognising, each with the reasons why, in words and figures.

One row per active mentor enrolment in scope (a mentor in two programs has two rows: each
program recognises its own mentors). Every reason is computed by the database on the
enrolment queryset (the latest recognition grouped once per enrolment, `Exists` for the
others). The page's list and its counts by reason come from one query (`listed_page`) that
computes each enrolment's reasons once, then sorts, pages and counts them: the same few
queries for ten mentors or ten thousand. The reasons:
- never recognised by the program, while enrolled for at least NEVER_AFTER_MONTHS;
- not recognised by the program in the last LONG_MONTHS;
- falling hours: the last HOURS_WINDOW_DAYS days at most half the ones before, which had at
  least FALLING_FROM_MINUTES;
- a negative feedback about a recognition given in the last FEEDBACK_MONTHS.

The engagement pulse is anonymous: no mentor is ever flagged by their answers. When the latest
pulse a program may show (`laurier.surveys.selectors.voice` keeps its anonymity rules) is low,
a notice above the list says so instead.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import months_before
from laurier.core.durations import minutes_to_hours
from laurier.core.figures import plural_count
from laurier.hours.models import MentoringSession
from laurier.recognition.models import Award
from laurier.surveys.models import Answer
from laurier.surveys.selectors.voice import pulse_figures

from .. import charts
from ..report_sections import Section, Table
from .feedback import EXPECTATIONS, RELEVANCE, SATISFACTION

NEVER_AFTER_MONTHS = 3
LONG_MONTHS = 6
HOURS_WINDOW_DAYS = 90
FALLING_FROM_MINUTES = 3 * 60
FEEDBACK_MONTHS = 12
# A pulse is low when a factor averages below this (1–5) or the intention below that (0–10).
LOW_FACTOR = 3
LOW_INTENTION = 6

NEVER = "never"
LONG = "long"
HOURS = "hours"
FEEDBACK = "feedback"
REASONS = (NEVER, LONG, HOURS, FEEDBACK)
# The boolean annotation that says each reason.
REASON_FIELDS = {reason: f"reason_{reason}" for reason in REASONS}


def reason_labels():
    """Each reason's short name, for the filter, the counts and the report."""
    return {
        NEVER: _("Never recognised"),
        LONG: _("Not recognised in the last %(months)s months") % {"months": LONG_MONTHS},
        HOURS: _("Falling hours"),
        FEEDBACK: _("Negative feedback on a recognition"),
    }


# The annotated enrolments


def _enrolment_sessions(scope):
    """The sessions of the enrolment's mentor in its program. The enrolment already passes
    the scope's program and department filters; a chosen cycle keeps its pairings' sessions."""
    sessions = MentoringSession.objects.filter(
        mentor=OuterRef("person"), program=OuterRef("program")
    ).order_by()
    if scope.cycle is not None:
        sessions = sessions.filter(pairing__cycle=scope.cycle)
    return sessions


def _minutes_between(scope, first, last):
    """Minutes mentored by the enrolment's mentor in its program, `first` to `last` included."""
    minutes = (
        _enrolment_sessions(scope)
        .filter(held_on__range=(first, last))
        .values("mentor")
        .annotate(total=Sum("duration_minutes"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(minutes, output_field=IntegerField()), Value(0))


def _falling_hours(scope, recent_start, day):
    """Whether the enrolment's hours fell: one read of its sessions over both windows (the
    mentor's sessions by day are indexed), the windows summed apart."""
    before_start = recent_start - datetime.timedelta(days=HOURS_WINDOW_DAYS)
    recent = Q(held_on__gte=recent_start)
    falling = (
        _enrolment_sessions(scope)
        .filter(held_on__range=(before_start, day))
        .values("mentor")
        .annotate(
            before=Coalesce(Sum("duration_minutes", filter=~recent), Value(0)),
            recent=Coalesce(Sum("duration_minutes", filter=recent), Value(0)),
        )
        .filter(Q(before__gte=FALLING_FROM_MINUTES) & Q(before__gte=2 * F("recent")))
    )
    return Exists(falling)


NEGATIVE_ANSWER = (
    Q(question__key=SATISFACTION, number__lte=2)
    | Q(question__key=RELEVANCE, number__lte=2)
    | Q(question__key=EXPECTATIONS, choice__key="no")
)


def _negative_answers(day):
    """Negative feedback answers about the enrolment's recognitions given in the last
    FEEDBACK_MONTHS, the latest recognition's first (satisfaction before relevance).

    The enrolment already passes the scope's department and cycle filters, which are about
    the mentor: the recognitions need only be the enrolment's mentor's, in its program.
    """
    award = "response__recipient__award__"
    return Answer.objects.filter(
        NEGATIVE_ANSWER,
        **{
            f"{award}mentor": OuterRef("person"),
            f"{award}program": OuterRef("program"),
            f"{award}status": Award.Status.GIVEN,
            f"{award}given_on__gt": months_before(day, FEEDBACK_MONTHS),
            f"{award}given_on__lte": day,
        },
    ).order_by(f"-{award}given_on", f"-{award}pk", "question__key")


def _as_flag(condition):
    return ExpressionWrapper(condition, output_field=BooleanField())


def _windows(scope):
    """The reference day and the first day of the last HOURS_WINDOW_DAYS days."""
    day = scope.reference_day
    return day, day - datetime.timedelta(days=HOURS_WINDOW_DAYS - 1)


def _recognised(scope):
    """The active mentor enrolments in scope, each with `last_given`: when its program last
    recognised its mentor, up to the reference day (None when never).

    A join on the mentor's recognitions in the enrolment's program, grouped by enrolment: the
    latest date is computed once per enrolment, and every reason or sort key that refers to
    it reads that one aggregate instead of running a subquery again. The enrolment already
    passes the scope's program, department and cycle filters, which are all about the
    mentor, so the recognitions need not repeat them."""
    given = FilteredRelation(
        "person__awards",
        condition=Q(
            person__awards__program=F("program"),
            person__awards__status=Award.Status.GIVEN,
            person__awards__given_on__lte=scope.reference_day,
        ),
    )
    return (
        scope.active_mentor_enrolments()
        .annotate(recognitions=given)
        .annotate(last_given=Max("recognitions__given_on"))
    )


def _reason_conditions(scope):
    """{reason: the condition that says it}, on `_recognised(scope)` enrolments."""
    day, recent_start = _windows(scope)
    return {
        NEVER: Q(last_given__isnull=True, since__lte=months_before(day, NEVER_AFTER_MONTHS)),
        # Recognised on the day LONG_MONTHS before R or earlier: not covered over LONG_MONTHS
        # on the health page (a recognition must be after that day), so listed here.
        LONG: Q(last_given__lte=months_before(day, LONG_MONTHS)),
        HOURS: _falling_hours(scope, recent_start, day),
        FEEDBACK: Exists(_negative_answers(day)),
    }


class _PerEnrolment(ExpressionWrapper):
    """An expression over one enrolment of `_recognised`, which groups by enrolment: left
    out of the GROUP BY (it depends on the enrolment only), so the database computes it once
    per enrolment instead of once per joined recognition."""

    def get_group_by_cols(self):
        return []


def _weighted(scope, weights):
    """Σ weight of each reason the enrolment has, as one expression that names each reason's
    subquery once (so the database runs it once per enrolment)."""
    conditions = _reason_conditions(scope)
    recognition = Case(
        When(conditions[NEVER], then=Value(weights[NEVER])),
        When(conditions[LONG], then=Value(weights[LONG])),
        default=Value(0),
    )
    total = recognition
    for reason in (HOURS, FEEDBACK):
        total = total + Case(
            When(conditions[reason], then=Value(weights[reason])), default=Value(0)
        )
    return _PerEnrolment(total, output_field=IntegerField())


def annotated_enrolments(scope):
    """The active mentor enrolments in scope, each with its reasons (booleans) and when it
    was last recognised: for the rows shown or exported (each reason's condition is written
    once more for each flag; the list's count and order use `reason_counts` and
    `listed_page`, which read each only once). What each reason says in figures is added
    by `with_figures`."""
    conditions = _reason_conditions(scope)
    return _recognised(scope).annotate(
        **{REASON_FIELDS[reason]: _as_flag(conditions[reason]) for reason in REASONS}
    )


def with_figures(scope, enrolments):
    """`enrolments` (annotated) with the figures their reasons give: hours in both windows
    and the latest negative feedback. Subqueries kept off the list's count and order, which
    read every mentor in scope: only the rows shown (or exported) need them."""
    day, recent_start = _windows(scope)
    negative = _negative_answers(day)
    award = "response__recipient__award__"
    return enrolments.annotate(
        recent_minutes=_minutes_between(scope, recent_start, day),
        before_minutes=_minutes_between(
            scope,
            recent_start - datetime.timedelta(days=HOURS_WINDOW_DAYS),
            recent_start - datetime.timedelta(days=1),
        ),
        feedback_question=Subquery(negative.values("question__key")[:1]),
        feedback_number=Subquery(negative.values("number")[:1]),
        feedback_option_fr=Subquery(negative.values(f"{award}option__name_fr")[:1]),
        feedback_option_en=Subquery(negative.values(f"{award}option__name_en")[:1]),
        feedback_given_on=Subquery(negative.values(f"{award}given_on")[:1]),
    )


def page_rows(scope, pks):
    """The rows of enrolments `pks` (a page, or an export): their figures read in one query,
    in the order of `pks`."""
    described = with_figures(
        scope,
        annotated_enrolments(scope).filter(pk__in=pks).select_related("person", "program"),
    ).in_bulk(pks)
    return attention_rows([described[pk] for pk in pks], scope.reference_day)


def needing_attention(scope, reason=None):
    """The enrolments with at least one reason (or with `reason`), in no particular order:
    for checks; the page's list is `listed_page`."""
    enrolments = annotated_enrolments(scope)
    if reason in REASONS:
        return enrolments.filter(**{REASON_FIELDS[reason]: True})
    any_reason = Q()
    for name in REASON_FIELDS.values():
        any_reason |= Q(**{name: True})
    return enrolments.filter(any_reason)


# Each reason's bit in an enrolment's reasons, counted by `reason_counts`.
REASON_BITS = {NEVER: 1, LONG: 2, HOURS: 4, FEEDBACK: 8}


def reason_counts(scope):
    """{reason: enrolments with it}, "any": enrolments with at least one (the rows the list
    shows) and "active": every active enrolment in scope. One query, each reason read once
    per enrolment: enrolments are grouped by their reasons (as bits), at most sixteen
    groups, which are added up here."""
    groups = (
        _recognised(scope)
        .annotate(reasons=_weighted(scope, REASON_BITS))
        .aggregate(**{f"bits_{bits}": Count("pk", filter=Q(reasons=bits)) for bits in range(16)})
    )
    return _counts_by_reason(
        {int(name.removeprefix("bits_")): count for name, count in groups.items()}
    )


def _counts_by_reason(groups):
    """{reason: enrolments, "any", "active"} from {bits: enrolments with those reasons}."""
    counts = dict.fromkeys(REASONS, 0)
    counts["any"] = counts["active"] = 0
    for bits, count in groups.items():
        counts["active"] += count
        if bits:
            counts["any"] += count
        for reason, bit in REASON_BITS.items():
            if bits & bit:
                counts[reason] += count
    return counts


def listed_count(counts, reason=None):
    """How many rows the list shows: those with `reason`, or with any reason."""
    return counts[reason] if reason in REASONS else counts["any"]


# The list's other orders: the enrolment's columns to sort by.
SORT_COLUMNS = {
    "mentor": ("person__last_name", "person__first_name"),
    "program": ("program__name",),
    "department": ("person__department",),
    "quiet": ("quiet_since",),
}
# How many reasons an enrolment has, from its bits (SQL that both databases read alike).
_REASONS_HAD = " + ".join(f"((reasons & {bit}) / {bit})" for bit in REASON_BITS.values())


@dataclass
class ListedPage:
    pks: list
    counts: dict


def listed_page(scope, reason=None, sort=None, descending=False, offset=0, limit=None):
    """The enrolments the list shows (with `reason`, or with any reason) from `offset`, at
    most `limit` of them, as pks in order: most reasons first, then the longest without
    recognition, or by `sort` (a SORT_COLUMNS key); with the counts of `reason_counts`.

    One query and one pass over the enrolments in scope: each enrolment's reasons are
    computed once (as bits, by `_weighted`) into a common table that both the list and the
    counts read. Filtering, counting and sorting the enrolment queryset itself would run
    every reason's subquery again for each (the database does not share them)."""
    columns = {
        "enrolment": F("pk"),
        "reasons": _weighted(scope, REASON_BITS),
        "quiet_since": Coalesce("last_given", "since"),
    }
    sort_columns = SORT_COLUMNS.get(sort, ())
    columns.update({f"sort_{i}": F(name) for i, name in enumerate(sort_columns)})
    enrolments = _recognised(scope).annotate(**columns).values(*columns).order_by()
    inner_sql, inner_params = enrolments.query.sql_with_params()
    direction = "DESC" if descending else "ASC"
    if sort_columns:
        order = [f"sort_{i} {direction}" for i in range(len(sort_columns))] + [
            f"enrolment {direction}"
        ]
    else:
        order = [f"({_REASONS_HAD}) DESC", "quiet_since ASC", "enrolment ASC"]
    mask = REASON_BITS[reason] if reason in REASONS else sum(REASON_BITS.values())
    sql = f"""
        WITH enrolments AS ({inner_sql})
        SELECT 0, enrolment, position FROM (
            SELECT enrolment, ROW_NUMBER() OVER (ORDER BY {", ".join(order)}) AS position
            FROM enrolments WHERE (reasons & {mask}) <> 0
        ) listed WHERE position > %s AND position <= %s
        UNION ALL
        SELECT 1, reasons, COUNT(*) FROM enrolments GROUP BY reasons
    """  # noqa: S608 (only numbers and fixed names are written in; the values are parameters)
    last = offset + limit if limit is not None else 2**62
    with connection.cursor() as cursor:
        cursor.execute(sql, (*inner_params, offset, last))
        rows = cursor.fetchall()
    positions = sorted((position, pk) for kind, pk, position in rows if kind == 0)
    groups = {bits: count for kind, bits, count in rows if kind == 1}
    return ListedPage([pk for _position, pk in positions], _counts_by_reason(groups))


class ListedPaginator(Paginator):
    """Pages over the listed enrolments, whose number is already known (`listed_page`): no
    COUNT(*) query over every enrolment."""

    def __init__(self, per_page, count):
        super().__init__([], per_page)
        self._listed = count

    @property
    def count(self):
        return self._listed


# Reasons in words


def months_between(earlier, later):
    """Whole months from `earlier` to `later` (12 March to 11 November: 7)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def format_hours(minutes):
    """Minutes as hours the way the reader writes them: "10", "4.5" ("4,5" in French)."""
    hours = minutes_to_hours(minutes)
    whole = hours == hours.to_integral_value()
    return number_format(hours, decimal_pos=0 if whole else 1, use_l10n=True)


def format_average(average):
    """A pulse average to one decimal, as the reader writes it ("2.5", "2,5" in French)."""
    return number_format(average, decimal_pos=1, use_l10n=True)


@dataclass
class Reason:
    key: str
    text: str


@dataclass
class AttentionRow:
    enrolment: object
    reasons: list = field(default_factory=list)

    @property
    def person(self):
        return self.enrolment.person

    @property
    def program(self):
        return self.enrolment.program


def reasons_of(enrolment, day):
    """The enrolment's reasons, each in words with its figure."""
    reasons = []
    if enrolment.reason_never:
        months = months_between(enrolment.since, day)
        reasons.append(
            Reason(
                NEVER,
                ngettext(
                    "Never recognised, enrolled %(months)s month ago (%(since)s)",
                    "Never recognised, enrolled %(months)s months ago (%(since)s)",
                    months,
                )
                % {"months": months, "since": date_format(enrolment.since, "DATE_FORMAT")},
            )
        )
    if enrolment.reason_long:
        months = months_between(enrolment.last_given, day)
        reasons.append(
            Reason(
                LONG,
                ngettext(
                    "Last recognised %(months)s month ago (%(date)s)",
                    "Last recognised %(months)s months ago (%(date)s)",
                    months,
                )
                % {"months": months, "date": date_format(enrolment.last_given, "DATE_FORMAT")},
            )
        )
    if enrolment.reason_hours:
        recent = format_hours(enrolment.recent_minutes)
        reasons.append(
            Reason(
                HOURS,
                _("%(recent)s h in the last %(days)s days, %(before)s h in the %(days)s before")
                % {
                    "recent": recent,
                    "before": format_hours(enrolment.before_minutes),
                    "days": HOURS_WINDOW_DAYS,
                },
            )
        )
    if enrolment.reason_feedback:
        reasons.append(Reason(FEEDBACK, feedback_text(enrolment)))
    return reasons


def feedback_text(enrolment):
    option = in_reader_language(
        SimpleNamespace(name_fr=enrolment.feedback_option_fr, name_en=enrolment.feedback_option_en),
        "name",
    )
    given_on = date_format(enrolment.feedback_given_on, "DATE_FORMAT")
    if enrolment.feedback_question == EXPECTATIONS:
        return _("Said the “%(option)s” did not meet their expectations (given %(date)s)") % {
            "option": option,
            "date": given_on,
        }
    what = _("satisfaction") if enrolment.feedback_question == SATISFACTION else _("relevance")
    return _("Rated the “%(option)s” %(score)s out of 5 in %(what)s (given %(date)s)") % {
        "option": option,
        "date": given_on,
        "score": enrolment.feedback_number,
        "what": what,
    }


def attention_rows(enrolments, day):
    """The rows of a page (or of an export) of annotated enrolments, with their reasons."""
    return [AttentionRow(enrolment, reasons_of(enrolment, day)) for enrolment in enrolments]


# The pulse notice


@dataclass
class PulseNotice:
    program: object
    group: object
    low_factors: list
    low_intention: float | None


def pulse_program(scope):
    """The program whose pulse the page reads: the one program in scope, else None.

    voice.py reads one program's pulse at a time (a few queries): over several programs the
    page asks to choose one rather than run them for each.
    """
    if len(scope.program_ids) != 1:
        return None
    return next(program for program in scope.managed_programs if program.pk in scope.program_ids)


def low_pulse(scope):
    """What was low in the latest pulse of `pulse_program(scope)` that may be shown (closed,
    answered by enough mentors): a factor below LOW_FACTOR or an intention below
    LOW_INTENTION. None when nothing was low, or no pulse may be shown.

    The department filter cannot apply (pulse answers are anonymous); a chosen cycle looks at
    that cycle's pulse.
    """
    program = pulse_program(scope)
    if program is None:
        return None
    day = scope.reference_day
    threshold = scope.organisation.anonymity_threshold
    groups = [
        group
        for group in pulse_figures(program, threshold=threshold).shown_groups
        if group.starts <= day and (scope.cycle is None or group.cycle_id == scope.cycle.pk)
    ]
    if not groups:
        return None
    latest = groups[-1]
    low_factors = [
        (factor, average)
        for factor, average in latest.factor_rows
        if average is not None and average < LOW_FACTOR
    ]
    low_intention = (
        latest.intention
        if latest.intention is not None and latest.intention < LOW_INTENTION
        else None
    )
    if not low_factors and low_intention is None:
        return None
    return PulseNotice(program, latest, low_factors, low_intention)


def pulse_notice_text(notice):
    parts = [
        _("“%(factor)s” averaged %(average)s out of 5")
        % {"factor": factor.label, "average": format_average(average)}
        for factor, average in notice.low_factors
    ]
    if notice.low_intention is not None:
        parts.append(
            _("the intention to continue averaged %(average)s out of 10")
            % {"average": format_average(notice.low_intention)}
        )
    text = _(
        "In the latest engagement pulse of %(program)s (%(group)s, %(count)s answers): %(what)s."
    )
    return text % {
        "program": notice.program.name,
        "group": notice.group.label,
        "count": notice.group.responses,
        "what": "; ".join(str(part) for part in parts),
    }


# The annual report


def report_sections(scope):
    """Counts by reason only: the report goes to executives, it names no one."""
    counts = reason_counts(scope)
    labels = reason_labels()
    summary = [
        ngettext(
            "%(count)s of the %(active)s active mentor enrolments needs attention.",
            "%(count)s of the %(active)s active mentor enrolments need attention.",
            plural_count(counts["any"]),
        )
        % {"count": counts["any"], "active": counts["active"]}
        if counts["active"]
        else _("No active mentor in this scope.")
    ]
    notice = low_pulse(scope)
    if notice is not None:
        summary.append(pulse_notice_text(notice))
    table = Table(
        title=_("Mentors who need attention, by reason"),
        headers=[_("Reason"), _("Mentor enrolments")],
        rows=[[labels[reason], counts[reason]] for reason in REASONS],
    )
    chart = charts.bar(
        [labels[reason] for reason in REASONS],
        [charts.dataset(_("Mentor enrolments"), [counts[reason] for reason in REASONS])],
        horizontal=True,
    )
    return [
        Section(
            key="attention",
            title=_("Mentors who need attention"),
            summary=summary,
            charts=[{**chart, "title": _("Mentors who need attention, by reason")}]
            if counts["any"]
            else [],
            tables=[table],
        )
    ]


# Exports


def export_headers():
    return [
        _("Mentor"),
        _("Program"),
        _("Department"),
        _("Last recognised"),
        _("Enrolled since"),
        _("Reasons"),
    ]


def export_rows(rows):
    return [
        [
            row.person.full_name,
            row.program.name,
            row.person.department,
            row.enrolment.last_given,
            row.enrolment.since,
            "; ".join(reason.text for reason in row.reasons),
        ]
        for row in rows
    ]
