"""`generate_org --awards`: recognitions given, planned and cancelled, as the award services
would leave them, with their ledger lines, feedback and mentors who continue or not."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.demo.large_organisation import MOST_PER_YEAR, PLANNING_HORIZON_DAYS
from laurier.organisations.models import Organisation
from laurier.profiles.models import MentorProfile
from laurier.programs.models import Cycle, MentorEnrolment, Pairing
from laurier.recognition.categories import Giver, PublicConsent, Visibility
from laurier.recognition.models import Award, Budget, LedgerEntry, RecognitionOption
from laurier.recognition.selectors.budgets import (
    RESOURCES,
    budget_usage,
    capacity_period_bounds,
    capacity_used,
)
from laurier.surveys.models import Answer
from laurier.testing.overrides import settings_for_tests

SMALL = ["--mentors", "120", "--mentees", "400", "--sessions", "2000", "--programs", "4"]
Kind = LedgerEntry.Kind
Status = Award.Status


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generated once for the module (a few seconds), rolled back after it."""
    with django_db_blocker.unblock(), override_settings(**settings_for_tests()):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command(
                "generate_org", *SMALL, "--profiles", "--awards", "--ledger-lines", "300",
                "--slug", "big", stdout=StringIO(),
            )  # fmt: skip
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def organisation(generated, db):
    return Organisation.objects.get(slug="big")


@pytest.fixture
def today(organisation):
    return organisation_today(organisation)


def awards(organisation):
    return Award.objects.filter(organisation=organisation)


def given(organisation):
    return awards(organisation).filter(status=Status.GIVEN)


def paired(cycle):
    return set(Pairing.objects.filter(cycle=cycle).values_list("mentor_id", flat=True))


def test_about_two_recognitions_per_mentor_last_fiscal_year(organisation, today):
    first, last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, today) - 1)
    mentors = Pairing.objects.filter(
        program__organisation=organisation, cycle__starts_on=first
    ).aggregate(n=Count("mentor", distinct=True))["n"]
    count = given(organisation).filter(given_on__range=(first, last)).count()
    assert 1.2 * mentors <= count <= 2.8 * mentors


def test_every_status_appears(organisation):
    statuses = set(awards(organisation).values_list("status", flat=True))
    assert statuses == set(Status.values)


def test_recognitions_are_given_up_to_today_and_planned_a_little_ahead(organisation, today):
    first, _last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, today) - 1)
    assert not given(organisation).filter(Q(given_on__gt=today) | Q(given_on__lt=first)).exists()
    horizon = today + datetime.timedelta(days=PLANNING_HORIZON_DAYS)
    open_awards = awards(organisation).filter(status__in=Award.OPEN_STATUSES)
    assert open_awards.filter(planned_on__gt=today).exists()
    assert not open_awards.filter(planned_on__gt=horizon).exists()
    for award in given(organisation):
        assert award.planned_on <= award.given_on
        assert fiscal_year_of(organisation, award.planned_on) == fiscal_year_of(
            organisation, award.given_on
        )


def test_no_mentor_is_recognised_more_than_a_few_times_a_year_nor_planned_twice_ahead(
    organisation, today
):
    years = Counter(
        (mentor, fiscal_year_of(organisation, day))
        for mentor, day in awards(organisation).values_list("mentor", "planned_on")
    )
    assert max(years.values()) <= MOST_PER_YEAR
    ahead = awards(organisation).filter(planned_on__gt=today)
    assert not ahead.values("mentor").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_a_given_recognition_spends_from_its_program_budget_settling_its_commitment(
    organisation,
):
    for award in given(organisation).select_related(
        "commitment__budget", "spending__budget", "option"
    ):
        spending, commitment = award.spending, award.commitment
        assert spending.kind == Kind.SPENDING
        assert spending.settles_id == commitment.pk
        assert commitment.kind == Kind.COMMITMENT
        assert spending.occurred_on == award.given_on
        assert commitment.occurred_on == award.planned_on
        assert spending.person_id == commitment.person_id == award.mentor_id
        assert spending.option_id == award.option_id
        assert spending.budget.program_id == award.program_id
        assert spending.budget.fiscal_year == fiscal_year_of(organisation, award.given_on)
        assert LedgerEntry.objects.filter(settles=commitment, kind=Kind.RELEASE).count() == 1


def test_approved_recognitions_hold_an_open_commitment_and_the_others_none(organisation):
    approved = awards(organisation).filter(status=Status.APPROVED)
    assert not approved.filter(commitment__isnull=True).exists()
    assert not approved.filter(commitment__settled_by__isnull=False).exists()
    assert not approved.filter(spending__isnull=False).exists()
    others = awards(organisation).filter(status__in=(Status.PLANNED, Status.CANCELLED))
    assert not others.filter(Q(commitment__isnull=False) | Q(spending__isnull=False)).exists()
    assert not awards(organisation).filter(status=Status.CANCELLED, cancel_reason="").exists()


def test_budgets_still_hold_what_their_ledgers_use(organisation):
    for budget in Budget.objects.filter(organisation=organisation):
        usage = budget_usage(budget)
        for resource in RESOURCES:
            assert usage.committed(resource) >= 0
            assert usage.used(resource) <= getattr(budget, resource), (budget, resource)


def test_options_with_a_capacity_stay_within_it_in_every_period(organisation):
    counted = awards(organisation).filter(
        status__in=(Status.GIVEN, Status.APPROVED), option__capacity__isnull=False
    )
    for option_id, planned_on in counted.values_list("option", "planned_on").distinct():
        option = RecognitionOption.objects.get(pk=option_id)
        first, last = capacity_period_bounds(organisation, option, planned_on)
        assert capacity_used(option, first, last) <= option.capacity, (option, first)


def test_no_public_recognition_for_a_mentor_who_asked_for_privacy(organisation):
    private = MentorProfile.objects.filter(
        organisation=organisation, public_consent=PublicConsent.NO
    ).values("person")
    assert private.exists()
    assert (
        not awards(organisation)
        .filter(mentor__in=private, option__visibility=Visibility.PUBLIC)
        .exists()
    )


def test_recognitions_go_to_mentors_of_their_program_before_they_stopped(organisation):
    for award in awards(organisation).exclude(status=Status.CANCELLED):
        enrolment = MentorEnrolment.objects.get(program=award.program, person=award.mentor)
        if enrolment.status_changed_on:
            assert award.planned_on < enrolment.status_changed_on


def test_givers_vary_and_the_manager_gives_most(organisation):
    givers = Counter(
        giver for row in given(organisation).values_list("givers", flat=True) for giver in row
    )
    assert set(givers) <= set(Giver.values)
    assert len(givers) >= 4
    assert givers.most_common(1)[0][0] == Giver.MANAGER


def test_december_and_the_cycle_end_are_busier_than_other_months(organisation, today):
    first, last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, today) - 1)
    by_month = Counter(
        (day.year, day.month)
        for day in given(organisation)
        .filter(given_on__range=(first, last))
        .values_list("given_on", flat=True)
    )
    average = sum(by_month.values()) / 12
    assert by_month[first.year, 12] > 2 * average
    assert by_month[last.year, last.month] > 1.5 * average


def test_about_forty_percent_of_given_recognitions_have_feedback(organisation):
    answered = given(organisation).filter(feedback_request__response__isnull=False)
    share = answered.count() / given(organisation).count()
    assert 0.3 <= share <= 0.5
    # The feedback is asked in the program's feedback campaign, about this award.
    for award in answered.select_related("feedback_request__campaign")[:50]:
        request = award.feedback_request
        assert request.about_key == f"award:{award.pk}"
        assert request.person_id == award.mentor_id
        assert request.campaign.program_id == award.program_id
        assert request.campaign.launch_key.startswith("award-feedback-")


def test_feedback_answers_satisfaction_relevance_and_expectations(organisation):
    answers = Answer.objects.filter(response__recipient__award__organisation=organisation)
    for key in ("satisfaction", "relevance"):
        numbers = answers.filter(question__key=key)
        assert numbers.exists()
        assert not numbers.filter(Q(number__lt=1) | Q(number__gt=5) | Q(number=None)).exists()
        assert numbers.values("number").distinct().count() >= 3
    expectations = answers.filter(question__key="expectations")
    assert set(expectations.values_list("choice__key", flat=True)) == {"yes", "partly", "no"}
    assert (
        expectations.count()
        == answers.filter(question__key="satisfaction").count()
        == given(organisation).filter(feedback_request__response__isnull=False).count()
    )


def test_no_feedback_asked_before_its_day(organisation, today):
    asked = given(organisation).filter(feedback_request__isnull=False)
    assert not asked.filter(feedback_due_on__gt=today).exists()
    assert given(organisation).filter(feedback_due_on__gt=today, feedback_request=None).exists()


def test_most_of_last_cycles_mentors_continue_and_some_are_new(organisation, today):
    first, _last = fiscal_year_bounds(organisation, fiscal_year_of(organisation, today))
    previous, current = set(), set()
    for cycle in Cycle.objects.filter(program__organisation=organisation):
        (current if cycle.starts_on == first else previous).update(paired(cycle))
    continued = len(previous & current) / len(previous)
    assert 0.55 <= continued <= 0.9
    assert len(current - previous) >= 0.1 * len(current)
