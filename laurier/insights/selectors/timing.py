"""Reads for the "Timing and givers" page: when recognitions are given across the period (does
it all land in December?) and who gives them (does only the manager give?).

Recognitions are the awards given in the period (`Scope.given_in_period`), by `given_on`.
Two grouped queries: one by month and category, one counting each giver. `Award.givers` is a
JSON list of `Giver` values, at most one of each: a giver is counted with conditional counts on
its first five positions (`givers__0` … `givers__4`), which read the same on SQLite and
PostgreSQL, where `__contains` would not.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.dates import month_spans
from laurier.core.figures import format_percent, percent, percents_adding_to_100, plural_count
from laurier.recognition.categories import Giver, RecognitionCategory

from .. import charts
from ..report_sections import Section, Table

# Award.givers holds each Giver at most once, so five positions hold them all.
GIVER_POSITIONS = range(len(Giver))


def _month_index(day):
    return day.year * 12 + day.month


# By month


@dataclass
class Month:
    first_day: datetime.date
    count: int = 0
    # Recognitions by category value.
    categories: dict = field(default_factory=dict)
    # The share of the period's days in this month: what an even spread would give it.
    even_share: float = 0
    share: int | None = None
    # Counts in the order of `Timing.categories`, for the table.
    category_counts: list = field(default_factory=list)

    @property
    def label(self):
        return date_format(self.first_day, "YEAR_MONTH_FORMAT")

    @property
    def short_label(self):
        # "N": the press's abbreviations ("juin", "juil."), never "Jui" for both June and July.
        return date_format(self.first_day, "N Y")


@dataclass
class Timing:
    months: list
    total: int
    categories: list  # (value, label) of the categories given at least once, catalog order

    @property
    def busiest(self):
        """The month with the most recognitions (the earliest on a tie); None when none."""
        if not self.total:
            return None
        return max(self.months, key=lambda month: (month.count, -month.first_day.toordinal()))


def _period_months(start, end):
    """Each month from `start` to `end`, with the share of those days it holds."""
    days = (end - start).days + 1
    return [
        Month(first_day=span.first_day, even_share=100 * span.days / days)
        for span in month_spans(start, end)
    ]


def by_month(scope):
    """Recognitions given in the period, by month and category: one query. A period still
    running is read up to the reference day: its months and the even spread stop there."""
    day = scope.reference_day
    rows = (
        scope.given_in_period()
        .filter(given_on__lte=day)
        .order_by()
        .annotate(month=TruncMonth("given_on"))
        .values("month", "option__category")
        .annotate(count=Count("pk"))
    )
    months = _period_months(scope.start, day)
    by_index = {_month_index(month.first_day): month for month in months}
    given_categories = set()
    for row in rows:
        month = by_index[_month_index(row["month"])]
        month.count += row["count"]
        month.categories[row["option__category"]] = row["count"]
        given_categories.add(row["option__category"])
    total = sum(month.count for month in months)
    shares = percents_adding_to_100([month.count for month in months])
    for month, share in zip(months, shares, strict=True):
        month.share = share
    categories = [
        (value, str(label))
        for value, label in RecognitionCategory.choices
        if value in given_categories
    ]
    for month in months:
        month.category_counts = [month.categories.get(value, 0) for value, _label in categories]
    return Timing(months=months, total=total, categories=categories)


def month_summary(timing):
    """What a reader should take away from the months, in sentences."""
    busiest = timing.busiest
    if busiest is None:
        return [_("No recognition was given in this period.")]
    sentences = [
        ngettext(
            "%(count)s recognition was given in the period.",
            "%(count)s recognitions were given in the period.",
            plural_count(timing.total),
        )
        % {"count": timing.total}
    ]
    sentences.append(
        _("%(share)s landed in %(month)s, the busiest month; an even spread would be %(even)s.")
        % {
            "share": format_percent(busiest.share),
            "month": busiest.label,
            "even": format_percent(round(busiest.even_share)),
        }
    )
    return sentences


def month_chart(timing):
    return charts.bar(
        [month.short_label for month in timing.months],
        [charts.dataset(_("Recognitions given"), [month.count for month in timing.months])],
    )


def category_chart(timing):
    """Stacked bars: each month's recognitions by category."""
    return charts.bar(
        [month.short_label for month in timing.months],
        [
            charts.dataset(label, [month.categories.get(value, 0) for month in timing.months])
            for value, label in timing.categories
        ],
        stacked=True,
    )


# By giver


@dataclass
class GiverRow:
    giver: str
    label: str
    count: int
    share: int | None


@dataclass
class Givers:
    total: int
    rows: list
    manager_alone: int
    with_others: int
    not_recorded: int

    @property
    def manager_alone_share(self):
        return percent(self.manager_alone, self.total)

    @property
    def with_others_share(self):
        return percent(self.with_others, self.total)

    @property
    def not_recorded_share(self):
        return percent(self.not_recorded, self.total)


def _gives(giver):
    """The award's givers include `giver`, whatever its position."""
    condition = Q()
    for position in GIVER_POSITIONS:
        condition |= Q(**{f"givers__{position}": giver})
    return condition


def _someone_other_than_the_manager():
    others = [giver for giver in Giver.values if giver != Giver.MANAGER]
    condition = Q()
    for position in GIVER_POSITIONS:
        condition |= Q(**{f"givers__{position}__in": others})
    return condition


def by_giver(scope):
    """How many recognitions each giver took part in, the manager alone, with someone other
    than the manager, and with no giver recorded: one query."""
    figures = scope.given_in_period().aggregate(
        total=Count("pk"),
        manager_alone=Count("pk", filter=Q(givers__0=Giver.MANAGER) & Q(givers__1__isnull=True)),
        with_others=Count("pk", filter=_someone_other_than_the_manager()),
        not_recorded=Count("pk", filter=Q(givers__0__isnull=True)),
        **{f"giver_{giver}": Count("pk", filter=_gives(giver)) for giver in Giver.values},
    )
    total = figures["total"]
    rows = [
        GiverRow(
            giver=value,
            label=str(label),
            count=figures[f"giver_{value}"],
            share=percent(figures[f"giver_{value}"], total),
        )
        for value, label in Giver.choices
    ]
    return Givers(
        total=total,
        rows=rows,
        manager_alone=figures["manager_alone"],
        with_others=figures["with_others"],
        not_recorded=figures["not_recorded"],
    )


def giver_summary(givers):
    if not givers.total:
        return [_("No recognition was given in this period.")]
    sentences = [
        _(
            "The manager alone gave %(alone)s of the recognitions (%(alone_count)s of %(total)s); "
            "%(others)s had at least one giver other than the manager (%(others_count)s)."
        )
        % {
            "alone": format_percent(givers.manager_alone_share),
            "alone_count": givers.manager_alone,
            "total": givers.total,
            "others": format_percent(givers.with_others_share),
            "others_count": givers.with_others,
        }
    ]
    if givers.not_recorded:
        sentences.append(
            ngettext(
                "%(count)s recognition has no giver recorded.",
                "%(count)s recognitions have no giver recorded.",
                plural_count(givers.not_recorded),
            )
            % {"count": givers.not_recorded}
        )
    return sentences


def giver_chart(givers):
    return charts.bar(
        [row.label for row in givers.rows],
        [charts.dataset(_("Recognitions"), [row.count for row in givers.rows])],
        horizontal=True,
    )


# The annual report


def report_sections(scope):
    timing = by_month(scope)
    givers = by_giver(scope)
    month_table = Table(
        title=_("Recognitions given by month"),
        headers=[_("Month"), _("Recognitions"), _("Share (%)")],
        rows=[[month.label, month.count, month.share] for month in timing.months],
    )
    giver_table = Table(
        title=_("Recognitions by giver"),
        headers=[_("Giver"), _("Recognitions"), _("Share (%)")],
        rows=[[row.label, row.count, row.share] for row in givers.rows],
    )
    section_charts = []
    if timing.total:
        section_charts = [
            {**month_chart(timing), "title": _("Recognitions given by month")},
            {**giver_chart(givers), "title": _("Recognitions by giver")},
        ]
    return [
        Section(
            key="timing",
            title=_("Timing and givers"),
            summary=month_summary(timing) + (giver_summary(givers) if givers.total else []),
            charts=section_charts,
            tables=[month_table, giver_table] if timing.total else [],
        )
    ]
