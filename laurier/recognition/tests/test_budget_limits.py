"""What the ledger refuses before the database would: oversize quantities and amounts, dates
outside the budget's fiscal year; and the smaller rules the review asked for."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.core.dates import fiscal_year_bounds
from laurier.outbox.models import OutgoingEmail
from laurier.recognition.models import LedgerEntry, RecognitionOption
from laurier.recognition.selectors.budgets import format_amount
from laurier.recognition.services import budgets as services

from .test_budget_support import (
    budget_of,
    in_year,
    option_of,
    organisation_budget,
    this_year,
    url,
)

pytestmark = pytest.mark.django_db


def post_commit(client, budget, **fields):
    data = {"form_token": "t", "occurred_on": in_year(budget), **fields}
    return client.post(url("budget_commit", budget), data)


# --- Oversize quantities and amounts (H1) ---------------------------------------------------


@pytest.mark.parametrize("quantity", [10**27, 3_000_000_000, 10_001])
def test_a_huge_quantity_of_an_option_is_refused_on_the_page(
    login, program, manager_user, quantity
):
    budget = budget_of(program, money=Decimal("1000000"))
    option = option_of(program.organisation, cost_money="1000.00", staff_hours=0)

    with translation.override("en"):
        response = post_commit(
            login(manager_user), budget, source="option", option=option.pk, quantity=quantity
        )

    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_the_service_refuses_more_than_ten_thousand_at_once(program, manager_user):
    option = option_of(program.organisation, cost_money="0.01", staff_hours=0, material_items=0)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(budget_of(program), actor=manager_user, option=option, quantity=10_001)

    assert refused.value.message_dict["quantity"] == ["The quantity is at most 10,000 at once."]


def test_free_amounts_ignore_a_crafted_quantity(login, program, manager_user):
    budget = budget_of(program)

    response = post_commit(
        login(manager_user),
        budget,
        source="free",
        money="1",
        description="x",
        quantity=str(10**20),
    )

    assert response.status_code == 302
    assert LedgerEntry.objects.get().quantity == 1


def test_the_service_counts_free_amounts_once(program, manager_user):
    entry = services.record_spending(
        budget_of(program), actor=manager_user, money="1", description="x", quantity=10**20
    )

    assert entry.quantity == 1


@pytest.mark.parametrize("money", [str(10**30), "1e40"])
def test_an_amount_decimal_cannot_round_is_refused_in_words(program, manager_user, money):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(budget_of(program), actor=manager_user, money=money, description="x")

    assert refused.value.message_dict["money"] == [
        "This amount is too large: at most 9,999,999,999.99."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("money", "10000000000"), ("staff_hours", "1000000"), ("material_items", 2**31)],
)
def test_a_budget_larger_than_the_ledger_holds_is_refused(
    organisation, program, admin_user, field, value
):
    amounts = {"money": 0, "staff_hours": 0, "material_items": 0, field: value}

    with pytest.raises(ValidationError) as refused:
        services.create_budget(
            organisation=organisation,
            program=program,
            fiscal_year=2026,
            actor=admin_user,
            **amounts,
        )

    assert list(refused.value.message_dict) == [field]
    assert not program.budgets.exists()


def test_the_budget_form_refuses_too_many_items(login, organisation, program, manager_user):
    response = login(manager_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": program.pk,
            "fiscal_year": this_year(organisation),
            "money": "1",
            "staff_hours": "0",
            "material_items": str(2**31),
        },
    )

    assert "material_items" in response.context["form"].errors


# --- Dates in the budget's fiscal year (M1) ---------------------------------------------------


def test_a_commitment_dated_outside_the_fiscal_year_is_refused_naming_the_year(
    program, manager_user
):
    budget = budget_of(program, fiscal_year=2026)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.commit(
            budget,
            actor=manager_user,
            money="10",
            description="x",
            occurred_on=datetime.date(2027, 4, 1),
        )

    assert refused.value.message_dict["occurred_on"] == [
        "Choose a date in the budget's fiscal year 2026–2027, from April 1, 2026 to March 31, 2027."
    ]


def test_a_spending_dated_outside_the_fiscal_year_is_refused(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)

    with pytest.raises(ValidationError):
        services.record_spending(
            budget,
            actor=manager_user,
            money="10",
            description="x",
            occurred_on=datetime.date(2026, 3, 31),
        )

    assert not LedgerEntry.objects.exists()


def test_settling_a_commitment_is_dated_in_its_budgets_year(program, manager_user):
    budget = budget_of(program, fiscal_year=2026)
    commitment = services.commit(
        budget,
        actor=manager_user,
        money="10",
        description="x",
        occurred_on=datetime.date(2026, 6, 1),
    )
    outside = datetime.date(2027, 5, 1)

    with pytest.raises(ValidationError):
        services.spend_commitment(commitment, actor=manager_user, occurred_on=outside)
    with pytest.raises(ValidationError):
        services.release_commitment(
            commitment, actor=manager_user, reason="Annulé", occurred_on=outside
        )

    assert LedgerEntry.objects.count() == 1


def test_next_years_budget_dates_its_lines_in_its_own_year_by_default(program, manager_user):
    budget = budget_of(program)
    next_year = budget_of(program, fiscal_year=budget.fiscal_year + 1)

    entry = services.commit(next_year, actor=manager_user, money="10", description="x")

    first, _last = fiscal_year_bounds(program.organisation, next_year.fiscal_year)
    assert entry.occurred_on == first


def test_the_commit_form_refuses_a_date_outside_the_year(login, program, manager_user):
    budget = budget_of(program)
    first, _last = fiscal_year_bounds(program.organisation, budget.fiscal_year)

    response = post_commit(
        login(manager_user),
        budget,
        source="free",
        money="10",
        description="x",
        occurred_on=(first - datetime.timedelta(days=1)).isoformat(),
    )

    assert "occurred_on" in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_the_forms_of_next_years_budget_start_on_its_first_day(login, program, manager_user):
    budget = budget_of(program)
    next_year = budget_of(program, fiscal_year=budget.fiscal_year + 1)
    client = login(manager_user)
    first, _last = fiscal_year_bounds(program.organisation, next_year.fiscal_year)

    for name in ("budget_commit", "budget_spend"):
        form = client.get(url(name, next_year)).context["form"]
        assert form.initial["occurred_on"] == first, name


# --- Option costs read under the lock (L1) ----------------------------------------------------


def test_an_options_costs_are_read_when_committing_not_when_the_option_was_loaded(
    program, manager_user
):
    option = option_of(program.organisation, cost_money="10.00", staff_hours=0, material_items=0)
    stale = RecognitionOption.objects.get(pk=option.pk)
    RecognitionOption.objects.filter(pk=option.pk).update(cost_money=Decimal("12.00"))

    entry = services.commit(budget_of(program), actor=manager_user, option=stale, quantity=2)

    assert entry.money == Decimal("24.00")


# --- Managers read the organisation-wide budget (L2) ------------------------------------------


def test_a_manager_sees_the_organisation_wide_budget_in_the_list_read_only(
    login, organisation, program, manager_user
):
    whole = organisation_budget(organisation)
    budget_of(program)

    with translation.override("en"):
        response = login(manager_user).get(url("budgets", organisation=organisation))

    assert whole in [row.budget for row in response.context["rows"]]
    assert "Read only: the administrators change it." in response.content.decode()


# --- Alerts name every resource that crossed (L4) ---------------------------------------------


def test_the_alert_mails_reason_names_every_resource_that_crossed(program, manager_user):
    budget = budget_of(program)

    services.commit(
        budget, actor=manager_user, money="1000", staff_hours="16", description="Everything"
    )

    reasons = set(OutgoingEmail.objects.values_list("reason", flat=True))
    assert reasons == {f"budget-alert:{budget.pk}:money:100+staff_hours:80"}


# --- Plurals (I2, I3) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hours", "expected"),
    [
        ("fr-ca", "1.5", "1,5 heure"),
        ("fr-ca", "2", "2 heures"),
        ("fr-ca", "0.5", "0,5 heure"),
        ("en", "1.5", "1.5 hours"),
        ("en", "1", "1 hour"),
        ("en", "0.5", "0.5 hours"),
    ],
)
def test_hours_take_the_plural_of_the_readers_language(language, hours, expected):
    with translation.override(language):
        assert format_amount("staff_hours", Decimal(hours), "CAD") == expected


def test_the_commit_forms_cost_preview_has_singular_and_plural_forms(login, program, manager_user):
    budget = budget_of(program)
    manager_user.language = "en"
    manager_user.save()

    response = login(manager_user).get(url("budget_commit", budget))

    data = response.context["option_costs"]
    assert data["hours"] == {"one": "{count} staff hour", "other": "{count} staff hours"}
    assert data["items"] == {"one": "{count} material item", "other": "{count} material items"}
    assert "staff hours" not in data["template"]


def test_an_option_beyond_the_budget_is_refused_above_the_form_not_in_the_hidden_amounts(
    login, program, manager_user
):
    budget = budget_of(program)
    option = option_of(program.organisation, cost_money="600.00", staff_hours=0, material_items=0)

    with translation.override("en"):
        response = post_commit(
            login(manager_user), budget, source="option", option=option.pk, quantity=2
        )

    form = response.context["form"]
    assert "money" not in form.errors
    assert form.non_field_errors() == [
        "Not enough money left in the budget: $1,200.00 requested, $1,000.00 remaining."
    ]
    assert not LedgerEntry.objects.exists()
