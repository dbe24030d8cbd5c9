"""Dates as the organisation sees them."""

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import dateformat, timezone, translation


def organisation_today(organisation):
    """Today's date where the organisation is, whatever the server's time zone.

    It decides what counts as the future (a session cannot be logged before it
    happens) and which month and year a dashboard shows.
    """
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organisation.time_zone))


class QuebecDateFormat(dateformat.DateFormat):
    """Django's date formatting, with the first of the month written "1er" in French.

    French writes the first day as an ordinal ("1er octobre 2026") and the others as cardinals
    ("2 octobre 2026"). No format letter can say that, so the day letter `j` does it, and every
    date written with a format (the `date` filter, `date_format`, e-mails, exports in words)
    follows without each template having to remember.
    """

    def j(self):
        day = super().j()
        if day == 1 and (translation.get_language() or "").startswith("fr"):
            return "1er"
        return day


def write_first_days_as_ordinals_in_french():
    """Make Django's date formatting use QuebecDateFormat (once, when Laurier starts)."""
    dateformat.DateFormat = QuebecDateFormat


# --- Fiscal years ----------------------------------------------------------------------------
# A fiscal year is named, like Budget.fiscal_year, by the calendar year in which it starts; it
# starts on the first day of the organisation's `fiscal_year_start_month`.


def month_start(day, months=0):
    """The first day of the month `months` months after `day`'s (before, when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def fiscal_year_of(organisation, day):
    """The fiscal year `day` falls in."""
    if day.month >= organisation.fiscal_year_start_month:
        return day.year
    return day.year - 1


def fiscal_year_bounds(organisation, fiscal_year):
    """The first and the last day of a fiscal year."""
    first = datetime.date(fiscal_year, organisation.fiscal_year_start_month, 1)
    return first, month_start(first, 12) - datetime.timedelta(days=1)


def fiscal_year_label(organisation, fiscal_year):
    """'2026' when the fiscal year is the calendar year, '2026–2027' otherwise."""
    if organisation.fiscal_year_start_month == 1:
        return str(fiscal_year)
    return f"{fiscal_year}–{fiscal_year + 1}"


def months_before(day, months):
    """The same day `months` earlier, or the month's last day (29 February → 28 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(
        year=year, month=month + 1, day=min(day.day, calendar.monthrange(year, month + 1)[1])
    )


@dataclass(frozen=True)
class MonthSpan:
    """The days of one month that fall inside a span of days."""

    first_day: datetime.date  # the month's first day, which names it
    start: datetime.date  # the first day of the month inside the span
    end: datetime.date  # the last one

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def starts_late(self):
        """The span begins after the month's first day (a rolling period's first month)."""
        return self.start != self.first_day

    @property
    def ends_early(self):
        """The span stops before the month's last day (the month of a period still running)."""
        return self.end != month_start(self.first_day, 1) - datetime.timedelta(days=1)


def month_spans(start, end):
    """Each month from `start`'s to `end`'s, with the days of it between `start` and `end`
    (both included): what pages draw one point or one bar for."""
    spans, first = [], month_start(start)
    while first <= end:
        following = month_start(first, 1)
        spans.append(
            MonthSpan(first, max(start, first), min(end, following - datetime.timedelta(days=1)))
        )
        first = following
    return spans
