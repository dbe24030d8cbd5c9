"""Nothing passes a budget: each resource, negative amounts, currency, lowered allocations."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.recognition.models import Budget, LedgerEntry
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, option_of, this_year

pytestmark = pytest.mark.django_db


def test_money_beyond_what_remains_is_refused(program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="999.99", description="Almost all")

    with pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, money="0.02", description="One cent too many")

    assert set(refused.value.message_dict) == {"money"}
    assert LedgerEntry.objects.filter(budget=budget).count() == 1


def test_exactly_what_remains_is_accepted(program, manager_user):
    budget = budget_of(program)

    services.commit(budget, actor=manager_user, money="1000.00", description="All of it")

    assert LedgerEntry.objects.filter(budget=budget).count() == 1


def test_staff_hours_beyond_what_remains_are_refused(program, manager_user):
    budget = budget_of(program)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, staff_hours="20.5", description="Hours")

    assert refused.value.message_dict["staff_hours"] == [
        "Not enough staff hours left in the budget: 20.5 hours requested, 20 hours remaining."
    ]


def test_material_items_beyond_what_remains_are_refused(program, manager_user):
    budget = budget_of(program)
    option = option_of(program.organisation, cost_money=0, staff_hours=0, material_items=10)

    with pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, option=option, quantity=6)

    assert set(refused.value.message_dict) == {"material_items"}


def test_direct_spending_beyond_the_budget_is_refused(program, manager_user):
    budget = budget_of(program)

    with pytest.raises(ValidationError):
        services.record_spending(budget, actor=manager_user, money="1000.01", description="x")


def test_spending_more_than_committed_needs_room_in_the_budget(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="900", description="Gala")
    services.commit(budget, actor=manager_user, money="100", description="Cards")

    with pytest.raises(ValidationError):
        services.spend_commitment(commitment, actor=manager_user, money="900.01")
    assert not commitment.settled_by.exists()


@pytest.mark.parametrize("field", ["money", "staff_hours", "material_items"])
def test_negative_amounts_are_refused(program, manager_user, field):
    budget = budget_of(program)

    with pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, description="x", **{field: "-1"})

    assert field in refused.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_zero_amounts_are_refused(program, manager_user):
    with pytest.raises(ValidationError):
        services.commit(budget_of(program), actor=manager_user, money=0, description="Nothing")


def test_a_quantity_under_one_is_refused(program, manager_user):
    option = option_of(program.organisation)

    with pytest.raises(ValidationError):
        services.commit(budget_of(program), actor=manager_user, option=option, quantity=0)


def test_a_retired_option_cannot_be_committed(program, manager_user):
    option = option_of(program.organisation, active=False)

    with pytest.raises(ValidationError) as refused:
        services.commit(budget_of(program), actor=manager_user, option=option)

    assert "option" in refused.value.message_dict


def test_another_organisations_option_is_refused(program, manager_user, other_organisation):
    option = option_of(other_organisation)

    with pytest.raises(ValidationError):
        services.commit(budget_of(program), actor=manager_user, option=option)


def test_a_budget_in_a_former_currency_takes_no_commitment(program, manager_user):
    budget = budget_of(program, currency="EUR")

    with translation.override("en"), pytest.raises(ValidationError, match="counts in CAD"):
        services.commit(budget, actor=manager_user, money="10", description="x")


def test_a_budget_is_in_the_organisations_currency(program, manager_user):
    program.organisation.currency = "USD"
    program.organisation.save()

    budget = services.create_budget(
        organisation=program.organisation,
        program=program,
        fiscal_year=2030,
        actor=manager_user,
        money="100",
        staff_hours=0,
        material_items=0,
    )

    assert budget.currency == "USD"


def test_a_second_budget_for_the_same_program_and_year_is_refused(program, manager_user):
    budget = budget_of(program)

    with translation.override("en"), pytest.raises(services.BudgetExists) as refused:
        services.create_budget(
            organisation=program.organisation,
            program=program,
            fiscal_year=budget.fiscal_year,
            actor=manager_user,
            money="1",
            staff_hours=0,
            material_items=0,
        )

    assert refused.value.message_dict["fiscal_year"] == [
        f"Relève already has a budget for {budget.fiscal_year_label}."
    ]


def test_a_duplicate_created_at_the_same_instant_is_refused_clearly(
    program, manager_user, monkeypatch
):
    budget = budget_of(program)
    # As if the other request had not committed yet when this one checked.
    monkeypatch.setattr(Budget.objects, "filter", lambda **kwargs: Budget.objects.none())

    with pytest.raises(services.BudgetExists):
        services.create_budget(
            organisation=program.organisation,
            program=program,
            fiscal_year=budget.fiscal_year,
            actor=manager_user,
            money="1",
            staff_hours=0,
            material_items=0,
        )


def test_a_budget_cannot_be_lowered_under_what_is_committed_and_spent(program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="300", description="Gala")
    services.record_spending(budget, actor=manager_user, money="200", description="Stipend")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.update_budget(
            budget, actor=manager_user, money="499.99", staff_hours=20, material_items=50
        )

    assert refused.value.message_dict["money"] == [
        "The budget cannot be lowered to $499.99: $300.00 is committed and $200.00 spent,"
        " $500.00 in all."
    ]
    budget.refresh_from_db()
    assert budget.money == Decimal("1000.00")


def test_a_budget_can_be_lowered_to_exactly_what_is_used(program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="300", description="Gala")

    services.update_budget(budget, actor=manager_user, money="300", staff_hours=0, material_items=0)

    budget.refresh_from_db()
    assert budget.money == Decimal("300.00")


def test_another_organisations_program_cannot_get_a_budget(organisation, manager_user):
    foreign = factories.ProgramFactory()

    with pytest.raises(ValidationError):
        services.create_budget(
            organisation=organisation,
            program=foreign,
            fiscal_year=this_year(organisation),
            actor=manager_user,
            money=1,
            staff_hours=0,
            material_items=0,
        )
