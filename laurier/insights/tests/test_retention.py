"""Retention by cohort, on a hand-built program with known answers.

Program "Relève", three cycles: 2024 (Sept. 2024 – June 2025), 2025 and 2026 (started in
Sept. 2026, so on 2026-12-31 the 2025 cycle is a cohort; the 2026 one has no next cycle yet).

- Cohort 2024: twelve mentors. r1–r6 were recognised during the cycle (r1 paired twice, r6
  recognised twice); r1–r5 mentor again in 2025. n1–n6 were not recognised (n4 only after the
  cycle ended, n5 only planned, n6 by another program); n1–n3 mentor again in 2025.
- Cohort 2025: those eight and x1, x2. r1 and x1 were recognised during it (too few to compare);
  r1, n1, n2 and x2 mentor again in 2026.
- r1–r3, n1 and n2 work in "Ops".
"""

import dataclasses
import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.recognition.models import Award
from laurier.testing import factories

from ..scope import scope_for_report
from ..selectors import retention as selectors

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
TODAY = datetime.date(2026, 12, 31)


def scope_of(program, **changes):
    scope = scope_for_report(program.organisation, program, START, END, TODAY)
    return dataclasses.replace(scope, **changes)


def cycle(program, name, year):
    return factories.CycleFactory(
        program=program,
        name=name,
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year + 1, 6, 30),
    )


def paired(cycle, *mentors):
    for mentor in mentors:
        factories.PairingFactory(program=cycle.program, cycle=cycle, mentor=mentor)


def recognised(program, mentor, on, **fields):
    return factories.AwardFactory(program=program, mentor=mentor, planned_on=on, **fields)


@pytest.fixture
def cycles(program):
    return {year: cycle(program, f"Cohort {year}", year) for year in (2024, 2025, 2026)}


@pytest.fixture
def mentors(program, organisation, cycles):
    def person(name, department=""):
        return factories.PersonFactory(
            organisation=organisation, first_name=name, department=department
        )

    people = {name: person(name, "Ops") for name in ("r1", "r2", "r3", "n1", "n2")}
    people |= {name: person(name) for name in ("r4", "r5", "r6", "n3", "n4", "n5", "n6")}
    people |= {name: person(name) for name in ("x1", "x2")}
    c2024, c2025, c2026 = cycles[2024], cycles[2025], cycles[2026]
    named = [people[name] for name in ("r1", "r2", "r3", "r4", "r5", "r6")]
    others = [people[name] for name in ("n1", "n2", "n3", "n4", "n5", "n6")]
    paired(c2024, *named, *others, people["r1"])
    for index, mentor in enumerate(named):
        recognised(program, mentor, datetime.date(2024, 10, 1) + datetime.timedelta(days=index))
    recognised(program, people["r6"], datetime.date(2025, 6, 30))
    recognised(program, people["n4"], datetime.date(2025, 7, 1))
    recognised(program, people["n5"], datetime.date(2025, 1, 1), status=Award.Status.PLANNED)
    elsewhere = factories.ProgramFactory(organisation=organisation)
    recognised(elsewhere, people["n6"], datetime.date(2025, 1, 1))
    paired(c2025, *named[:5], *others[:3], people["x1"], people["x2"])
    recognised(program, people["r1"], datetime.date(2025, 9, 1))
    recognised(program, people["x1"], datetime.date(2026, 6, 30))
    paired(c2026, people["r1"], people["n1"], people["n2"], people["x2"])
    return people


def cohorts(program, **changes):
    return selectors.retention(scope_of(program, **changes)).cohorts


@pytest.mark.usefixtures("mentors")
class TestCohorts:
    @pytest.fixture
    def first(self, program):
        return cohorts(program)[0]

    @pytest.fixture
    def second(self, program):
        return cohorts(program)[1]

    def test_a_cohort_is_a_cycle_whose_next_cycle_has_started(self, program):
        assert [cohort.label for cohort in cohorts(program)] == ["Cohort 2024", "Cohort 2025"]

    def test_mentors_paired_are_counted_once(self, first):
        assert first.mentors == 12

    def test_mentors_paired_again_in_the_next_cycle(self, first):
        assert first.continued == 8

    def test_recognised_mentors_of_the_cycle(self, first):
        assert (first.recognised.mentors, first.recognised.continued) == (6, 5)

    def test_share_of_recognised_who_continued(self, first):
        assert first.recognised.share == 83

    def test_not_recognised_leaves_out_later_planned_and_other_programs_awards(self, first):
        assert (first.not_recognised.mentors, first.not_recognised.continued) == (6, 3)

    def test_share_of_not_recognised_who_continued(self, first):
        assert first.not_recognised.share == 50

    def test_next_cohort_counts_its_own_pairings(self, second):
        assert (second.mentors, second.continued) == (10, 4)

    def test_a_side_of_fewer_than_five_is_too_few_to_compare(self, second):
        assert (second.recognised.mentors, second.recognised.continued) == (2, 1)
        assert (second.recognised.comparable, second.recognised.share) == (False, None)
        assert second.comparable is False

    def test_the_other_side_is_still_shown(self, second):
        assert (second.not_recognised.mentors, second.not_recognised.share) == (8, 38)


@pytest.mark.usefixtures("mentors")
class TestFilters:
    def test_reference_day_before_the_next_cycle_started(self, program):
        labels = [c.label for c in cohorts(program, end=datetime.date(2026, 8, 31))]
        assert labels == ["Cohort 2024"]

    def test_cycle_filter_keeps_its_cohort(self, program, cycles):
        assert [c.label for c in cohorts(program, cycle=cycles[2024])] == ["Cohort 2024"]

    def test_a_cycle_without_a_next_one_is_no_cohort(self, program, cycles):
        assert cohorts(program, cycle=cycles[2026]) == []

    def test_department_keeps_its_mentors(self, program):
        first = cohorts(program, department="Ops")[0]
        assert (first.mentors, first.recognised.mentors, first.not_recognised.mentors) == (5, 3, 2)
        assert (first.recognised.continued, first.not_recognised.continued) == (3, 2)

    def test_another_program_is_left_out(self, program, organisation):
        elsewhere = factories.ProgramFactory(organisation=organisation)
        assert cohorts(elsewhere) == []


@pytest.fixture
def winter_cohort(organisation):
    """Another program's cohort starting in January 2025: two mentors, one recognised, both
    paired again in its next cycle."""
    other = factories.ProgramFactory(organisation=organisation, name="Accueil")
    winter = factories.CycleFactory(
        program=other,
        name="Hiver",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
    )
    summer = factories.CycleFactory(program=other, name="Été", starts_on=datetime.date(2025, 7, 1))
    people = factories.PersonFactory.create_batch(2, organisation=organisation)
    paired(winter, *people)
    paired(summer, *people)
    recognised(other, people[0], datetime.date(2025, 2, 1))


@pytest.mark.usefixtures("mentors", "winter_cohort")
class TestEveryProgram:
    @pytest.fixture
    def every_program(self, organisation):
        scope = scope_for_report(organisation, None, START, END, TODAY)
        return selectors.retention(scope)

    def test_cohorts_are_the_years_cycles_start(self, organisation):
        with translation.override("en"):
            scope = scope_for_report(organisation, None, START, END, TODAY)
            every_program = selectors.retention(scope)
            assert [c.label for c in every_program.cohorts] == [
                "Cycles starting in 2024",
                "Cycles starting in 2025",
            ]
        assert every_program.by_year is True

    def test_a_years_cohort_adds_up_its_programs_cohorts(self, every_program):
        year_2025 = every_program.cohorts[1]
        # Cohort 2025 of Relève (10 mentors, 4 continued) and Hiver of Accueil (2, both).
        assert (year_2025.mentors, year_2025.continued) == (12, 6)
        assert (year_2025.recognised.mentors, year_2025.recognised.continued) == (3, 2)
        assert (year_2025.not_recognised.mentors, year_2025.not_recognised.continued) == (9, 4)

    def test_one_program_keeps_its_cycles(self, program):
        labels = [c.label for c in selectors.retention(scope_of(program)).cohorts]
        assert labels == ["Cohort 2024", "Cohort 2025"]


@pytest.mark.usefixtures("mentors")
def test_chart_leaves_a_gap_where_too_few_to_compare(program):
    chart = selectors.retention_chart(selectors.retention(scope_of(program)))
    assert chart["datasets"][0]["data"] == [83, None]
    assert chart["datasets"][1]["data"] == [50, 38]
    assert chart["percent"] is True


@pytest.mark.usefixtures("mentors")
def test_summary_pools_comparable_cohorts_and_cautions(program):
    with translation.override("en"):
        summary = selectors.summary(selectors.retention(scope_of(program)))
    assert summary == [
        "In 1 cohort, 83% of 6 mentors recognised during their cycle mentored again in the "
        "next, against 50% of 6 mentors not recognised.",
        "This shows an association, not a cause: mentors who are recognised may differ in "
        "other ways.",
    ]


def test_no_cohort_says_when_retention_appears(program):
    figures = selectors.retention(scope_of(program))
    assert figures.cohorts == []
    with translation.override("en"):
        assert selectors.summary(figures)[0].startswith("No cohort yet")


@pytest.mark.usefixtures("mentors")
def test_report_section_has_a_row_per_cohort(program):
    with translation.override("en"):
        (section,) = selectors.report_sections(scope_of(program))
    assert section.key == "retention"
    assert section.charts[0]["title"] == "Share of mentors who continued to the next cycle"
    rows = section.tables[0].rows
    assert rows[0] == ["Cohort 2024", 12, 8, 6, 5, 83, 6, 3, 50]
    assert rows[1][5] == "too few to compare"


@pytest.mark.usefixtures("mentors")
@pytest.mark.parametrize("more", [0, 10])
def test_two_queries_whatever_the_number_of_mentors(
    more, program, cycles, organisation, django_assert_num_queries
):
    for _index in range(more):
        mentor = factories.PersonFactory(organisation=organisation)
        paired(cycles[2024], mentor)
        paired(cycles[2025], mentor)
        recognised(program, mentor, datetime.date(2025, 1, 1))
    with django_assert_num_queries(2):
        figures = selectors.retention(scope_of(program))
    assert figures.cohorts[0].mentors == 12 + more


@pytest.mark.usefixtures("mentors", "winter_cohort")
def test_page_shows_years_with_every_program(login, admin_user, organisation):
    with translation.override("en"):
        response = login(admin_user).get(
            reverse("insights:impact", args=[organisation.slug]),
            {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"},
        )
    html = response.content.decode()
    assert "cycles that start in the same year are added together" in html
    assert "Cycles starting in 2025" in html
    assert response.context["charts"]["retention"]["datasets"][1]["data"] == [50, 44]
