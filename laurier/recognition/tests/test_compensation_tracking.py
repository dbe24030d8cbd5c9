"""Stipend tracking: what paying mentors costs this fiscal year, against the program's budget."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.programs.models import EnrolmentStatus
from laurier.recognition.categories import RecognitionCategory
from laurier.recognition.models import LedgerEntry
from laurier.recognition.selectors.compensation import (
    fiscal_year_of,
    stipend_tracking,
)
from laurier.testing import factories

from .test_compensation_support import (  # noqa: F401
    compensation_url,
    manager_client,
    paid_decision,
    today_of,
)

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind


def this_year(organisation):
    return fiscal_year_of(organisation, today_of(organisation))


def mentors(program, active, **others):
    for _index in range(active):
        factories.MentorEnrolmentFactory(program=program)
    for status, count in others.items():
        for _index in range(count):
            factories.MentorEnrolmentFactory(program=program, status=status)


@pytest.fixture
def stipend_option(organisation):
    return factories.RecognitionOptionFactory(
        organisation=organisation, category=RecognitionCategory.STIPEND, cost_money="500.00"
    )


@pytest.fixture
def budget(program):
    return factories.BudgetFactory(
        program=program, fiscal_year=this_year(program.organisation), money="5000.00"
    )


def entry(budget, kind, money, option=None):
    return factories.LedgerEntryFactory(budget=budget, kind=kind, money=money, option=option)


@pytest.mark.parametrize(
    ("start_month", "day", "year"),
    [
        (1, datetime.date(2026, 1, 1), 2026),
        (4, datetime.date(2026, 3, 31), 2025),
        (4, datetime.date(2026, 4, 1), 2026),
        (9, datetime.date(2026, 12, 31), 2026),
    ],
)
def test_the_fiscal_year_is_named_by_the_year_it_starts(organisation, start_month, day, year):
    organisation.fiscal_year_start_month = start_month
    assert fiscal_year_of(organisation, day) == year


def test_the_projected_cost_is_the_amount_times_the_active_mentors(program):
    decision = paid_decision(program, amount_per_mentor=Decimal("333.33"))
    mentors(program, 3, **{EnrolmentStatus.PAUSED: 1, EnrolmentStatus.LEFT: 2})
    tracking = stipend_tracking(program, decision, today_of(program.organisation))
    assert tracking.active_mentors == 3
    assert tracking.projected == Decimal("999.99")
    assert tracking.budget is None and tracking.remaining is None


def test_only_stipend_spending_of_this_year_s_program_budget_counts(
    program, organisation, budget, stipend_option
):
    decision = paid_decision(program)
    card = factories.RecognitionOptionFactory(organisation=organisation)
    entry(budget, Kind.SPENDING, "500.00", stipend_option)
    entry(budget, Kind.SPENDING, "250.50", stipend_option)
    entry(budget, Kind.SPENDING, "40.00", card)
    entry(budget, Kind.COMMITMENT, "500.00", stipend_option)
    last_year = factories.BudgetFactory(program=program, fiscal_year=budget.fiscal_year - 1)
    entry(last_year, Kind.SPENDING, "500.00", stipend_option)
    other_program = factories.ProgramFactory(organisation=organisation)
    other_budget = factories.BudgetFactory(program=other_program, fiscal_year=budget.fiscal_year)
    entry(other_budget, Kind.SPENDING, "500.00", stipend_option)

    tracking = stipend_tracking(program, decision, today_of(organisation))
    assert tracking.spent == Decimal("750.50")


def test_the_remaining_money_is_the_budget_less_committed_and_spent(
    program, organisation, budget, stipend_option
):
    decision = paid_decision(program)
    commitment = entry(budget, Kind.COMMITMENT, "1000.00", stipend_option)
    entry(budget, Kind.COMMITMENT, "300.00")
    factories.LedgerEntryFactory(
        budget=budget, kind=Kind.RELEASE, money="1000.00", settles=commitment
    )
    entry(budget, Kind.SPENDING, "1000.00", stipend_option)
    entry(budget, Kind.SPENDING, "200.00")
    tracking = stipend_tracking(program, decision, today_of(organisation))
    assert tracking.remaining == Decimal("3500.00")
    assert tracking.budget == budget


def test_what_is_still_to_pay_is_compared_with_the_remaining_money(
    program, organisation, budget, stipend_option
):
    decision = paid_decision(program, amount_per_mentor=Decimal("1000.00"))
    mentors(program, 8)
    entry(budget, Kind.SPENDING, "2000.00", stipend_option)
    tracking = stipend_tracking(program, decision, today_of(organisation))
    assert tracking.projected == Decimal("8000.00")
    assert tracking.still_to_pay == Decimal("6000.00")
    assert tracking.remaining == Decimal("3000.00")
    assert tracking.shortfall == Decimal("3000.00")
    assert not tracking.covered


def test_a_budget_with_enough_money_covers_the_stipends(program, organisation, budget):
    decision = paid_decision(program, amount_per_mentor=Decimal("1000.00"))
    mentors(program, 2)
    tracking = stipend_tracking(program, decision, today_of(organisation))
    assert tracking.shortfall == Decimal("0.00")
    assert tracking.covered


def test_the_page_shows_the_figures_and_links_to_the_budget(
    manager_client, compensation_url, program, organisation, budget, stipend_option
):
    paid_decision(program, amount_per_mentor=Decimal("1000.00"))
    mentors(program, 8)
    entry(budget, Kind.SPENDING, "2000.00", stipend_option)
    html = manager_client.get(compensation_url()).content.decode()
    assert "$8,000.00" in html  # projected
    assert "$2,000.00" in html  # spent
    assert "$6,000.00" in html  # still to pay
    assert "$3,000.00" in html  # remaining, and the shortfall
    assert "Not enough budget:" in html
    budget_address = reverse(
        "recognition:budget_detail",
        kwargs={"organisation_slug": organisation.slug, "pk": budget.pk},
    )
    assert f'href="{budget_address}"' in html


def test_without_a_budget_the_page_says_so(manager_client, compensation_url, program):
    paid_decision(program)
    html = manager_client.get(compensation_url()).content.decode()
    assert "This program has no budget for fiscal year" in html
