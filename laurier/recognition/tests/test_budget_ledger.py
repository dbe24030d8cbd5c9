"""The ledger's arithmetic: Decimal cents, option costs × quantity, commitments settled once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError
from django.utils import translation

from laurier.recognition.models import LedgerEntry
from laurier.recognition.selectors.budgets import budget_usage, resource_figures
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, option_of

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind
DAY = datetime.date(2026, 6, 1)


def figures(budget):
    return {f.resource: f for f in resource_figures(budget, budget_usage(budget))}


def test_a_commitment_reduces_what_remains_and_counts_as_committed(program, manager_user):
    budget = budget_of(program)

    services.commit(
        budget, actor=manager_user, money="250.10", staff_hours="1.5", description="Gala"
    )

    money = figures(budget)["money"]
    assert (money.committed, money.spent, money.remaining) == (
        Decimal("250.10"),
        Decimal("0.00"),
        Decimal("749.90"),
    )
    assert figures(budget)["staff_hours"].remaining == Decimal("18.50")


def test_money_is_rounded_to_the_cent_half_away_from_zero(program, manager_user):
    budget = budget_of(program)

    entry = services.commit(budget, actor=manager_user, money="10.005", description="Cards")

    assert entry.money == Decimal("10.01")


def test_many_small_amounts_add_up_exactly(program, manager_user):
    budget = budget_of(program)
    for _ in range(10):
        services.commit(budget, actor=manager_user, money="0.10", description="Stamp")

    assert figures(budget)["money"].committed == Decimal("1.00")


def test_an_options_commitment_is_its_costs_times_the_quantity(program, manager_user):
    budget = budget_of(program)
    option = option_of(
        program.organisation, cost_money="12.35", staff_hours="0.25", material_items=2
    )

    entry = services.commit(budget, actor=manager_user, option=option, quantity=3)

    assert (entry.money, entry.staff_hours, entry.material_items) == (
        Decimal("37.05"),
        Decimal("0.75"),
        6,
    )
    # Named at display time in the reader's language (see test_budget_polish).
    assert entry.description == ""


def test_spending_a_commitment_releases_it_and_records_the_actual_amounts(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="100", description="Dinner")

    spending = services.spend_commitment(commitment, actor=manager_user, money="87.40")

    assert spending.settles == commitment
    assert commitment.settled_by.filter(kind=Kind.RELEASE).count() == 1
    money = figures(budget)["money"]
    assert (money.committed, money.spent, money.remaining) == (
        Decimal("0.00"),
        Decimal("87.40"),
        Decimal("912.60"),
    )


def test_spending_a_commitment_keeps_its_amounts_when_none_are_given(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(
        budget, actor=manager_user, money="40", material_items=4, description="Gifts"
    )

    spending = services.spend_commitment(commitment, actor=manager_user)

    assert (spending.money, spending.material_items) == (Decimal("40.00"), 4)


def test_releasing_a_commitment_gives_its_resources_back(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="300", description="Trip")

    release = services.release_commitment(commitment, actor=manager_user, reason="Cancelled")

    assert release.description == "Cancelled"
    assert figures(budget)["money"].remaining == Decimal("1000.00")


def test_a_commitment_is_settled_once(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="30", description="Cards")
    services.release_commitment(commitment, actor=manager_user, reason="Cancelled")

    # The message is lazy: read it in English inside the override.
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already settled"):
            services.spend_commitment(commitment, actor=manager_user)
        with pytest.raises(ValidationError, match="already settled"):
            services.release_commitment(commitment, actor=manager_user, reason="Again")
    assert LedgerEntry.objects.filter(settles=commitment).count() == 1


def test_the_database_refuses_a_second_release_of_a_commitment(program, manager_user):
    from django.db import IntegrityError, transaction

    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="30", description="Cards")
    services.release_commitment(commitment, actor=manager_user, reason="Cancelled")

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            budget=budget, kind=Kind.RELEASE, settles=commitment, description="x", occurred_on=DAY
        )


def test_direct_spending_counts_as_spent(program, manager_user):
    budget = budget_of(program)

    services.record_spending(
        budget, actor=manager_user, money="500", description="Stipend of Alice", occurred_on=DAY
    )

    money = figures(budget)["money"]
    assert (money.spent, money.remaining, money.percent_used) == (
        Decimal("500.00"),
        Decimal("500.00"),
        50,
    )


def test_each_write_is_audited(program, manager_user):
    from laurier.organisations.models import AuditEvent

    budget = budget_of(program)
    entry = services.commit(budget, actor=manager_user, money="5", description="Card")

    event = AuditEvent.objects.get(object_type="recognition.ledgerentry", object_id=str(entry.pk))
    assert event.actor == manager_user


def test_the_same_form_commits_once(program, manager_user):
    budget = budget_of(program)

    first = services.commit(
        budget, actor=manager_user, form_token="tok-1", money="10", description="Card"
    )
    again = services.commit(
        budget, actor=manager_user, form_token="tok-1", money="10", description="Card"
    )

    assert (first.is_new, again.is_new, again) == (True, False, first)
    assert LedgerEntry.objects.filter(budget=budget).count() == 1


def test_the_same_spending_form_records_once(program, manager_user):
    budget = budget_of(program)

    first = services.record_spending(
        budget, actor=manager_user, form_token="tok-2", money="10", description="Stipend"
    )
    again = services.record_spending(
        budget, actor=manager_user, form_token="tok-2", money="10", description="Stipend"
    )

    assert (first.is_new, again.is_new, again) == (True, False, first)
    assert LedgerEntry.objects.filter(budget=budget).count() == 1


def test_a_new_form_commits_again(program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, form_token="a", money="10", description="x")
    services.commit(budget, actor=manager_user, form_token="b", money="10", description="x")

    assert LedgerEntry.objects.filter(budget=budget).count() == 2


def test_refusals_are_translated(program, manager_user):
    budget = budget_of(program, money=Decimal("10"))

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(budget, actor=manager_user, money="11", description="Too much")

    assert refused.value.message_dict["money"] == [
        "Not enough money left in the budget: $11.00 requested, $10.00 remaining."
    ]


def test_a_settlement_the_database_refuses_gets_a_clear_message(program, manager_user, monkeypatch):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="30", description="Cards")
    services.release_commitment(commitment, actor=manager_user, reason="Cancelled")
    # As if the check had run before another request's release was committed.
    monkeypatch.setattr(services, "_check_open", lambda commitment: None)

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.release_commitment(commitment, actor=manager_user, reason="Again")
        assert refused.value.messages == [
            "This commitment is already settled: it was spent or released."
        ]
    assert LedgerEntry.objects.filter(settles=commitment).count() == 1


def test_an_organisation_with_a_ledger_can_be_deleted_whole():
    entry = factories.LedgerEntryFactory()
    factories.LedgerEntryFactory(
        budget=entry.budget, kind=LedgerEntry.Kind.RELEASE, settles=entry, description="Cancelled"
    )
    option = factories.RecognitionOptionFactory(organisation=entry.budget.organisation)
    LedgerEntry.objects.filter(pk=entry.pk).update(option=option)

    entry.budget.organisation.delete()

    assert not LedgerEntry.objects.exists()


def test_an_option_the_ledger_uses_cannot_be_deleted_alone():
    option = factories.RecognitionOptionFactory()
    budget = factories.BudgetFactory(program__organisation=option.organisation)
    factories.LedgerEntryFactory(budget=budget, option=option)

    with pytest.raises(RestrictedError):
        option.delete()
