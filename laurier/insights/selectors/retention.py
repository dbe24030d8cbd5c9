"""Retention by cohort: do mentors recognised during a cycle more often mentor again in the next?

A cohort is a cycle C of a program whose next cycle (the program's next by `starts_on`) has
started by the reference day R. Among the mentors paired in C, the share also paired in the
next cycle, split by whether they were recognised during C (a given award of that program with
`given_on` in [C.starts_on, C.ends_on]). Always shown with the number of mentors behind each
share; a side of fewer than `SMALLEST_SIDE` mentors is "too few to compare" rather than a
percentage that one mentor would swing.

All cohorts come from two queries: the cohorts' cycles with their next cycle, then each
pairing of a cohort annotated with whether its mentor is paired in the next cycle (`Exists`)
and was recognised during the cycle (`Exists`), distinct mentors counted per cycle and answer.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laurier.core.figures import format_percent, percent
from laurier.programs.models import Cycle, Pairing
from laurier.recognition.models import Award

from .. import charts
from ..report_sections import Section, Table
from .impact import count_text

# Below this many mentors on one side, a share would be swung by one or two people.
SMALLEST_SIDE = 5


@dataclass
class Side:
    """The mentors of a cohort on one side (recognised or not) and how many continued."""

    mentors: int
    continued: int

    @property
    def comparable(self):
        return self.mentors >= SMALLEST_SIDE

    @property
    def share(self):
        """The share who continued, in whole percent; None when too few to compare."""
        return percent(self.continued, self.mentors) if self.comparable else None


@dataclass
class Cohort:
    """A cycle's mentors (or, with every program shown, those of the cycles starting in a
    year): `key` is the cycle's id, or the year."""

    key: int
    label: str
    starts_on: object
    mentors: int
    continued: int
    recognised: Side
    not_recognised: Side

    @property
    def share(self):
        return percent(self.continued, self.mentors)

    @property
    def comparable(self):
        return self.recognised.comparable and self.not_recognised.comparable


@dataclass
class Retention:
    cohorts: list
    # Cohorts are years (every program shown) rather than cycles.
    by_year: bool = False

    @property
    def comparable_cohorts(self):
        return [cohort for cohort in self.cohorts if cohort.comparable]

    @property
    def pooled(self):
        """(recognised, not recognised) over every comparable cohort: mentor-cycles, so a
        mentor in two cohorts counts twice, once in each."""
        cohorts = self.comparable_cohorts
        return (
            Side(
                sum(c.recognised.mentors for c in cohorts),
                sum(c.recognised.continued for c in cohorts),
            ),
            Side(
                sum(c.not_recognised.mentors for c in cohorts),
                sum(c.not_recognised.continued for c in cohorts),
            ),
        )


def _next_cycle(field):
    """The program's next cycle by start."""
    return (
        Cycle.objects.filter(program=OuterRef("program"), starts_on__gt=OuterRef("starts_on"))
        .order_by("starts_on", "pk")
        .values(field)[:1]
    )


def _cohort_cycles(scope):
    """{cycle id: its next cycle's id} for the cycles in scope whose next cycle has started by
    the reference day: one query over the cycles (a few per program)."""
    cycles = Cycle.objects.filter(program_id__in=scope.program_ids)
    if scope.cycle is not None:
        cycles = cycles.filter(pk=scope.cycle.pk)
    return dict(
        cycles.annotate(
            next_cycle=Subquery(_next_cycle("pk")),
            next_starts_on=Subquery(_next_cycle("starts_on")),
        )
        .filter(next_starts_on__lte=scope.reference_day)
        .values_list("pk", "next_cycle")
    )


def _cohort_pairings(scope, next_cycles):
    """The pairings in scope of the cohorts' cycles, each knowing whether its mentor continued
    (paired in the next cycle) and was recognised during the cycle."""
    # The next cycle of each pairing's cycle, written out: the cohorts are few, and a
    # correlated subquery here would run again for every pairing.
    next_cycle = Case(
        *(When(cycle_id=cycle, then=Value(following)) for cycle, following in next_cycles.items()),
        output_field=IntegerField(),
    )
    continued = Pairing.objects.filter(cycle=OuterRef("next_cycle"), mentor=OuterRef("mentor"))
    recognised = Award.objects.filter(
        status=Award.Status.GIVEN,
        program=OuterRef("cycle__program"),
        mentor=OuterRef("mentor"),
        given_on__gte=OuterRef("cycle__starts_on"),
        given_on__lte=OuterRef("cycle__ends_on"),
    )
    return (
        scope.pairings()
        .filter(cycle__in=list(next_cycles))
        .order_by()
        .annotate(next_cycle=next_cycle)
        .annotate(continued=Exists(continued), recognised=Exists(recognised))
    )


def _cohort_key_and_label(row, by_year):
    if by_year:
        year = row["cycle__starts_on"].year
        return year, _("Cycles starting in %(year)s") % {"year": year}
    return row["cycle"], row["cycle__name"]


def retention(scope):
    """Every cohort in scope, oldest first: two queries (the cohorts' cycles, then their
    mentors counted by whether they were recognised and continued)."""
    next_cycles = _cohort_cycles(scope)
    if not next_cycles:
        return Retention(cohorts=[])
    # With every program shown, cohorts are grouped by the year their cycle starts: an
    # organisation with thirty programs would otherwise draw sixty pairs of bars, and the
    # executives reading it want the trend over the years (a program's own cycles are one
    # filter away). Each program's cohort is added as is, so a mentor paired in two programs'
    # cycles that year counts in each.
    by_year = scope.program is None and len(scope.program_ids) > 1
    # Grouped by the two answers, so each is worked out once per pairing. Both depend only on
    # the mentor and the cycle, so a mentor paired twice in a cycle falls in one group and
    # distinct mentors add up across the groups.
    rows = (
        _cohort_pairings(scope, next_cycles)
        .values(
            "cycle",
            "cycle__name",
            "cycle__starts_on",
            "cycle__program__name",
            "recognised",
            "continued",
        )
        .annotate(mentors=Count("mentor", distinct=True))
        .order_by("cycle__starts_on", "cycle__program__name", "cycle")
    )
    cohorts = {}
    for row in rows:
        key, label = _cohort_key_and_label(row, by_year)
        cohort = cohorts.get(key)
        if cohort is None:
            cohort = cohorts[key] = Cohort(
                key=key,
                label=label,
                starts_on=row["cycle__starts_on"],
                mentors=0,
                continued=0,
                recognised=Side(0, 0),
                not_recognised=Side(0, 0),
            )
        side = cohort.recognised if row["recognised"] else cohort.not_recognised
        side.mentors += row["mentors"]
        cohort.mentors += row["mentors"]
        if row["continued"]:
            side.continued += row["mentors"]
            cohort.continued += row["mentors"]
    return Retention(cohorts=list(cohorts.values()), by_year=by_year)


def caution():
    return _(
        "This shows an association, not a cause: mentors who are recognised may differ in "
        "other ways."
    )


def retention_chart(figures):
    return charts.bar(
        [cohort.label for cohort in figures.cohorts],
        [
            charts.dataset(
                _("Recognised during the cycle"),
                [cohort.recognised.share for cohort in figures.cohorts],
            ),
            charts.dataset(
                _("Not recognised"), [cohort.not_recognised.share for cohort in figures.cohorts]
            ),
        ],
        percent=True,
    )


def _side_text(side):
    if not side.comparable:
        return ngettext(
            "too few to compare (%(mentors)s mentor)",
            "too few to compare (%(mentors)s mentors)",
            side.mentors,
        ) % {"mentors": count_text(side.mentors)}
    return ngettext(
        "%(share)s of %(mentors)s mentor", "%(share)s of %(mentors)s mentors", side.mentors
    ) % {
        "share": format_percent(side.share),
        "mentors": count_text(side.mentors),
    }


def summary(figures, *, with_caution=True):
    """Sentences a reader takes away, figures included (the page shows the caution apart)."""
    cautions = [caution()] if with_caution else []
    if not figures.cohorts:
        return [
            _(
                "No cohort yet: retention appears once a cycle is followed by another that "
                "has started."
            )
        ]
    if not figures.comparable_cohorts:
        return [
            _(
                "No cohort has at least %(smallest)s mentors on each side (recognised and "
                "not recognised): too few to compare."
            )
            % {"smallest": SMALLEST_SIDE},
            *cautions,
        ]
    recognised, not_recognised = figures.pooled
    return [
        ngettext(
            "In %(cohorts)s cohort, %(recognised)s recognised during their cycle mentored "
            "again in the next, against %(not_recognised)s not recognised.",
            "Over %(cohorts)s cohorts, %(recognised)s recognised during their cycle mentored "
            "again in the next, against %(not_recognised)s not recognised.",
            len(figures.comparable_cohorts),
        )
        % {
            "cohorts": len(figures.comparable_cohorts),
            "recognised": _side_text(recognised),
            "not_recognised": _side_text(not_recognised),
        },
        *cautions,
    ]


def _cell_share(side):
    return side.share if side.comparable else _("too few to compare")


def report_sections(scope):
    figures = retention(scope)
    headers = [
        _("Cohort"),
        _("Mentors paired"),
        _("Continued"),
        _("Recognised: mentors"),
        _("Recognised: continued"),
        _("Recognised: share who continued (%)"),
        _("Not recognised: mentors"),
        _("Not recognised: continued"),
        _("Not recognised: share who continued (%)"),
    ]
    rows = [
        [
            cohort.label,
            cohort.mentors,
            cohort.continued,
            cohort.recognised.mentors,
            cohort.recognised.continued,
            _cell_share(cohort.recognised),
            cohort.not_recognised.mentors,
            cohort.not_recognised.continued,
            _cell_share(cohort.not_recognised),
        ]
        for cohort in figures.cohorts
    ]
    chart_list = []
    if figures.cohorts:
        chart = retention_chart(figures)
        chart["title"] = _("Share of mentors who continued to the next cycle")
        chart_list.append(chart)
    return [
        Section(
            key="retention",
            title=_("Retention by cohort"),
            summary=summary(figures),
            charts=chart_list,
            tables=[Table(_("Retention by cohort"), headers, rows)] if rows else [],
        )
    ]
