"""`commit_many`: several recognitions reserved at once (a plan's approval), all or nothing.

The organisation's fiscal year starts in April: the budget of fiscal year 2026 runs from
April 1, 2026 to March 31, 2027.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.recognition.models import BudgetAlert, CapacityPeriod, LedgerEntry
from laurier.recognition.selectors.budgets import budget_usage, capacity_used, entry_label
from laurier.recognition.services import budgets as services
from laurier.recognition.services.budgets import Commitment
from laurier.testing import factories

pytestmark = pytest.mark.django_db

D = datetime.date
JUNE, JULY, DECEMBER = D(2026, 6, 15), D(2026, 7, 15), D(2026, 12, 15)


@pytest.fixture
def budget(program):
    return factories.BudgetFactory(
        program=program, fiscal_year=2026, money="100.00", staff_hours="10.00", material_items=10
    )


def option(organisation, **fields):
    fields = {"cost_money": "10.00", "staff_hours": "1.00", "material_items": 1, **fields}
    return factories.RecognitionOptionFactory(organisation=organisation, **fields)


@pytest.fixture
def card(organisation):
    return option(organisation, name_en="Card", name_fr="Carte")


@pytest.fixture
def dinner(organisation):
    return option(
        organisation, name_en="Dinner", name_fr="Souper", cost_money="40.00", staff_hours="2.50"
    )


def commit_many(budget, actor, *items):
    return services.commit_many(
        budget,
        actor=actor,
        commitments=[Commitment(option, day, text) for option, day, text in items],
    )


def refused(budget, actor, *items):
    """The messages of the refusal, after checking that nothing at all was written."""
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        commit_many(budget, actor, *items)
    assert not LedgerEntry.objects.filter(budget=budget).exists()
    assert not BudgetAlert.objects.exists()
    return " ".join(refusal.value.messages)


def test_each_recognition_becomes_a_commitment_of_one_at_its_options_costs(
    budget, manager_user, card, dinner
):
    entries = commit_many(
        budget,
        manager_user,
        (card, JUNE, "Card — Marie Gagnon"),
        (dinner, DECEMBER, "  Dinner — Luc Gagnon  "),
        (card, JULY, ""),
    )
    assert [
        (e.kind, e.option, e.quantity, e.money, e.staff_hours, e.material_items, e.occurred_on)
        for e in entries
    ] == [
        (LedgerEntry.Kind.COMMITMENT, card, 1, Decimal("10.00"), Decimal("1.00"), 1, JUNE),
        (LedgerEntry.Kind.COMMITMENT, dinner, 1, Decimal("40.00"), Decimal("2.50"), 1, DECEMBER),
        (LedgerEntry.Kind.COMMITMENT, card, 1, Decimal("10.00"), Decimal("1.00"), 1, JULY),
    ]
    assert [entry.description for entry in entries] == [
        "Card — Marie Gagnon",
        "Dinner — Luc Gagnon",
        "",
    ]
    assert all(entry.pk and entry.budget_id == budget.pk for entry in entries)
    assert {entry.created_by for entry in entries} == {manager_user}


def test_the_budget_usage_goes_up_by_the_total(budget, manager_user, card, dinner):
    commit_many(budget, manager_user, (card, JUNE, ""), (dinner, JUNE, ""))
    usage = budget_usage(budget)
    assert usage.committed("money") == Decimal("50.00")
    assert usage.committed("staff_hours") == Decimal("3.50")
    assert usage.committed("material_items") == 2


def test_the_costs_are_read_from_the_option_as_it_is_now(budget, manager_user, card):
    stale = factories.RecognitionOptionFactory._meta.model.objects.get(pk=card.pk)
    card.cost_money = "12.50"
    card.save()
    [entry] = commit_many(budget, manager_user, (stale, JUNE, ""))
    assert entry.money == Decimal("12.50")


def test_nothing_to_commit_writes_nothing(budget, manager_user):
    assert services.commit_many(budget, actor=manager_user, commitments=[]) == []
    assert not LedgerEntry.objects.exists()


def test_one_audit_event_is_recorded_for_all_of_them(budget, manager_user, card):
    commit_many(budget, manager_user, (card, JUNE, ""), (card, JULY, ""))
    assert AuditEvent.objects.filter(organisation=budget.organisation).count() == 1


# --- All or nothing ----------------------------------------------------------------------------


def test_what_fits_alone_but_not_together_is_refused_whole(budget, manager_user, dinner):
    says = refused(
        budget, manager_user, (dinner, JUNE, ""), (dinner, JULY, ""), (dinner, DECEMBER, "")
    )
    assert "Not enough money left in the budget" in says


def test_what_is_already_used_counts(budget, manager_user, card, dinner):
    services.commit(budget, actor=manager_user, option=dinner, occurred_on=JUNE)
    with pytest.raises(ValidationError):
        # 40 $ + 50 $ fit in 100 $; 40 $ + 40 $ + 50 $ do not.
        commit_many(budget, manager_user, (dinner, JULY, ""), (card, JULY, ""), (dinner, JULY, ""))
    assert LedgerEntry.objects.filter(budget=budget).count() == 1


def test_the_whole_budget_can_be_used_to_the_cent(budget, manager_user, dinner, card):
    commit_many(
        budget,
        manager_user,
        (dinner, JUNE, ""),
        (dinner, JULY, ""),
        (card, JULY, ""),
        (card, DECEMBER, ""),
    )
    assert budget_usage(budget).used("money") == Decimal("100.00")


def test_staff_hours_and_material_items_are_checked_too(program, manager_user, card):
    budget = factories.BudgetFactory(
        program=program, fiscal_year=2026, money="100.00", staff_hours="10.00", material_items=1
    )
    says = refused(budget, manager_user, (card, JUNE, ""), (card, JULY, ""))
    assert "Not enough material items left" in says


def test_a_date_outside_the_fiscal_year_refuses_everything(budget, manager_user, card):
    says = refused(budget, manager_user, (card, JUNE, ""), (card, D(2027, 4, 1), ""))
    assert "Choose a date in the budget's fiscal year" in says


def test_the_fiscal_years_first_and_last_days_are_in_it(budget, manager_user, card):
    commit_many(budget, manager_user, (card, D(2026, 4, 1), ""), (card, D(2027, 3, 31), ""))
    assert LedgerEntry.objects.filter(budget=budget).count() == 2


def test_a_retired_option_refuses_everything(budget, manager_user, card, dinner):
    dinner.active = False
    dinner.save()
    says = refused(budget, manager_user, (card, JUNE, ""), (dinner, JULY, ""))
    assert "“Dinner” is no longer offered" in says


def test_an_option_of_another_organisation_refuses_everything(
    budget, manager_user, card, other_organisation
):
    theirs = option(other_organisation)
    refused(budget, manager_user, (card, JUNE, ""), (theirs, JULY, ""))


def test_a_budget_in_a_currency_the_organisation_left_refuses_everything(
    budget, manager_user, card, organisation
):
    organisation.currency = "USD"
    organisation.save()
    says = refused(budget, manager_user, (card, JUNE, ""))
    assert "CAD" in says and "USD" in says


# --- Capacities --------------------------------------------------------------------------------


@pytest.fixture
def monthly_seat(organisation):
    return option(
        organisation,
        name_en="Lunch seat",
        name_fr="Place au dîner",
        cost_money="1.00",
        staff_hours="0",
        material_items=0,
        capacity=1,
        capacity_period=CapacityPeriod.MONTH,
    )


def test_a_monthly_capacity_holds_one_in_each_month(budget, manager_user, monthly_seat):
    commit_many(budget, manager_user, (monthly_seat, JUNE, ""), (monthly_seat, JULY, ""))
    assert capacity_used(monthly_seat, D(2026, 6, 1), D(2026, 6, 30)) == 1
    assert capacity_used(monthly_seat, D(2026, 7, 1), D(2026, 7, 31)) == 1


def test_two_in_one_month_pass_a_monthly_capacity_of_one(budget, manager_user, monthly_seat):
    says = refused(
        budget,
        manager_user,
        (monthly_seat, JULY, ""),
        (monthly_seat, JUNE, ""),
        (monthly_seat, D(2026, 6, 30), ""),
    )
    assert "Only 1 of “Lunch seat” left between June 1, 2026 and June 30, 2026" in says


def test_what_other_budgets_took_of_a_capacity_counts(
    budget, manager_user, monthly_seat, organisation
):
    other = factories.BudgetFactory(
        program=factories.ProgramFactory(organisation=organisation), fiscal_year=2026
    )
    services.commit(other, actor=manager_user, option=monthly_seat, occurred_on=D(2026, 6, 1))
    refused(budget, manager_user, (monthly_seat, JUNE, ""))


def test_a_yearly_capacity_counts_the_whole_fiscal_year(budget, manager_user, organisation):
    gala = option(organisation, cost_money="1.00", staff_hours="0", capacity=2)
    says = refused(
        budget,
        manager_user,
        (gala, D(2026, 4, 1), ""),
        (gala, JULY, ""),
        (gala, D(2027, 3, 31), ""),
    )
    assert "Its capacity is 2" in says


def test_a_zero_cost_option_still_gets_a_commitment_that_counts_on_its_capacity(
    budget, manager_user, organisation
):
    mention = option(organisation, cost_money="0", staff_hours="0", material_items=0, capacity=1)
    [entry] = commit_many(budget, manager_user, (mention, JUNE, ""))
    assert (entry.money, entry.staff_hours, entry.material_items) == (Decimal("0.00"), 0, 0)
    assert entry.kind == LedgerEntry.Kind.COMMITMENT
    assert capacity_used(mention, D(2026, 4, 1), D(2027, 3, 31)) == 1
    with pytest.raises(ValidationError):
        commit_many(budget, manager_user, (mention, DECEMBER, ""))


# --- Alerts ------------------------------------------------------------------------------------


def alerts(budget):
    return sorted(BudgetAlert.objects.filter(budget=budget).values_list("resource", "threshold"))


def test_reaching_80_percent_records_the_alert(budget, manager_user, dinner):
    commit_many(budget, manager_user, (dinner, JUNE, ""), (dinner, JULY, ""))
    assert alerts(budget) == [("money", 80)]


def test_reaching_100_percent_records_both_alerts_once(budget, manager_user, dinner, card):
    commit_many(
        budget,
        manager_user,
        (dinner, JUNE, ""),
        (dinner, JULY, ""),
        (card, JULY, ""),
        (card, JULY, ""),
    )
    assert alerts(budget) == [("money", 80), ("money", 100)]
    emails = OutgoingEmail.objects.filter(reason__startswith=f"budget-alert:{budget.pk}:")
    assert emails.count() == 1
    assert emails.get().to == manager_user.email


def test_under_80_percent_no_alert_is_recorded(budget, manager_user, dinner, card):
    commit_many(budget, manager_user, (dinner, JUNE, ""), (card, JULY, ""))
    assert alerts(budget) == []


# --- Whom a commitment is for ----------------------------------------------------------------


def test_a_commitment_for_a_person_names_the_option_and_the_person_in_each_language(
    budget, manager_user, card, organisation
):
    marie = factories.PersonFactory(organisation=organisation, first_name="Marie", last_name="Roy")
    with translation.override("fr-ca"):
        [entry] = services.commit_many(
            budget, actor=manager_user, commitments=[Commitment(card, JUNE, person=marie)]
        )
    entry = LedgerEntry.objects.select_related("option", "person").get(pk=entry.pk)
    assert entry.person == marie
    with translation.override("en"):
        assert entry_label(entry) == "Card — Marie Roy"
    with translation.override("fr-ca"):
        assert entry_label(entry) == "Carte — Marie Roy"


def test_releasing_a_persons_commitment_keeps_whom_it_was_for(
    budget, manager_user, card, organisation
):
    marie = factories.PersonFactory(organisation=organisation)
    [entry] = services.commit_many(
        budget, actor=manager_user, commitments=[Commitment(card, JUNE, person=marie)]
    )
    release = services.release_commitment(entry, actor=manager_user, reason="Cancelled")
    assert release.person == marie
    assert budget_usage(budget).committed("money") == 0


def test_the_audit_event_tells_how_many_and_how_much(budget, manager_user, card, dinner):
    commit_many(budget, manager_user, (card, JUNE, ""), (dinner, JULY, ""))
    event = AuditEvent.objects.get(organisation=budget.organisation)
    assert (event.actor, event.action) == (manager_user, AuditEvent.Action.CREATE)
    assert event.changes["commitments"] == 2
    assert Decimal(event.changes["money"]) == Decimal("50.00")


def test_a_refusal_records_no_audit_event(budget, manager_user, dinner):
    refused(budget, manager_user, (dinner, JUNE, ""), (dinner, JULY, ""), (dinner, JULY, ""))
    assert not AuditEvent.objects.exists()
