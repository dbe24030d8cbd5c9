"""The "Program health" page, on small hand-built programs with known answers.

Every figure is read on the year 2026 (the period), seen on 31 December 2026 (the reference
day R), in program "Relève" unless a test says otherwise. Each fixture builds the data of one
section, with what must not count beside what must.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laurier.programs.models import EnrolmentStatus, MenteeEnrolment, Pairing
from laurier.recognition.models import Award, LedgerEntry
from laurier.surveys.models import Answer, EngagementFactor, Response
from laurier.testing import factories
from laurier.testing.pulses import pulse_campaign, respond

from ..scope import scope_for_report
from ..selectors import health
from .builders import give_feedback

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
TODAY = datetime.date(2026, 12, 31)
D = datetime.date


def scope_of(program, **changes):
    scope = scope_for_report(program.organisation, program, START, END, TODAY)
    return dataclasses.replace(scope, **changes)


def whole_organisation(organisation, **changes):
    scope = scope_for_report(organisation, None, START, END, TODAY)
    return dataclasses.replace(scope, **changes)


def mentor(program, *, status=EnrolmentStatus.ACTIVE, department=""):
    return factories.MentorEnrolmentFactory(
        program=program, status=status, person__department=department
    ).person


def recognise(program, person, on, **fields):
    return factories.AwardFactory(program=program, mentor=person, planned_on=on, **fields)


def health_url(organisation):
    return reverse("insights:health", args=[organisation.slug])


# Who takes part


@pytest.fixture
def participants(program, organisation):
    """Three active mentors (one also in another program), two active pairings, two active
    mentees; a paused mentor, a completed pairing with a mentee who left."""
    first, second, third = mentor(program), mentor(program), mentor(program, department="Ops")
    factories.MentorEnrolmentFactory(
        program=factories.ProgramFactory(organisation=organisation), person=first
    )
    mentor(program, status=EnrolmentStatus.PAUSED)
    factories.PairingFactory(program=program, mentor=first)
    factories.PairingFactory(program=program, mentor=third, mentee__department="Ops")
    ended = factories.PairingFactory(
        program=program, mentor=second, status=Pairing.Status.COMPLETED
    )
    MenteeEnrolment.objects.filter(person=ended.mentee).update(status=EnrolmentStatus.LEFT)


@pytest.mark.usefixtures("participants")
class TestPeople:
    def test_active_mentors_are_counted_once(self, program):
        assert health.program_health(scope_of(program)).people.active_mentors == 3

    def test_active_mentees_leave_out_those_who_left(self, program):
        assert health.program_health(scope_of(program)).people.active_mentees == 2

    def test_active_pairings_leave_out_completed_ones(self, program):
        assert health.program_health(scope_of(program)).people.active_pairings == 2

    def test_a_department_narrows_every_count(self, program):
        people = health.program_health(scope_of(program, department="Ops")).people
        assert (people.active_mentors, people.active_mentees, people.active_pairings) == (1, 1, 1)

    def test_a_person_in_two_programs_counts_once_across_programs(self, organisation):
        people = health.program_health(whole_organisation(organisation)).people
        assert people.active_mentors == 3


# Hours


@pytest.fixture
def sessions(program, organisation):
    """In 2026: 2 h in March, 1 h in November, 1.5 h in December; in 2025: 1 h in June and
    0.5 h in December. Another program's session does not count."""
    pairing = factories.PairingFactory(program=program)
    for held_on, minutes in (
        (D(2026, 3, 2), 120),
        (D(2026, 11, 10), 60),
        (D(2026, 12, 5), 90),
        (D(2025, 6, 1), 60),
        (D(2025, 12, 10), 30),
    ):
        factories.MentoringSessionFactory(
            pairing=pairing, held_on=held_on, duration_minutes=minutes
        )
    other = factories.PairingFactory(program=factories.ProgramFactory(organisation=organisation))
    factories.MentoringSessionFactory(pairing=other, held_on=D(2026, 12, 1), duration_minutes=600)


@pytest.mark.usefixtures("sessions")
class TestHours:
    @pytest.fixture
    def hours(self, program):
        return health.hours(scope_of(program))

    def test_hours_this_month_are_those_of_the_reference_days_month(self, hours):
        assert hours.this_month == Decimal("1.5")
        assert hours.month_first == D(2026, 12, 1)

    def test_hours_in_the_period(self, hours):
        assert hours.period == Decimal("4.5")

    def test_hours_the_same_days_a_year_before(self, hours):
        assert (hours.previous_start, hours.previous_end) == (D(2025, 1, 1), D(2025, 12, 31))
        assert hours.previous == Decimal("1.5")

    def test_change_against_the_previous_period_in_percent(self, hours):
        assert hours.change == 200

    def test_one_point_per_month_of_the_period(self, hours):
        assert [month.first_day for month in hours.months] == [D(2026, m, 1) for m in range(1, 13)]
        by_month = {month.first_day.month: month.hours for month in hours.months}
        assert (by_month[3], by_month[11], by_month[12], by_month[1]) == (2, 1, Decimal("1.5"), 0)

    def test_each_month_has_the_same_month_a_year_before(self, hours):
        by_month = {month.first_day.month: month.year_before for month in hours.months}
        assert (by_month[6], by_month[12], by_month[3]) == (1, Decimal("0.5"), 0)

    def test_a_shorter_period_is_compared_with_the_same_days_a_year_before(self, program):
        hours = health.hours(scope_of(program, start=D(2026, 7, 1)))
        assert (hours.previous_start, hours.previous_end) == (D(2025, 7, 1), D(2025, 12, 31))
        assert (hours.period, hours.previous, hours.change) == (Decimal("2.5"), Decimal("0.5"), 400)

    def test_no_change_without_hours_a_year_before(self, program):
        assert (
            health.hours(scope_of(program, start=D(2024, 1, 1), end=D(2024, 12, 31))).change is None
        )

    def test_a_department_narrows_hours_to_its_mentors(self, program):
        assert health.hours(scope_of(program, department="Ops")).period == 0

    def test_the_chart_draws_both_lines(self, hours):
        chart = health.hours_chart(hours)
        assert chart["type"] == "line"
        assert chart["datasets"][0]["data"][11] == 1.5
        assert chart["datasets"][1]["data"][11] == 0.5


class TestARunningPeriod:
    """The fiscal year April 2026 – March 2027 seen on 15 December 2026 (R)."""

    @pytest.fixture
    def hours(self, program, sessions):
        pairing = factories.PairingFactory(program=program)
        for held_on, minutes in ((D(2025, 12, 20), 600), (D(2026, 12, 14), 30)):
            factories.MentoringSessionFactory(
                pairing=pairing, held_on=held_on, duration_minutes=minutes
            )
        scope = scope_of(program, start=D(2026, 4, 1), end=D(2027, 3, 31), today=D(2026, 12, 15))
        return health.hours(scope)

    def test_hours_stop_at_the_reference_day(self, hours):
        # November (1 h), 5 and 14 December (1.5 h + 0.5 h).
        assert (hours.end, hours.period) == (D(2026, 12, 15), Decimal("3.0"))

    def test_they_are_compared_with_the_same_days_a_year_before(self, hours):
        # 1 April – 15 December 2025: 1 June (1 h) and 10 December (0.5 h); not the 20
        # December 2025 (10 h), which a whole year would have counted.
        assert (hours.previous_start, hours.previous_end) == (D(2025, 4, 1), D(2025, 12, 15))
        assert (hours.previous, hours.change) == (Decimal("1.5"), 100)

    def test_the_chart_stops_at_the_reference_days_month(self, hours):
        assert [month.first_day for month in hours.months][-1] == D(2026, 12, 1)
        assert len(hours.months) == 9
        december = hours.months[-1]
        assert (december.hours, december.year_before) == (Decimal("2.0"), Decimal("0.5"))

    def test_the_last_month_is_marked_partial(self, hours):
        with translation.override("en"):
            assert hours.months[-1].label == "December 2026 (to December 15)"
            assert hours.months[0].label == "April 2026"
        assert hours.has_partial_month


def test_a_rolling_years_first_month_is_marked_partial(program):
    scope = scope_of(program, start=D(2025, 11, 26), end=D(2026, 11, 25), today=D(2026, 11, 25))
    months = health.hours(scope).months
    with translation.override("en"):
        assert months[0].label == "November 2025 (from November 26)"
        assert months[-1].label == "November 2026 (to November 25)"
        assert months[1].label == "December 2025"


# Recognition coverage and days since the last recognition


@pytest.fixture
def recognitions(program, organisation):
    """Five active mentors recognised 16, 152, 305 and 396 days before R, and never; what must
    not count: a paused mentor, another program's mentor, an award only planned, an award
    given after R."""
    recent, summer, spring, old, never = (
        mentor(program, department="Ops"),
        mentor(program),
        mentor(program),
        mentor(program),
        mentor(program),
    )
    recognise(program, recent, D(2026, 12, 15))
    recognise(program, recent, D(2026, 2, 1))
    recognise(program, summer, D(2026, 8, 1))
    recognise(program, spring, D(2026, 3, 1))
    recognise(program, old, D(2025, 11, 30))
    recognise(program, never, D(2026, 12, 20), status=Award.Status.PLANNED)
    recognise(program, old, D(2027, 1, 5))
    paused = mentor(program, status=EnrolmentStatus.PAUSED)
    recognise(program, paused, D(2026, 12, 1))
    other_program = factories.ProgramFactory(organisation=organisation)
    recognise(other_program, mentor(other_program), D(2026, 12, 1))
    return {"recent": recent, "never": never}


@pytest.mark.usefixtures("recognitions")
class TestRecognition:
    @pytest.fixture
    def found(self, program):
        return health.recognition(scope_of(program))

    def test_the_reference_day_is_the_end_of_a_past_period(self, program):
        scope = scope_of(program, end=D(2026, 6, 30))
        assert health.recognition(scope).day == D(2026, 6, 30)

    def test_active_mentors(self, found):
        assert found.active == 5

    def test_coverage_over_3_months(self, found):
        assert (found.coverage[0].months, found.coverage[0].recognised) == (3, 1)
        assert found.coverage[0].share == 20

    def test_coverage_over_6_months(self, found):
        assert (found.coverage[1].recognised, found.coverage[1].share) == (2, 40)

    def test_coverage_over_12_months(self, found):
        assert (found.coverage[2].recognised, found.coverage[2].share) == (3, 60)

    def test_days_since_the_last_recognition_in_bands(self, found):
        assert [band.mentors for band in found.bands] == [1, 0, 1, 1, 1, 1]

    def test_never_recognised(self, found):
        assert found.never == 1
        assert found.bands[-1].first is None

    def test_median_days_among_mentors_recognised_at_least_once(self, found):
        # 16, 152, 305 and 396 days: the middle two.
        assert found.median_days == 228.5

    def test_median_of_an_odd_count_is_the_middle_one(self, program, recognitions):
        recognise(program, recognitions["never"], D(2026, 12, 31))
        assert health.recognition(scope_of(program)).median_days == 152

    def test_a_past_period_is_seen_from_its_last_day(self, program):
        found = health.recognition(scope_of(program, end=D(2026, 8, 31)))
        # On 31 August: 30 days since 1 August; 211 since 1 February (the December one is
        # ahead), 183 since 1 March, 274 since 30 November.
        assert [band.mentors for band in found.bands] == [1, 0, 0, 3, 0, 1]
        assert found.coverage[0].recognised == 1

    def test_a_department_narrows_to_its_mentors(self, program):
        found = health.recognition(scope_of(program, department="Ops"))
        assert (found.active, found.coverage[0].recognised, found.median_days) == (1, 1, 16)

    def test_a_cycle_narrows_to_the_mentors_paired_in_it(self, program, recognitions):
        cycle = factories.CycleFactory(program=program)
        factories.PairingFactory(program=program, cycle=cycle, mentor=recognitions["never"])
        found = health.recognition(scope_of(program, cycle=cycle))
        assert (found.active, found.never) == (1, 1)

    def test_band_labels(self, found):
        with translation.override("en"):
            assert [band.label for band in found.bands] == [
                "0–30 days",
                "31–90 days",
                "91–180 days",
                "181–365 days",
                "Over 365 days",
                "Never recognised",
            ]


def test_no_active_mentor_gives_no_share_and_no_median(program):
    found = health.recognition(scope_of(program))
    assert found.active == 0
    assert [row.share for row in found.coverage] == [None, None, None]
    assert found.median_days is None


# The engagement pulse


def closed_on(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def closed_pulse(program, day):
    """A pulse closed on `day` (closing stores the moment in closes_at, by hand or not)."""
    return pulse_campaign(program, closed_at=closed_on(day), closes_at=closed_on(day))


@pytest.fixture
def pulses(program, organisation):
    """Threshold 3. Counted: a pulse closed in June 2026 answered by three mentors. Not counted:
    a pulse of two mentors (too few), one closed in 2025, one still open."""
    organisation.anonymity_threshold = 3
    organisation.save()
    counted = closed_pulse(program, D(2026, 6, 15))
    respond(counted, [4, 2, 5, 3, 4], 9)
    respond(counted, [5, 3, 4, 3, 2], 7)
    respond(counted, [3, 1, 3, 3, 3], 5)
    too_few = closed_pulse(program, D(2026, 9, 1))
    respond(too_few, [1, 1, 1, 1, 1], 0)
    respond(too_few, [1, 1, 1, 1, 1], 0)
    last_year = closed_pulse(program, D(2025, 6, 15))
    for _index in range(3):
        respond(last_year, [1, 1, 1, 1, 1], 0)
    still_open = pulse_campaign(program, closed_at=None)
    for _index in range(3):
        respond(still_open, [1, 1, 1, 1, 1], 0)
    return counted


@pytest.mark.usefixtures("pulses")
class TestEngagement:
    @pytest.fixture
    def engagement(self, program):
        return health.engagement(scope_of(program))

    def test_factor_averages_from_the_pulses_counted(self, engagement):
        assert engagement.group.factors == {
            EngagementFactor.STRUCTURE: 4.0,
            EngagementFactor.TRAINING: 2.0,
            EngagementFactor.SUPPORT: 4.0,
            EngagementFactor.COMMUNITY: 3.0,
            EngagementFactor.RECOGNITION: 3.0,
        }

    def test_the_weakest_factor_is_named(self, engagement):
        assert engagement.group.weakest_factor == (EngagementFactor.TRAINING, 2.0)

    def test_intention_to_continue(self, engagement):
        group = engagement.group
        assert (group.intention, group.intention_answers) == (7.0, 3)
        assert (group.promoters, group.passives, group.detractors) == (1, 1, 1)

    def test_each_factor_has_its_own_number_of_answers(self, program, pulses):
        # A fourth mentor answers only the structure question.
        person = factories.MentorEnrolmentFactory(program=program).person
        recipient = factories.RecipientFactory(campaign=pulses, person=person)
        response = Response.objects.create(recipient=recipient, campaign=pulses)
        Answer.objects.create(
            response=response, question=pulses.questions["factor:structure"], number=4
        )
        engagement = health.engagement(scope_of(program))
        answers = {factor: count for factor, _average, count in engagement.factor_rows}
        assert answers[EngagementFactor.STRUCTURE] == 4
        assert answers[EngagementFactor.TRAINING] == 3
        assert engagement.group.responses == 4

    def test_the_report_table_gives_each_factors_answers(self, program, pulses):
        with translation.override("en"):
            (section,) = health.report_sections(scope_of(program))
        (table,) = [table for table in section.tables if table.title == "Engagement factors"]
        assert table.headers[2] == "Answers"
        assert [row[2] for row in table.rows] == [3, 3, 3, 3, 3, 3]

    def test_the_group_label_leaves_out_the_department(self, program):
        with translation.override("en"):
            label = health.engagement(scope_of(program, department="Ops")).group.label
        assert "Ops" not in label and "Relève" in label

    def test_numbers_of_answers_and_of_pulses(self, engagement):
        assert engagement.group.responses == 3
        assert (engagement.closed, engagement.counted, engagement.open) == (2, 1, 1)

    def test_pulses_of_every_program_in_scope_add_up(self, organisation):
        other = factories.ProgramFactory(organisation=organisation)
        campaign = closed_pulse(other, D(2026, 5, 1))
        for _index in range(3):
            respond(campaign, [5, 5, 5, 5, 5], 10)
        group = health.engagement(whole_organisation(organisation)).group
        assert group.factors[EngagementFactor.STRUCTURE] == 4.5
        assert group.responses == 6

    def test_only_the_answers_of_the_campaigns_own_program_mentors_count(
        self, program, organisation, pulses
    ):
        other = factories.ProgramFactory(organisation=organisation)
        elsewhere = factories.MentorEnrolmentFactory(program=other).person
        respond(pulses, [1, 1, 1, 1, 1], 0, person=elsewhere)
        group = health.engagement(whole_organisation(organisation)).group
        assert (group.responses, group.factors[EngagementFactor.STRUCTURE]) == (3, 4.0)

    def test_the_department_filter_does_not_narrow_anonymous_answers(self, program):
        assert health.engagement(scope_of(program, department="Ops")).group.responses == 3

    def test_a_pulse_is_dated_by_when_it_closes(self, program):
        # Closed when its closing time came (never by hand), in the period: it counts.
        campaign = pulse_campaign(program, closed_at=None, closes_at=closed_on(D(2026, 3, 1)))
        for _index in range(3):
            respond(campaign, [5, 5, 5, 5, 5], 10)
        engagement = health.engagement(scope_of(program))
        assert (engagement.counted, engagement.group.responses) == (2, 6)

    def test_a_cycle_keeps_its_own_pulses(self, program):
        cycle = factories.CycleFactory(program=program)
        assert not health.engagement(scope_of(program, cycle=cycle)).shown

    def test_too_few_answers_shows_nothing(self, program):
        engagement = health.engagement(scope_of(program, start=D(2026, 7, 1)))
        assert not engagement.shown
        assert engagement.group.factors == {} and engagement.group.intention is None
        with translation.override("en"):
            assert (
                "Too few answers to show"
                in health.engagement_summary(
                    health.program_health(scope_of(program, start=D(2026, 7, 1)))
                )[0]
            )


def test_no_pulse_says_so(program):
    health_figures = health.program_health(scope_of(program))
    assert not health_figures.engagement.shown
    with translation.override("en"):
        assert health.engagement_summary(health_figures) == [
            "No engagement pulse closed in the period."
        ]


# Budget


@pytest.fixture
def budgets(program, organisation):
    """Fiscal year 2026–2027 (April to March): Relève has 1,000 $ and 20 staff hours; 300 $
    committed then 100 $ released, 250 $ spent, 5 staff hours committed. The organisation-wide
    budget: 500 $, 100 $ spent. Not counted: Relève's 2025 budget."""
    budget = factories.BudgetFactory(program=program, fiscal_year=2026, money="1000.00")
    commitment = factories.LedgerEntryFactory(budget=budget, money="300.00", staff_hours="5.00")
    factories.LedgerEntryFactory(
        budget=budget, kind=LedgerEntry.Kind.RELEASE, money="100.00", settles=commitment
    )
    factories.LedgerEntryFactory(budget=budget, kind=LedgerEntry.Kind.SPENDING, money="250.00")
    whole = factories.BudgetFactory(
        program=None, organisation=organisation, fiscal_year=2026, money="500.00", staff_hours=0
    )
    factories.LedgerEntryFactory(budget=whole, kind=LedgerEntry.Kind.SPENDING, money="100.00")
    old = factories.BudgetFactory(program=program, fiscal_year=2025)
    factories.LedgerEntryFactory(budget=old, kind=LedgerEntry.Kind.SPENDING, money="900.00")


@pytest.mark.usefixtures("budgets")
class TestBudget:
    @pytest.fixture
    def burn(self, program):
        return health.budget_burn(scope_of(program))

    def test_the_fiscal_year_is_the_one_containing_the_reference_day(self, burn):
        assert burn.fiscal_year == 2026

    def test_money_allocated_committed_spent(self, burn):
        money = burn.money
        assert (money.allocated, money.committed, money.spent) == (
            Decimal("1000.00"),
            Decimal("200.00"),
            Decimal("250.00"),
        )

    def test_share_of_money_used(self, burn):
        assert burn.money.percent_used == 45

    def test_staff_hours_are_shown_when_a_budget_has_some(self, burn):
        hours = burn.totals[1]
        assert (hours.resource, hours.allocated, hours.committed) == (
            "staff_hours",
            Decimal("20.00"),
            Decimal("5.00"),
        )

    def test_a_program_leaves_out_the_organisation_wide_budget(self, burn):
        assert [line.label for line in burn.lines] == ["Relève"]

    def test_every_program_adds_the_organisation_wide_budget(self, organisation):
        burn = health.budget_burn(whole_organisation(organisation))
        assert burn.includes_organisation
        assert (burn.money.allocated, burn.money.spent) == (Decimal("1500.00"), Decimal("350.00"))

    def test_a_manager_never_gets_the_organisation_wide_budget(self, organisation, manager_user):
        membership = manager_user.memberships.get(organisation=organisation)
        burn = health.budget_burn(whole_organisation(organisation, membership=membership))
        assert burn.money.allocated == Decimal("1000.00")

    def test_the_chart_stacks_spent_committed_and_left_in_percent(self, burn):
        chart = health.budget_chart(burn)
        assert chart["stacked"] and chart["percent"]
        assert [dataset["data"][0] for dataset in chart["datasets"]] == [25.0, 20.0, 55.0]

    def test_a_past_period_reads_its_own_fiscal_year(self, program):
        burn = health.budget_burn(scope_of(program, start=D(2025, 4, 1), end=D(2026, 3, 31)))
        assert (burn.fiscal_year, burn.money.spent) == (2025, Decimal("900.00"))


def test_no_budget_says_so(program):
    figures = health.program_health(scope_of(program))
    assert figures.budget.lines == [] and figures.budget.money is None
    assert "budget" not in figures.charts
    with translation.override("en"):
        assert health.budget_summary(figures) == [
            "No budget was set for the fiscal year 2026–2027."
        ]


# Satisfaction with recognition


@pytest.fixture
def feedback(program):
    """Given in 2026: three rated (5/4 yes, 3/2 partly, 4/3 yes) and one not asked. Given in
    2025: one rated 1/1 no, not counted."""
    for satisfaction, relevance, expectations in ((5, 4, "yes"), (3, 2, "partly"), (4, 3, "yes")):
        award = recognise(program, mentor(program), D(2026, 5, 1))
        give_feedback(
            award, satisfaction=satisfaction, relevance=relevance, expectations=expectations
        )
    recognise(program, mentor(program), D(2026, 6, 1))
    old = recognise(program, mentor(program), D(2025, 5, 1))
    give_feedback(old, satisfaction=1, relevance=1, expectations="no")


@pytest.mark.usefixtures("feedback")
class TestSatisfaction:
    @pytest.fixture
    def rated(self, program):
        return health.satisfaction(scope_of(program))

    def test_recognitions_given_and_asked_for_feedback(self, rated):
        assert (rated.given, rated.asked) == (4, 3)

    def test_average_satisfaction_with_its_answers(self, rated):
        assert (rated.satisfaction, rated.answers) == (4.0, 3)

    def test_average_relevance_with_its_answers(self, rated):
        assert (rated.relevance, rated.relevance_answers) == (3.0, 3)

    def test_share_who_said_it_met_expectations(self, rated):
        assert rated.expectations == {"yes": 2, "partly": 1, "no": 0}
        assert rated.expectation_answers == 3
        assert rated.expectation_shares == {"yes": 67, "partly": 33, "no": 0}

    def test_expectation_shares_add_up_to_100(self, program):
        for expectations in ("partly", "no"):
            award = recognise(program, mentor(program), D(2026, 5, 2))
            give_feedback(award, satisfaction=3, relevance=3, expectations=expectations)
        # 2, 2 and 1 of 5 answers: 40, 40 and 20.
        rated = health.satisfaction(scope_of(program))
        assert rated.expectation_shares == {"yes": 40, "partly": 40, "no": 20}
        award = recognise(program, mentor(program), D(2026, 5, 3))
        give_feedback(award, satisfaction=3, relevance=3, expectations="no")
        # 2, 2 and 2 of 6: 33.3 each, rounded so that they still add up to 100.
        shares = health.satisfaction(scope_of(program)).expectation_shares
        assert sum(shares.values()) == 100


def test_no_recognition_gives_no_satisfaction(program):
    rated = health.satisfaction(scope_of(program))
    assert (rated.given, rated.satisfaction, rated.expectation_shares["yes"]) == (0, None, None)


# The page


@pytest.fixture
def everything(participants, sessions, recognitions, pulses, budgets, feedback):
    return None


def test_the_page_shows_every_section(login, manager_user, organisation, everything):
    with translation.override("en"):
        response = login(manager_user).get(
            health_url(organisation) + "?period=custom&start=2026-01-01&end=2026-12-31"
        )
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "glance-heading",
        "hours-heading",
        "coverage-heading",
        "days-heading",
        "engagement-heading",
        "budget-heading",
        "satisfaction-heading",
    ):
        assert f'id="{heading}"' in html
    assert set(response.context["charts"]) == {"hours", "coverage", "days", "engagement", "budget"}
    assert reverse("insights:attention", args=[organisation.slug]) + "?program=releve" in html


def test_an_empty_program_shows_what_to_do(login, admin_user, organisation, program):
    response = login(admin_user).get(health_url(organisation))
    assert response.status_code == 200
    assert response.context["charts"] == {}
    with translation.override("en"):
        html = login(admin_user).get(health_url(organisation)).content.decode()
    for advice in (
        "No session was logged in the period.",
        "There is no active mentor in these filters",
        "Send an engagement pulse",
        "Set a budget for the fiscal year",
        "No recognition was given in the period.",
    ):
        assert advice in html


def test_a_manager_sees_only_the_programs_they_manage(login, manager_user, organisation, program):
    mentor(program)
    horizon = factories.ProgramFactory(organisation=organisation, name="Horizon")
    for _index in range(3):
        recognise(horizon, mentor(horizon), D(2026, 5, 1))
    factories.BudgetFactory(program=horizon, money="9999.00")
    response = login(manager_user).get(health_url(organisation))
    figures = response.context["health"]
    assert figures.people.active_mentors == 1
    assert figures.recognition.coverage[2].recognised == 0
    assert figures.budget.lines == []


def test_the_page_is_for_managers_and_admins_only(login, mentor_user, organisation):
    assert login(mentor_user).get(health_url(organisation)).status_code in (403, 404)


def test_another_organisation_admin_gets_nothing(login, other_admin_user, organisation, program):
    assert login(other_admin_user).get(health_url(organisation)).status_code in (403, 404)


def more_of_everything(program, count):
    for index in range(count):
        person = mentor(program, department=f"Dept {index % 3}")
        pairing = factories.PairingFactory(program=program, mentor=person)
        factories.MentoringSessionFactory(pairing=pairing, held_on=D(2026, 1 + index % 12, 3))
        award = recognise(program, person, D(2026, 1 + index % 12, 5))
        give_feedback(award, satisfaction=1 + index % 5, relevance=2)


# The session, the user and the membership; the scope's programs, cycles and departments;
# then the figures: people and recognition 5, hours 1, engagement 5 (the campaigns, those
# open, their respondents, their questions, the answers), budget 2, satisfaction 2.
QUERIES = 21


@pytest.mark.parametrize("size", [1, 12])
def test_a_constant_number_of_queries(
    login, admin_user, organisation, program, everything, size, django_assert_num_queries
):
    more_of_everything(program, size)
    client = login(admin_user)
    with django_assert_num_queries(QUERIES):
        response = client.get(health_url(organisation))
    assert response.status_code == 200


def test_more_data_costs_no_more_queries(login, admin_user, organisation, program, everything):
    client = login(admin_user)
    more_of_everything(program, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(health_url(organisation))
    more_of_everything(program, 15)
    with CaptureQueriesContext(connection) as large:
        client.get(health_url(organisation))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_report_section_has_summary_charts_and_tables(program, everything):
    with translation.override("en"):
        (section,) = health.report_sections(scope_of(program))
    assert section.key == "health" and section.title == "Program health"
    people = health.program_health(scope_of(program)).people
    with translation.override("en"):
        assert section.summary[0] == (
            f"{people.active_mentors} active mentors, {people.active_mentees} active mentees "
            f"and {people.active_pairings} active pairings."
        )
    assert all(chart["title"] for chart in section.charts)
    assert [table.title for table in section.tables][:4] == [
        "At a glance",
        "Hours by month",
        "Recognition coverage",
        "Days since the last recognition",
    ]


def test_the_report_section_of_an_empty_program(program):
    (section,) = health.report_sections(scope_of(program))
    assert section.summary and section.tables
