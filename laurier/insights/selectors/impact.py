"""Reads for the "Impact" page: what mentors think of the recognitions they received, what they
cost, and how recognition goes with the engagement pulse (retention lives in `retention.py`).

Satisfaction and relevance are the 1–5 answers of the feedback survey about the recognitions
given in the period (never anonymous: each belongs to its award), read by
`feedback.feedback_by_option`; categories add up their options' sums and counts.

The pulse is anonymous: its figures come from `laurier.surveys.selectors.voice`, which keeps
only closed campaigns and groups answered by enough distinct mentors.
"""

import dataclasses
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.dates import months_before
from laurier.core.figures import format_percent, percent
from laurier.core.money import format_money
from laurier.surveys.models import Campaign, EngagementFactor
from laurier.surveys.selectors.voice import pulse_figures

from .. import charts
from ..report_sections import Section, Table
from .feedback import Feedback, feedback_by_option, total_feedback

# The pulse's "recognition" factor is compared with recognitions given in the months before.
COVERAGE_MONTHS = 6
# Pulse groups shown at most (the latest ones): enough to see a trend, few enough to read.
LATEST_PULSES = 8


# Satisfaction, relevance and cost


@dataclass
class Satisfaction:
    options: list
    categories: list
    total: Feedback
    currency: str

    @property
    def rated_categories(self):
        return [row for row in self.categories if row.answers]


def _by_satisfaction(rows):
    """The most satisfying first; recognitions nobody rated last, most given first."""
    return sorted(
        rows,
        key=lambda row: (row.satisfaction is None, -(row.satisfaction or 0), -row.given, row.label),
    )


def satisfaction(scope):
    """Satisfaction, relevance and cost of the recognitions given in the period, by option and
    by category, the most satisfying first (`feedback.feedback_by_option`: two queries)."""
    options = feedback_by_option(scope)
    by_category = {}
    for option in options:
        category = by_category.setdefault(
            option.category, Feedback(key=option.category, label=option.category_label)
        )
        category.add(option)
    return Satisfaction(
        options=_by_satisfaction(options),
        categories=_by_satisfaction(by_category.values()),
        total=total_feedback(options),
        currency=scope.organisation.currency,
    )


def satisfaction_chart(figures):
    rows = figures.rated_categories
    return charts.bar(
        [row.label for row in rows],
        [charts.dataset(_("Average satisfaction (1–5)"), [row.satisfaction for row in rows])],
        horizontal=True,
        min=0,
        max=5,
    )


def decimal_text(value):
    """An average in a sentence as the reader writes it: "4.3", "4,3"; "—" for none."""
    return "—" if value is None else formats.number_format(value, 1, use_l10n=True)


def count_text(value):
    """A count in a sentence as the reader writes it: "1,234", "1 234"."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def money(value, currency):
    return format_money(value, currency) if value is not None else "—"


def export_headers():
    return [
        _("Recognition option"),
        _("Category"),
        _("Given"),
        _("Satisfaction answers"),
        _("Average satisfaction (1–5)"),
        _("Relevance answers"),
        _("Average relevance (1–5)"),
        _("Total cost"),
        _("Average cost"),
        _("Cost per satisfaction point"),
    ]


def export_rows(figures):
    return [
        [
            row.label,
            row.category_label,
            row.given,
            row.answers,
            row.satisfaction,
            row.relevance_answers,
            row.relevance,
            row.total_cost,
            row.average_cost,
            row.cost_per_point,
        ]
        for row in figures.options
    ]


def satisfaction_summary(figures):
    total = figures.total
    if not total.given:
        return [_("No recognition was given in this period.")]
    sentences = [
        ngettext(
            "%(given)s recognition was given in this period, for %(cost)s.",
            "%(given)s recognitions were given in this period, for %(cost)s in all "
            "(%(average)s each on average).",
            total.given,
        )
        % {
            "given": count_text(total.given),
            "cost": money(total.total_cost, figures.currency),
            "average": money(total.average_cost, figures.currency),
        }
    ]
    if total.answers:
        sentences.append(
            ngettext(
                "Mentors rated their satisfaction %(satisfaction)s out of 5 on average "
                "(%(answers)s answer); each satisfaction point cost %(per_point)s.",
                "Mentors rated their satisfaction %(satisfaction)s out of 5 on average "
                "(%(answers)s answers); each satisfaction point cost %(per_point)s.",
                total.answers,
            )
            % {
                "satisfaction": decimal_text(total.satisfaction),
                "answers": count_text(total.answers),
                "per_point": money(total.cost_per_point, figures.currency),
            }
        )
    else:
        sentences.append(_("No mentor has answered the feedback survey about them yet."))
    return sentences


# Recognition and the engagement pulse


@dataclass
class PulsePoint:
    """One pulse group (a cycle) beside the recognitions given in the months before it closed."""

    label: str
    closes_on: object
    shown: bool
    respondents: int
    recognition: float | None = None
    intention: float | None = None
    recognised: int = 0
    active: int = 0

    @property
    def coverage(self):
        return percent(self.recognised, self.active)


@dataclass
class PulseComparison:
    points: list = field(default_factory=list)
    threshold: int = 0
    # Why there is nothing to show: "program" (choose one), or "" (no closed pulse).
    missing: str = ""


def _closing_days(campaign_ids):
    """Each campaign's closing day: the last day mentors could answer (`Campaign.last_day`,
    from `closes_at`, which closing by hand moves to the moment it was closed)."""
    campaigns = Campaign.objects.filter(pk__in=campaign_ids).only("pk", "closes_at")
    return {campaign.pk: campaign.last_day for campaign in campaigns}


def _recognised_before(scope, days):
    """For each day, (mentors, recognised): the active mentors in scope already enrolled on
    that day (`since` on or before it), and those of them recognised in the COVERAGE_MONTHS
    up to that day. One query over the enrolments, two conditional counts per day.

    Mentors who have since left are no longer "active" and cannot be counted: each point
    counts today's active mentors who were there at the time (said on the page)."""
    given = scope.given_awards().filter(mentor=OuterRef("person_id"))
    counts = {}
    for index, day in enumerate(days):
        enrolled = Q(since__lte=day)
        window = given.filter(given_on__gt=months_before(day, COVERAGE_MONTHS), given_on__lte=day)
        counts[f"mentors_{index}"] = Count("person", filter=enrolled, distinct=True)
        counts[f"recognised_{index}"] = Count(
            "person", filter=enrolled & Q(Exists(window)), distinct=True
        )
    figures = scope.active_mentor_enrolments().order_by().aggregate(**counts)
    return [
        (figures[f"mentors_{index}"], figures[f"recognised_{index}"]) for index in range(len(days))
    ]


def pulse_comparison(scope):
    """Per closed pulse group of the chosen program (oldest first, the latest LATEST_PULSES
    closed by the reference day): the recognition factor and the intention to continue, beside
    the share of active mentors recognised in the COVERAGE_MONTHS before the pulse closed.

    A pulse belongs to a program, so one must be chosen. The department filter does not apply
    to the pulse: narrowing anonymous answers to a department could reveal who answered.
    """
    threshold = scope.organisation.anonymity_threshold
    if scope.program is None:
        return PulseComparison(threshold=threshold, missing="program")
    groups = pulse_figures(scope.program, threshold=threshold).groups
    if scope.cycle is not None:
        groups = [group for group in groups if group.cycle_id == scope.cycle.pk]
    closing = _closing_days([group.campaign_id for group in groups])
    last_day = scope.reference_day
    groups = [group for group in groups if closing[group.campaign_id] <= last_day]
    groups = groups[-LATEST_PULSES:]
    if not groups:
        return PulseComparison(threshold=threshold)
    days = [closing[group.campaign_id] for group in groups]
    # The pulse speaks for the whole program, so the mentors it is compared with do too.
    counts = _recognised_before(dataclasses.replace(scope, department=""), days)
    points = [
        PulsePoint(
            label=group.label,
            closes_on=day,
            shown=group.shown,
            respondents=group.people,
            recognition=group.factors.get(EngagementFactor.RECOGNITION) if group.shown else None,
            intention=group.intention if group.shown else None,
            recognised=recognised,
            active=active,
        )
        for group, day, (active, recognised) in zip(groups, days, counts, strict=True)
    ]
    return PulseComparison(points=points, threshold=threshold)


def recognised_before_label():
    return ngettext(
        "Active mentors recognised in the %(months)s month before the pulse",
        "Active mentors recognised in the %(months)s months before the pulse",
        COVERAGE_MONTHS,
    ) % {"months": COVERAGE_MONTHS}


def coverage_chart(comparison):
    points = comparison.points
    return charts.line(
        [point.label for point in points],
        [
            charts.dataset(
                recognised_before_label(),
                [point.coverage for point in points],
            )
        ],
        percent=True,
    )


def pulse_chart(comparison):
    points = comparison.points
    return charts.line(
        [point.label for point in points],
        [
            charts.dataset(
                _("“My involvement is recognised” (1–5)"),
                [point.recognition for point in points],
            ),
            charts.dataset(
                _("Intention to continue (0–10)"), [point.intention for point in points]
            ),
        ],
        min=0,
        max=10,
    )


def pulse_summary(comparison):
    if comparison.missing == "program":
        return [_("Choose a program to compare recognition with its engagement pulse.")]
    shown = [point for point in comparison.points if point.shown]
    if not shown:
        return [
            _(
                "No closed engagement pulse answered by at least %(threshold)s mentors yet: "
                "its figures appear once one is."
            )
            % {"threshold": comparison.threshold}
        ]
    latest = shown[-1]
    return [
        ngettext(
            "At the latest pulse (%(label)s, closed on %(day)s), mentors rated “My involvement "
            "is recognised” %(recognition)s out of 5; %(coverage)s of the active mentors "
            "enrolled by then (%(recognised)s of %(active)s) had been recognised in the "
            "%(months)s month before.",
            "At the latest pulse (%(label)s, closed on %(day)s), mentors rated “My involvement "
            "is recognised” %(recognition)s out of 5; %(coverage)s of the active mentors "
            "enrolled by then (%(recognised)s of %(active)s) had been recognised in the "
            "%(months)s months before.",
            COVERAGE_MONTHS,
        )
        % {
            "label": latest.label,
            "day": date_format(latest.closes_on, "DATE_FORMAT"),
            "recognition": decimal_text(latest.recognition),
            "coverage": format_percent(latest.coverage),
            "recognised": count_text(latest.recognised),
            "active": count_text(latest.active),
            "months": COVERAGE_MONTHS,
        }
    ]


# The annual report


def report_sections(scope):
    figures = satisfaction(scope)
    option_table = Table(_("Satisfaction and cost by recognition option"), export_headers(), [])
    option_table.rows = export_rows(figures)
    category_table = Table(
        _("Satisfaction and cost by category"),
        [header for index, header in enumerate(export_headers()) if index != 1],
        [row[:1] + row[2:] for row in _category_rows(figures)],
    )
    satisfaction_charts = []
    if figures.rated_categories:
        chart = satisfaction_chart(figures)
        chart["title"] = _("Average satisfaction by category")
        satisfaction_charts.append(chart)
    sections = [
        Section(
            key="impact",
            title=_("Satisfaction and cost of recognition"),
            summary=satisfaction_summary(figures),
            charts=satisfaction_charts,
            tables=[option_table, category_table] if figures.options else [],
        )
    ]
    comparison = pulse_comparison(scope)
    if comparison.missing == "program":
        # An organisation's report: each program runs its own pulse, read in its own report.
        return sections
    pulse_charts = []
    if comparison.points:
        for chart, title in (
            (coverage_chart(comparison), _("Active mentors recognised before each pulse")),
            (pulse_chart(comparison), _("The engagement pulse")),
        ):
            chart["title"] = title
            pulse_charts.append(chart)
    sections.append(
        Section(
            key="pulse",
            title=_("Recognition and the engagement pulse"),
            summary=pulse_summary(comparison),
            charts=pulse_charts,
            tables=[
                Table(
                    _("Recognition and the engagement pulse"),
                    pulse_headers(),
                    pulse_rows(comparison),
                )
            ]
            if comparison.points
            else [],
        )
    )
    return sections


def _category_rows(figures):
    return export_rows(Satisfaction(figures.categories, [], figures.total, figures.currency))


def pulse_headers():
    return [
        _("Pulse"),
        _("Closed on"),
        _("Respondents"),
        _("“My involvement is recognised” (1–5)"),
        _("Intention to continue (0–10)"),
        _("Active mentors enrolled by then"),
        ngettext(
            "Recognised in the %(months)s month before",
            "Recognised in the %(months)s months before",
            COVERAGE_MONTHS,
        )
        % {"months": COVERAGE_MONTHS},
        _("Share recognised (%)"),
    ]


def pulse_rows(comparison):
    too_few = _("too few to show")
    return [
        [
            point.label,
            point.closes_on,
            point.respondents,
            point.recognition if point.shown else too_few,
            point.intention if point.shown else too_few,
            point.active,
            point.recognised,
            point.coverage,
        ]
        for point in comparison.points
    ]
