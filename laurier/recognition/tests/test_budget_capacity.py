"""An option's capacity per period (e.g. 40 gala seats a year) is never committed twice over."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.recognition.models import CapacityPeriod
from laurier.recognition.selectors.budgets import capacity_period_bounds
from laurier.recognition.services import budgets as services

from .test_budget_support import budget_of, option_of

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 15)


def gala(organisation, capacity=10, period=CapacityPeriod.YEAR):
    return option_of(
        organisation,
        cost_money="1.00",
        staff_hours=0,
        material_items=0,
        capacity=capacity,
        capacity_period=period,
    )


def test_committing_beyond_the_capacity_is_refused_with_what_is_left(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    option = gala(program.organisation)
    services.commit(budget, actor=manager_user, option=option, quantity=8, occurred_on=DAY)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, option=option, quantity=3, occurred_on=DAY)

    assert refused.value.message_dict["quantity"][0].startswith("Only 2 of “")


def test_the_capacity_is_shared_by_every_budget(organisation, program, manager_user):
    from laurier.testing import factories

    other = budget_of(factories.ProgramFactory(organisation=organisation), fiscal_year=2026)
    option = gala(organisation)
    services.commit(other, actor=manager_user, option=option, quantity=10, occurred_on=DAY)

    with pytest.raises(ValidationError):
        services.commit(
            budget_of(program, fiscal_year=2026), actor=manager_user, option=option, occurred_on=DAY
        )


def test_a_released_commitment_frees_its_seats_but_a_spent_one_keeps_them(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    option = gala(program.organisation, capacity=4)
    cancelled = services.commit(
        budget, actor=manager_user, option=option, quantity=2, occurred_on=DAY
    )
    given = services.commit(budget, actor=manager_user, option=option, quantity=2, occurred_on=DAY)
    services.release_commitment(cancelled, actor=manager_user, reason="Annulé")
    services.spend_commitment(given, actor=manager_user)

    services.commit(budget, actor=manager_user, option=option, quantity=2, occurred_on=DAY)
    with pytest.raises(ValidationError):
        services.commit(budget, actor=manager_user, option=option, quantity=1, occurred_on=DAY)


def test_a_monthly_capacity_starts_again_next_month(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    option = gala(program.organisation, capacity=1, period=CapacityPeriod.MONTH)
    services.commit(budget, actor=manager_user, option=option, occurred_on=DAY)
    with pytest.raises(ValidationError):
        services.commit(
            budget, actor=manager_user, option=option, occurred_on=datetime.date(2026, 6, 30)
        )

    next_month = services.commit(
        budget, actor=manager_user, option=option, occurred_on=datetime.date(2026, 7, 1)
    )

    assert next_month.occurred_on == datetime.date(2026, 7, 1)
    assert budget.entries.count() == 2


def test_a_yearly_capacity_cannot_be_stretched_with_dates_of_other_years(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    option = gala(program.organisation, capacity=2)
    services.commit(budget, actor=manager_user, option=option, quantity=2, occurred_on=DAY)

    for day in (datetime.date(2099, 6, 1), datetime.date(1990, 6, 1)):
        with pytest.raises(ValidationError) as refused:
            services.commit(budget, actor=manager_user, option=option, occurred_on=day)
        assert "occurred_on" in refused.value.message_dict

    assert budget.entries.count() == 1


def test_an_option_without_capacity_has_no_limit(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    option = gala(program.organisation, capacity=None)

    services.commit(budget, actor=manager_user, option=option, quantity=500, occurred_on=DAY)


@pytest.mark.parametrize(
    ("period", "day", "expected"),
    [
        (CapacityPeriod.MONTH, datetime.date(2026, 2, 10), ("2026-02-01", "2026-02-28")),
        (CapacityPeriod.QUARTER, datetime.date(2026, 6, 30), ("2026-04-01", "2026-06-30")),
        (CapacityPeriod.QUARTER, datetime.date(2027, 2, 1), ("2027-01-01", "2027-03-31")),
        (CapacityPeriod.YEAR, datetime.date(2027, 3, 31), ("2026-04-01", "2027-03-31")),
        (CapacityPeriod.YEAR, datetime.date(2026, 4, 1), ("2026-04-01", "2027-03-31")),
    ],
)
def test_quarters_and_years_follow_the_fiscal_year(organisation, period, day, expected):
    organisation.fiscal_year_start_month = 4
    option = gala(organisation, period=period)

    first, last = capacity_period_bounds(organisation, option, day)

    assert (first.isoformat(), last.isoformat()) == expected
