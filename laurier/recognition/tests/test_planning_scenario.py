"""The planner's scenario built from the database by `planning_scenario`."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from laurier.contests.models import Edition, Winner
from laurier.profiles.models import CategoryPreference, MentorProfile, ProfileSource
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import PublicConsent, RecognitionCategory, RecognitionMoment
from laurier.recognition.models import (
    Award,
    CapacityPeriod,
    CompensationDecision,
    Plan,
    PlanLine,
    RecognitionOption,
)
from laurier.recognition.planner import Budget, Line, Rules, plan
from laurier.recognition.selectors.planning import NEUTRAL_PREFERENCE, planning_scenario
from laurier.recognition.services import budgets as budget_services
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
# The organisation's fiscal year starts in April: fiscal year 2026 runs to March 31, 2027.
START, END = D(2026, 4, 1), D(2027, 3, 31)
RULES = Rules(min_per_mentor=1, max_per_mentor=2)
# The organisation, moments (3), culture profile, compensation decision, options, capacities
# used, preferences, recognitions in approved plans, mentors, budget, usage.
QUERIES = 13


def scenario_of(program):
    return planning_scenario(program, start=START, end=END, rules=RULES)


LUC_SINCE = D(2026, 9, 15)


def enrol(program, first_name="Luc", since=LUC_SINCE, status=EnrolmentStatus.ACTIVE):
    person = factories.PersonFactory(
        organisation=program.organisation, first_name=first_name, last_name="Tremblay"
    )
    factories.MentorEnrolmentFactory(program=program, person=person, since=since, status=status)
    return person


def profile(person, consent=PublicConsent.YES, scores=None, moments=()):
    made = MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=consent,
        preferred_moments=list(moments),
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )
    for category, score in (scores or {}).items():
        CategoryPreference.objects.create(profile=made, category=category, score=score)
    return made


def session(program, mentor, held_on, minutes=60):
    pairing = factories.PairingFactory(
        program=program,
        mentor=mentor,
        mentee=factories.PersonFactory(organisation=program.organisation),
    )
    return factories.MentoringSessionFactory(
        pairing=pairing, held_on=held_on, duration_minutes=minutes
    )


def option(organisation, **fields):
    return factories.RecognitionOptionFactory(organisation=organisation, moments=[], **fields)


def by_key(items):
    return {item.key: item for item in items}


@pytest.fixture
def marie(program):
    other_program = factories.ProgramFactory(organisation=program.organisation)
    marie = enrol(program, "Marie", since=D(2024, 4, 1))
    # Her first enrolment, five years before the period's end, in a program she has left.
    factories.MentorEnrolmentFactory(
        program=other_program, person=marie, since=D(2022, 3, 31), status=EnrolmentStatus.LEFT
    )
    profile(
        marie,
        scores={
            RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 5,
            RecognitionCategory.THANK_YOU_CARD: 1,
        },
        moments=[RecognitionMoment.YEAR_END],
    )
    session(program, marie, D(2026, 5, 1), minutes=90)
    session(program, marie, D(2027, 3, 31), minutes=60)
    session(program, marie, D(2026, 3, 31), minutes=600)  # before the twelve months
    session(other_program, marie, D(2026, 6, 1), minutes=600)  # another program's time
    return marie


def test_a_mentor_has_the_hours_of_the_twelve_months_ending_with_the_period(program, marie):
    assert by_key(scenario_of(program).mentors)[str(marie.pk)].hours == Decimal("2.5")


def test_a_mentor_counts_the_mentees_of_their_pairings_in_the_twelve_months(program):
    luc = enrol(program)
    organisation = program.organisation
    ana = factories.PersonFactory(organisation=organisation)
    for starts_on, ends_on, mentee in (
        (D(2026, 1, 15), None, ana),
        (D(2025, 1, 15), D(2026, 6, 30), factories.PersonFactory(organisation=organisation)),
        (D(2024, 1, 15), D(2025, 6, 30), factories.PersonFactory(organisation=organisation)),
        (D(2026, 9, 1), None, ana),  # the same mentee again
    ):
        factories.PairingFactory(
            program=program, mentor=luc, mentee=mentee, starts_on=starts_on, ends_on=ends_on
        )
    factories.PairingFactory(mentor=luc, starts_on=D(2026, 9, 1))  # another program's
    assert by_key(scenario_of(program).mentors)[str(luc.pk)].mentees == 2


def test_tenure_counts_from_the_first_enrolment_in_any_program(program, marie):
    assert by_key(scenario_of(program).mentors)[str(marie.pk)].tenure_years == 5


def test_tenure_counts_whole_months_up_to_the_end_of_the_period(program):
    luc = enrol(program, since=D(2025, 9, 15))
    assert by_key(scenario_of(program).mentors)[str(luc.pk)].tenure_years == Decimal(18) / 12


def test_the_profile_gives_consent_preferences_and_preferred_moments(program, marie):
    mentor = by_key(scenario_of(program).mentors)[str(marie.pk)]
    assert mentor.name == "Marie Tremblay"
    assert mentor.public_consent is True
    assert mentor.preference(RecognitionCategory.PROFESSIONAL_DEVELOPMENT) == 5
    assert mentor.preference(RecognitionCategory.THANK_YOU_CARD) == 1
    assert mentor.preference(RecognitionCategory.STIPEND) == NEUTRAL_PREFERENCE
    assert mentor.preferred_moment_kinds == (RecognitionMoment.YEAR_END,)
    assert (mentor.recent, mentor.contest_winner) == ((), False)


def win(program, person, announced_on):
    edition = factories.EditionFactory(program=program, year=announced_on.year)
    nominee = factories.NomineeFactory(category__edition=edition, person=person)
    announced_at = timezone.make_aware(datetime.datetime.combine(announced_on, datetime.time(12)))
    Edition.objects.filter(pk=edition.pk).update(announced_at=announced_at)
    Winner.objects.create(
        category=nominee.category, nominee=nominee, person=person, rank=1, announced_at=announced_at
    )


def test_a_contest_winner_of_the_last_twelve_months_may_receive_winners_only_options(program):
    recent, long_ago = enrol(program), enrol(program, first_name="Léa")
    win(program, recent, D(2026, 10, 1))
    win(program, long_ago, D(2025, 10, 1))
    mentors = by_key(scenario_of(program).mentors)
    assert mentors[str(recent.pk)].contest_winner is True
    assert mentors[str(long_ago.pk)].contest_winner is False


def test_a_mentor_without_a_profile_is_asked_and_rates_every_category_neutral(program):
    luc = enrol(program)
    mentor = by_key(scenario_of(program).mentors)[str(luc.pk)]
    assert mentor.public_consent == "ask"
    assert set(mentor.preferences.values()) == {NEUTRAL_PREFERENCE}
    assert len(mentor.preferences) == len(RecognitionCategory)
    assert (mentor.hours, mentor.tenure_years) == (0, Decimal(6) / 12)


def test_the_categories_a_mentor_has_not_rated_are_listed(program, marie):
    luc = enrol(program)
    mentors = by_key(scenario_of(program).mentors)
    assert set(mentors[str(luc.pk)].unrated) == set(RecognitionCategory)
    assert RecognitionCategory.PROFESSIONAL_DEVELOPMENT not in mentors[str(marie.pk)].unrated
    assert RecognitionCategory.STIPEND in mentors[str(marie.pk)].unrated


@pytest.mark.parametrize(
    "scores, expected",
    [
        ({}, "Luc Tremblay has not shared their preferences yet"),
        (
            {RecognitionCategory.BADGE: 4},
            "Luc Tremblay has not rated “Professional development” yet",
        ),
        (
            {RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 4},
            "Luc Tremblay values “Professional development” most (4/5)",
        ),
    ],
)
def test_reasons_never_quote_a_preference_the_mentor_did_not_give(program, scores, expected):
    luc = enrol(program)
    if scores:
        profile(luc, scores=scores)
    option(
        program.organisation,
        category=RecognitionCategory.PROFESSIONAL_DEVELOPMENT,
        cost_money="0.00",
        staff_hours="0.00",
        material_items=0,
    )
    with translation.override("en"):
        result = plan(scenario_of(program))
    assert result.assignments[0].reason.startswith(expected)


def planned(program, person, chosen, day, status):
    plan = Plan.objects.create(
        organisation=program.organisation,
        program=program,
        starts_on=D(2025, 4, 1),
        ends_on=D(2026, 3, 31),
        status=status,
    )
    line = PlanLine.objects.create(
        plan=plan,
        mentor=person,
        option=chosen,
        moment_key="k",
        moment_date=day,
        moment_kind="year_end",
    )
    if status == Plan.Status.APPROVED:
        # What approve_plan does: each line becomes an approved award.
        awarded(program, person, chosen, day, Award.Status.APPROVED, plan_line=line)


def awarded(program, person, chosen, day, status, **fields):
    return Award.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=person,
        option=chosen,
        planned_on=day,
        status=status,
        **fields,
    )


def test_what_approved_plans_gave_lately_is_recent(program, marie):
    badge = option(program.organisation, category=RecognitionCategory.BADGE)
    card = option(program.organisation, category=RecognitionCategory.THANK_YOU_CARD)
    gala = option(program.organisation)
    planned(program, marie, badge, D(2025, 12, 15), Plan.Status.APPROVED)
    planned(program, marie, gala, D(2025, 3, 15), Plan.Status.APPROVED)  # before the 12 months
    planned(program, marie, card, D(2026, 1, 17), Plan.Status.DRAFT)  # never approved
    mentor = by_key(scenario_of(program).mentors)[str(marie.pk)]
    assert mentor.recent == (str(badge.pk),)
    assert mentor.recent_categories == (RecognitionCategory.BADGE,)


def test_awards_added_directly_are_recent_too_unless_cancelled(program, marie):
    badge = option(program.organisation, category=RecognitionCategory.BADGE)
    card = option(program.organisation, category=RecognitionCategory.THANK_YOU_CARD)
    awarded(program, marie, badge, D(2025, 12, 15), Award.Status.GIVEN)
    awarded(program, marie, card, D(2026, 1, 17), Award.Status.CANCELLED)
    mentor = by_key(scenario_of(program).mentors)[str(marie.pk)]
    assert mentor.recent == (str(badge.pk),)


def test_a_refusal_of_public_recognition_is_kept(program):
    luc = enrol(program)
    profile(luc, consent=PublicConsent.NO)
    assert by_key(scenario_of(program).mentors)[str(luc.pk)].public_consent is False


def test_only_the_programs_active_mentors_are_in_it(program, marie):
    enrol(program, "Paul", status=EnrolmentStatus.PAUSED)
    enrol(program, "Anne", status=EnrolmentStatus.LEFT)
    enrol(factories.ProgramFactory(organisation=program.organisation), "Eve")
    assert [mentor.key for mentor in scenario_of(program).mentors] == [str(marie.pk)]


def test_only_the_organisations_offered_options_are_in_it(program, other_organisation):
    offered = option(program.organisation, cost_money="25.00", staff_hours="1.00")
    option(program.organisation, active=False, retired_at=timezone.now())
    option(other_organisation)
    options = scenario_of(program).options
    assert [(o.key, o.cost, o.staff_hours) for o in options] == [
        (str(offered.pk), Decimal("25.00"), Decimal("1.00"))
    ]
    assert options[0].moments is None


def test_options_carry_the_culture_fit_of_the_organisation(program):
    factories.CultureProfileFactory(organisation=program.organisation, public_or_private=-2)
    option(program.organisation, visibility="public")
    scenario = scenario_of(program)
    assert scenario.options[0].culture_fit == 0
    assert scenario.culture["public_or_private"] == -2


def test_capacities_are_what_the_ledger_left_of_them(program, manager_user):
    gala = option(program.organisation, capacity=40, cost_money="10.00", staff_hours="0.00")
    budget = factories.BudgetFactory(program=program, fiscal_year=2026, money="1000.00")
    budget_services.commit(budget, actor=manager_user, option=gala, quantity=15)
    released = budget_services.commit(
        budget, actor=manager_user, option=gala, quantity=5, occurred_on=D(2026, 9, 1)
    )
    budget_services.release_commitment(released, actor=manager_user, reason="Cancelled")
    assert by_key(scenario_of(program).options)[str(gala.pk)].capacity == 25


def test_a_monthly_capacity_becomes_one_copy_per_month_with_what_that_month_has_left(
    program, manager_user
):
    lunch = option(
        program.organisation,
        capacity=3,
        capacity_period=CapacityPeriod.MONTH,
        cost_money="10.00",
        staff_hours="0.00",
    )
    budget = factories.BudgetFactory(program=program, fiscal_year=2026, money="1000.00")
    budget_services.commit(
        budget, actor=manager_user, option=lunch, quantity=2, occurred_on=D(2026, 12, 3)
    )
    budget_services.commit(
        budget, actor=manager_user, option=lunch, quantity=1, occurred_on=D(2026, 11, 3)
    )
    marie = enrol(program, "Marie")
    scenario = planning_scenario(
        program,
        start=START,
        end=END,
        rules=RULES,
        locked=[Line(str(marie.pk), str(lunch.pk), "mentoring-day-2027")],
    )
    copies = {
        option.key: (option.family, option.capacity, option.moments)
        for option in scenario.options
        if option.family_key == str(lunch.pk)
    }
    # The plan's moments fall in December (year end) and January (mentoring day).
    assert copies == {
        f"{lunch.pk}@2026-12-01": (str(lunch.pk), 1, ("year-end-2026",)),
        f"{lunch.pk}@2027-01-01": (str(lunch.pk), 3, ("mentoring-day-2027",)),
    }
    assert scenario.locked[0].option == f"{lunch.pk}@2027-01-01"


def test_the_moments_are_the_programs_calendar(program):
    keys = [moment.key for moment in scenario_of(program).moments]
    assert keys == ["year-end-2026", "mentoring-day-2027"]


def test_the_budget_is_what_is_left_after_commitments(program, manager_user):
    budget = factories.BudgetFactory(
        program=program, fiscal_year=2026, money="500.00", staff_hours="10.00", material_items=30
    )
    budget_services.commit(
        budget,
        actor=manager_user,
        money="120.00",
        staff_hours="1.50",
        material_items=12,
        description="Gala",
        occurred_on=D(2026, 6, 1),
    )
    scenario = scenario_of(program)
    assert scenario.budget == Budget(
        money=Decimal("380.00"), staff_hours=Decimal("8.50"), material_items=18
    )
    assert scenario.currency == "CAD"


def test_another_years_budget_does_not_count_and_none_means_nothing_to_spend(program):
    factories.BudgetFactory(program=program, fiscal_year=2027, money="500.00")
    assert scenario_of(program).budget == Budget(
        money=Decimal(0), staff_hours=Decimal(0), material_items=0
    )


def test_nothing_is_locked_and_the_rules_are_the_managers(program):
    scenario = scenario_of(program)
    assert scenario.locked == () and scenario.rules == RULES


def test_the_plan_of_the_scenario_stays_within_the_budget_left(program, marie, manager_user):
    luc = enrol(program)
    profile(luc, scores={RecognitionCategory.PROFESSIONAL_DEVELOPMENT: 5})
    training = option(
        program.organisation,
        category=RecognitionCategory.PROFESSIONAL_DEVELOPMENT,
        cost_money="300.00",
        staff_hours="2.00",
    )
    option(program.organisation, cost_money="10.00", staff_hours="0.50")
    budget = factories.BudgetFactory(
        program=program, fiscal_year=2026, money="500.00", staff_hours="10.00"
    )
    budget_services.commit(
        budget, actor=manager_user, money="150.00", description="Gala", occurred_on=D(2026, 6, 1)
    )
    scenario = scenario_of(program)
    result = plan(scenario)
    costs = by_key(scenario.options)
    assert result.status != "infeasible"
    assert sum(costs[line.option].cost for line in result.assignments) <= Decimal("350.00")
    assert sum(costs[line.option].staff_hours for line in result.assignments) <= 10
    # Only one of the two can have the training; both are recognised.
    assert [line.option for line in result.assignments].count(str(training.pk)) == 1
    assert {line.mentor for line in result.assignments} == {str(marie.pk), str(luc.pk)}


def populate(program, size):
    for number in range(size):
        person = enrol(program, f"Mentor{number}", since=D(2023, 1, 1 + number))
        profile(person, scores={RecognitionCategory.BADGE: number % 6})
        session(program, person, D(2026, 5, 1 + number))
    option(program.organisation, capacity=10)
    factories.CultureProfileFactory(organisation=program.organisation)
    factories.BudgetFactory(program=program, fiscal_year=2026)


@pytest.mark.parametrize("size", [2, 20])
def test_it_takes_as_many_queries_for_twenty_mentors_as_for_two(
    program, size, django_assert_max_num_queries
):
    populate(program, size)
    program.refresh_from_db()
    with django_assert_max_num_queries(QUERIES):
        scenario = scenario_of(program)
    assert len(scenario.mentors) == size


def test_stipends_are_planned_only_in_a_program_that_pays_its_mentors(program):
    stipend = option(program.organisation, category=RecognitionCategory.STIPEND)
    factories.CompensationDecisionFactory(program=program, decided_on=D(2025, 1, 1))
    assert str(stipend.pk) not in by_key(scenario_of(program).options)
    factories.CompensationDecisionFactory(
        program=program,
        decision=CompensationDecision.Decision.STIPEND,
        risks="Crowding out",
        amount_per_mentor="300.00",
    )
    assert str(stipend.pk) in by_key(scenario_of(program).options)


def test_an_option_given_to_the_mentee_is_never_planned_for_a_mentor(program):
    for_mentee = option(program.organisation, category=RecognitionCategory.TRAINING_HOURS)
    RecognitionOption.objects.filter(pk=for_mentee.pk).update(standard_key="training_hours_mentee")
    assert str(for_mentee.pk) not in by_key(scenario_of(program).options)


def test_a_program_paying_a_stipend_is_not_planned_an_honorarium_too(program):
    stipend = option(program.organisation, category=RecognitionCategory.STIPEND)
    honorarium = option(program.organisation, category=RecognitionCategory.STIPEND)
    RecognitionOption.objects.filter(pk=stipend.pk).update(standard_key="stipend")
    RecognitionOption.objects.filter(pk=honorarium.pk).update(standard_key="honorarium")
    factories.CompensationDecisionFactory(
        program=program,
        decision=CompensationDecision.Decision.STIPEND,
        risks="Crowding out",
        amount_per_mentor="300.00",
    )
    options = by_key(scenario_of(program).options)
    assert str(stipend.pk) in options and str(honorarium.pk) not in options
