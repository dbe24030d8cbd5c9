"""A program's recognition calendar: the moments of a period at which mentors can be recognised.

The moments come from the program's cycles (start, middle, end), each active mentor's
anniversaries of mentoring (1, 3, 5 and 10 years after `MentorEnrolment.since`), International
Mentoring Day (January 17), the end of the year (December 15, so that recognition arrives before
the holidays empty the offices) and the organisation's own dates. Three queries, whatever the
size of the program.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.bilingual import in_reader_language
from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.programs.models import EnrolmentStatus, MentorEnrolment

from ..categories import RecognitionMoment
from ..models import CalendarFeed, ImportantDate

ANNIVERSARY_YEARS = (1, 3, 5, 10)
MENTORING_DAY = (1, 17)
# Mid-December: late enough to close the year, early enough to reach people before the holidays.
YEAR_END = (12, 15)
KIND_CHOICES = RecognitionMoment.choices
# The planner's moments standing for the mentors' own anniversaries, one a month (see
# planner_moments).
ANNIVERSARY_KEY = "anniversaries"
KIND_LABELS = dict(KIND_CHOICES)


@dataclass(frozen=True)
class CalendarMoment:
    """One moment of the calendar. `key` is stable from one computation to the next."""

    key: str
    date: datetime.date
    kind: str
    label: str
    mentor: object = None  # the Person, for an anniversary

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, "")

    @property
    def kind_note(self):
        """The kind of moment, to show beside its label unless the label already says it."""
        return kind_note(self.kind, self.label)


def kind_note(kind, label):
    kind_label = str(KIND_LABELS.get(kind, ""))
    return "" if kind_label.startswith(str(label)) else kind_label


def same_day_in_year(day, year):
    """`day`'s month and day in `year`; February 29 becomes February 28 in other years."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def current_fiscal_year(organisation):
    return fiscal_year_of(organisation, organisation_today(organisation))


def default_period(organisation):
    """The current fiscal year, the calendar's period when none is asked."""
    return fiscal_year_bounds(organisation, current_fiscal_year(organisation))


def _years(start, end):
    return range(start.year, end.year + 1)


def _cycle_moments(program, start, end):
    for cycle in program.cycles.filter(starts_on__lte=end, ends_on__gte=start):
        middle = cycle.starts_on + (cycle.ends_on - cycle.starts_on) // 2
        name = cycle.name
        yield from (
            CalendarMoment(
                f"cycle-{cycle.pk}-start",
                cycle.starts_on,
                RecognitionMoment.CYCLE_START,
                _("%(name)s: start of the cycle") % {"name": name},
            ),
            CalendarMoment(
                f"cycle-{cycle.pk}-middle",
                middle,
                RecognitionMoment.MID_CYCLE,
                _("%(name)s: middle of the cycle") % {"name": name},
            ),
            CalendarMoment(
                f"cycle-{cycle.pk}-end",
                cycle.ends_on,
                RecognitionMoment.CYCLE_END,
                _("%(name)s: end of the cycle") % {"name": name},
            ),
        )


def _anniversary_moments(program, start, end, people=None):
    # Only mentors who started at least a year before the period's end can have one in it.
    latest_since = same_day_in_year(end, end.year - min(ANNIVERSARY_YEARS))
    enrolments = MentorEnrolment.objects.filter(
        program=program, status=EnrolmentStatus.ACTIVE, since__lte=latest_since
    )
    if people is not None:
        enrolments = enrolments.filter(person__in=people)
    enrolments = enrolments.select_related("person").only(
        "pk", "since", "person__id", "person__first_name", "person__last_name"
    )
    for enrolment in enrolments:
        person = enrolment.person
        for years in ANNIVERSARY_YEARS:
            day = same_day_in_year(enrolment.since, enrolment.since.year + years)
            if start <= day <= end:
                label = ngettext(
                    "%(name)s: %(years)d year of mentoring",
                    "%(name)s: %(years)d years of mentoring",
                    years,
                ) % {"name": person.full_name, "years": years}
                yield CalendarMoment(
                    f"anniversary-{enrolment.pk}-{years}",
                    day,
                    RecognitionMoment.MENTORING_ANNIVERSARY,
                    label,
                    person,
                )


def _fixed_moments(start, end):
    for year in _years(start, end):
        yield CalendarMoment(
            f"mentoring-day-{year}",
            datetime.date(year, *MENTORING_DAY),
            RecognitionMoment.MENTORING_DAY,
            _("International Mentoring Day"),
        )
        yield CalendarMoment(
            f"year-end-{year}",
            datetime.date(year, *YEAR_END),
            RecognitionMoment.YEAR_END,
            _("End of the year"),
        )


def _organisation_moments(program, start, end):
    dates = ImportantDate.objects.filter(
        Q(program__isnull=True) | Q(program=program), organisation_id=program.organisation_id
    ).filter(Q(yearly=True) | Q(date__range=(start, end)))
    for important in dates:
        name = in_reader_language(important, "name")
        if important.yearly:
            days = [(same_day_in_year(important.date, year), year) for year in _years(start, end)]
        else:
            days = [(important.date, important.date.year)]
        for day, year in days:
            yield CalendarMoment(
                f"date-{important.pk}-{year}", day, RecognitionMoment.ORGANISATION_DATE, name
            )


def program_moments(program, start, end, people=None):
    """Every moment of `program` from `start` to `end` (both included), sorted by date; with
    `people`, only their anniversaries among the mentors'.

    Labels are in the active language: wrap the call in `translation.override` for another.
    """
    moments = [
        *_cycle_moments(program, start, end),
        *_anniversary_moments(program, start, end, people),
        *_fixed_moments(start, end),
        *_organisation_moments(program, start, end),
    ]
    return sorted(
        (moment for moment in moments if start <= moment.date <= end),
        key=lambda moment: (moment.date, moment.kind, moment.label, moment.key),
    )


def planner_moments(program, start, end):
    """The program's moments in the planner's shape (`planner.scenario.Moment`).

    The mentors' anniversaries of a month become one moment, `anniversary_key(day)`, open only
    to the mentors who have theirs that month (a mentor has at most one in a year): the
    planner weighs a column per month instead of one per mentor, and a monthly capacity still
    sees which month each falls in. `anniversary_of` finds each mentor's actual one.
    """
    from ..planner.scenario import Moment

    moments, anniversaries = [], {}
    for moment in program_moments(program, start, end):
        if moment.kind == RecognitionMoment.MENTORING_ANNIVERSARY:
            anniversaries.setdefault(anniversary_key(moment.date), []).append(moment)
        else:
            moments.append(
                Moment(key=moment.key, date=moment.date, kind=str(moment.kind), label=moment.label)
            )
    for key, of_month in anniversaries.items():
        moments.append(
            Moment(
                key=key,
                date=of_month[0].date,
                kind=str(RecognitionMoment.MENTORING_ANNIVERSARY),
                label=str(_("Their anniversary of mentoring")),
                mentors=frozenset(str(moment.mentor.pk) for moment in of_month),
            )
        )
    return moments


def anniversary_key(day):
    """The planner's moment of the anniversaries of `day`'s month."""
    return f"{ANNIVERSARY_KEY}@{day:%Y-%m}"


def anniversary_of(moments):
    """{person pk: their anniversary CalendarMoment} among `moments` (program_moments)."""
    return {
        moment.mentor.pk: moment
        for moment in moments
        if moment.kind == RecognitionMoment.MENTORING_ANNIVERSARY and moment.mentor is not None
    }


def by_month(moments):
    """[(first day of the month, [moments])] in date order, months without moments left out."""
    months = defaultdict(list)
    for moment in moments:
        months[moment.date.replace(day=1)].append(moment)
    return sorted(months.items())


def feed_period(organisation, today=None):
    """The feed's period: this fiscal year and the next, so that next year's dates show early."""
    year = fiscal_year_of(organisation, today or organisation_today(organisation))
    return fiscal_year_bounds(organisation, year)[0], fiscal_year_bounds(organisation, year + 1)[1]


def feed_by_token(token):
    """The feed with this token and its program and organisation, or None."""
    return CalendarFeed.objects.select_related("program__organisation").filter(token=token).first()


def feed_of(program):
    return CalendarFeed.objects.filter(program=program).first()


def important_dates_for(membership, programs):
    """The dates a member sees: the organisation's and those of `programs` (those they manage)."""
    return (
        ImportantDate.objects.filter(organisation_id=membership.organisation_id)
        .filter(Q(program__isnull=True) | Q(program__in=programs))
        .select_related("program")
        .order_by("date", "pk")
    )


def feed_ics(feed, now=None):
    """The feed's calendar as iCalendar bytes: one all-day event per moment of its period.

    Texts are in the organisation's language: a calendar application shows them as they are.
    Each event's UID is built from the moment's key, so an application that refreshes the feed
    updates its events instead of adding copies.
    """
    import icalendar
    from django.utils import timezone, translation

    program = feed.program
    organisation = program.organisation
    now = now or timezone.now()
    with translation.override(organisation.language):
        start, end = feed_period(organisation, timezone.localdate(now, _zone(organisation)))
        moments = program_moments(program, start, end)
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Laurier//Recognition calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Recognition · %(program)s") % {"program": program.name})
        calendar.add("x-wr-timezone", organisation.time_zone)
        for moment in moments:
            event = icalendar.Event()
            event.add("uid", f"{moment.key}.program-{program.pk}@laurier")
            event.add("dtstamp", now)
            event.add("dtstart", moment.date)
            event.add("dtend", moment.date + datetime.timedelta(days=1))
            event.add("summary", moment.label)
            event.add("categories", [str(moment.kind_label)])
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical()


def _zone(organisation):
    import zoneinfo

    return zoneinfo.ZoneInfo(organisation.time_zone)
