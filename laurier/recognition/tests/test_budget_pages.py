"""The budget pages: list, creation, editing, the budget's page, committing and spending."""

from decimal import Decimal

import pytest
from django.utils import translation

from laurier.recognition.models import Budget, LedgerEntry
from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import (
    budget_of,
    in_year,
    option_of,
    organisation_budget,
    this_year,
    url,
)

pytestmark = pytest.mark.django_db


def html_of(response):
    return response.content.decode()


def test_the_list_shows_each_budget_with_its_figures(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="850", description="Gala")

    with translation.override("en"):
        response = login(manager_user).get(url("budgets", organisation=program.organisation))

    html = html_of(response)
    assert "Relève" in html
    assert "$850.00" in html  # committed
    assert "$150.00" in html  # remaining
    assert "85%" in html
    assert "80% or more used" in html


def test_the_list_states_a_used_up_budget_in_words(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="1000", description="All")

    client = login(manager_user)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = html_of(client.get(url("budgets", organisation=program.organisation)))

    assert "budget-state-full" in html


def test_the_list_shows_a_managers_programs_only(login, organisation, program, manager_user):
    other = factories.ProgramFactory(organisation=organisation, name="Autre programme")
    budget_of(program)
    budget_of(other)
    organisation_budget(organisation)

    html = html_of(login(manager_user).get(url("budgets", organisation=organisation)))

    assert "Relève" in html
    assert "Autre programme" not in html
    assert "Toute l" not in html


def test_an_admin_sees_the_organisation_wide_budget(login, organisation, admin_user):
    organisation_budget(organisation)

    with translation.override("en"):
        response = login(admin_user).get(url("budgets", organisation=organisation))

    assert response.context["rows"][0].budget.program is None


def test_the_list_defaults_to_the_current_fiscal_year_and_filters_another(
    login, organisation, program, manager_user
):
    current = budget_of(program)
    previous = budget_of(program, fiscal_year=current.fiscal_year - 1)
    client = login(manager_user)

    default = client.get(url("budgets", organisation=organisation))
    chosen = client.get(url("budgets", organisation=organisation), {"year": previous.fiscal_year})

    assert [row.budget for row in default.context["rows"]] == [current]
    assert [row.budget for row in chosen.context["rows"]] == [previous]


def test_the_fiscal_year_follows_the_organisations_start_month(organisation):
    import datetime

    from laurier.core.dates import fiscal_year_bounds, fiscal_year_label, fiscal_year_of

    organisation.fiscal_year_start_month = 4

    assert fiscal_year_of(organisation, datetime.date(2027, 3, 31)) == 2026
    assert fiscal_year_of(organisation, datetime.date(2027, 4, 1)) == 2027
    assert fiscal_year_bounds(organisation, 2026) == (
        datetime.date(2026, 4, 1),
        datetime.date(2027, 3, 31),
    )
    assert fiscal_year_label(organisation, 2026) == "2026–2027"


def test_a_calendar_fiscal_year_is_named_by_its_year(organisation):
    import datetime

    from laurier.core.dates import fiscal_year_bounds, fiscal_year_label

    organisation.fiscal_year_start_month = 1

    assert fiscal_year_bounds(organisation, 2026) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert fiscal_year_label(organisation, 2026) == "2026"


def test_the_list_exports_as_csv(login, organisation, program, manager_user):
    budget_of(program)

    response = login(manager_user).get(url("budgets", organisation=organisation), {"export": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "Relève" in response.content.decode()


def test_a_manager_creates_a_budget_for_a_program(login, organisation, program, manager_user):
    response = login(manager_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": program.pk,
            "fiscal_year": this_year(organisation),
            "money": "1500.5",
            "staff_hours": "12",
            "material_items": "30",
            "notes": "Gala de juin",
        },
    )

    budget = Budget.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("budget_detail", budget)
    assert (budget.program, budget.money, budget.currency) == (program, Decimal("1500.50"), "CAD")


def test_a_manager_cannot_choose_the_whole_organisation(login, organisation, manager_user):
    response = login(manager_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": "organisation",
            "fiscal_year": this_year(organisation),
            "money": "1",
            "staff_hours": "0",
            "material_items": "0",
        },
    )

    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Budget.objects.exists()


def test_an_admin_creates_the_organisation_wide_budget(login, organisation, admin_user):
    login(admin_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": "organisation",
            "fiscal_year": this_year(organisation),
            "money": "10000",
            "staff_hours": "100",
            "material_items": "0",
        },
    )

    assert Budget.objects.get().program is None


def test_a_duplicate_budget_gets_a_clear_message(login, organisation, program, manager_user):
    budget = budget_of(program)

    with translation.override("en"):
        response = login(manager_user).post(
            url("budget_create", organisation=organisation),
            {
                "owner": program.pk,
                "fiscal_year": budget.fiscal_year,
                "money": "1",
                "staff_hours": "0",
                "material_items": "0",
            },
        )

    assert response.context["form"].errors["fiscal_year"] == [
        f"Relève already has a budget for {budget.fiscal_year_label}."
    ]


def test_negative_allocations_are_refused_by_the_form(login, organisation, program, manager_user):
    response = login(manager_user).post(
        url("budget_create", organisation=organisation),
        {
            "owner": program.pk,
            "fiscal_year": this_year(organisation),
            "money": "-5",
            "staff_hours": "0",
            "material_items": "0",
        },
    )

    assert "money" in response.context["form"].errors
    assert not Budget.objects.exists()


def test_lowering_a_budget_under_its_use_is_refused_on_the_page(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="600", description="Gala")

    response = login(manager_user).post(
        url("budget_edit", budget),
        {"money": "500", "staff_hours": "20", "material_items": "50"},
    )

    assert response.status_code == 200
    assert "$600.00 is committed" in str(response.context["form"].errors["money"])
    budget.refresh_from_db()
    assert budget.money == Decimal("1000.00")


def test_a_budget_is_edited(login, program, manager_user):
    budget = budget_of(program)

    login(manager_user).post(
        url("budget_edit", budget),
        {"money": "2000", "staff_hours": "20", "material_items": "50", "notes": "Plus"},
    )

    budget.refresh_from_db()
    assert (budget.money, budget.notes) == (Decimal("2000.00"), "Plus")


def test_the_budget_page_shows_figures_chart_data_and_ledger(login, program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="120", description="Cartes")
    services.record_spending(budget, actor=manager_user, money="80", description="Allocation")

    response = login(manager_user).get(url("budget_detail", budget))

    html = html_of(response)
    assert response.status_code == 200
    assert 'id="budget-burn-data"' in html
    assert url("commitment_spend", budget, commitment.pk) in html
    assert url("commitment_release", budget, commitment.pk) in html
    assert "Allocation" in html
    chart = response.context["burn"]["chart"]
    reached = [value for value in chart["committed"] if value is not None]
    assert reached[-1] == 120.0
    assert [value for value in chart["spent"] if value is not None][-1] == 80.0
    assert chart["allocated"] == [1000.0] * 12


def test_the_burn_chart_is_cumulative_and_stops_at_the_current_month(program, manager_user):
    import datetime

    from laurier.recognition.selectors.budgets import (
        budget_usage,
        burn_chart,
        fiscal_year_months,
        resource_figures,
    )

    budget = budget_of(program)
    months = fiscal_year_months(program.organisation, budget.fiscal_year)
    services.commit(budget, actor=manager_user, money="100", description="A", occurred_on=months[0])
    services.commit(budget, actor=manager_user, money="50", description="B", occurred_on=months[2])
    # Lines dated before the year can no longer be written, but older ledgers may hold some.
    factories.LedgerEntryFactory(
        budget=budget,
        kind=LedgerEntry.Kind.SPENDING,
        money="30",
        occurred_on=months[0] - datetime.timedelta(days=40),
    )

    figures = resource_figures(budget, budget_usage(budget))
    chart = burn_chart(budget, figures, today=months[3])["chart"]

    assert chart["committed"][:4] == [100.0, 100.0, 150.0, 150.0]
    assert chart["spent"][:4] == [30.0, 30.0, 30.0, 30.0]
    assert chart["committed"][4:] == [None] * 8


def test_the_ledger_exports_as_xlsx(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="120", description="Cartes")

    response = login(manager_user).get(url("budget_detail", budget), {"export": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_ledger_is_filtered_by_kind_and_sorted(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="5", description="Petit")
    services.commit(budget, actor=manager_user, money="50", description="Grand")
    services.record_spending(budget, actor=manager_user, money="1", description="Dépense")

    response = login(manager_user).get(
        url("budget_detail", budget), {"kind": "commitment", "sort": "-money"}
    )

    assert [e.description for e in response.context["page"].object_list] == ["Grand", "Petit"]


def test_committing_an_option_from_the_page(login, program, manager_user):
    budget = budget_of(program)
    option = option_of(program.organisation, cost_money="25.00", staff_hours="1", material_items=1)
    client = login(manager_user)
    form = client.get(url("budget_commit", budget)).context["form"]

    response = client.post(
        url("budget_commit", budget),
        {
            "form_token": form.initial["form_token"],
            "source": "option",
            "option": option.pk,
            "quantity": "4",
            "occurred_on": form.initial["occurred_on"].isoformat(),
        },
    )

    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    assert (entry.money, entry.staff_hours, entry.material_items, entry.quantity) == (
        Decimal("100.00"),
        Decimal("4.00"),
        4,
        4,
    )


def test_a_double_submit_of_the_commit_form_commits_once(login, program, manager_user):
    budget = budget_of(program)
    client = login(manager_user)
    form = client.get(url("budget_commit", budget)).context["form"]
    data = {
        "form_token": form.initial["form_token"],
        "source": "free",
        "money": "30",
        "description": "Fleurs",
        "occurred_on": form.initial["occurred_on"].isoformat(),
    }

    client.post(url("budget_commit", budget), data)
    second = client.post(url("budget_commit", budget), data)

    assert second.status_code == 302
    assert LedgerEntry.objects.count() == 1


def test_committing_over_the_budget_on_the_page_says_what_remains(login, program, manager_user):
    budget = budget_of(program)
    client = login(manager_user)

    with translation.override("en"):
        response = client.post(
            url("budget_commit", budget),
            {
                "form_token": "t",
                "source": "free",
                "money": "1000.01",
                "description": "Too much",
                "occurred_on": in_year(budget),
            },
        )

    assert response.context["form"].errors["money"] == [
        "Not enough money left in the budget: $1,000.01 requested, $1,000.00 remaining."
    ]
    assert not LedgerEntry.objects.exists()


def test_free_amounts_need_a_description(login, program, manager_user):
    budget = budget_of(program)

    response = login(manager_user).post(
        url("budget_commit", budget),
        {"form_token": "t", "source": "free", "money": "10", "occurred_on": in_year(budget)},
    )

    assert "description" in response.context["form"].errors


def test_recording_a_direct_spending(login, program, manager_user):
    budget = budget_of(program)
    stipend = option_of(program.organisation, category="stipend")

    response = login(manager_user).post(
        url("budget_spend", budget),
        {
            "form_token": "s1",
            "option": stipend.pk,
            "money": "250",
            "description": "Allocation de Marie",
            "occurred_on": in_year(budget),
        },
    )

    assert response.status_code == 302
    assert LedgerEntry.objects.get().kind == LedgerEntry.Kind.SPENDING


def test_recording_a_commitments_spending_and_releasing_another(login, program, manager_user):
    budget = budget_of(program)
    spent = services.commit(budget, actor=manager_user, money="100", description="Souper")
    cancelled = services.commit(budget, actor=manager_user, money="50", description="Atelier")
    client = login(manager_user)

    client.post(
        url("commitment_spend", budget, spent.pk),
        {
            "money": "90",
            "staff_hours": "0",
            "material_items": "0",
            "occurred_on": in_year(budget, days=1),
        },
    )
    client.post(url("commitment_release", budget, cancelled.pk), {"reason": "Annulé"})

    kinds = sorted(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds == ["commitment", "commitment", "release", "release", "spending"]


def test_releasing_twice_from_the_page_releases_once(login, program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="50", description="Atelier")
    client = login(manager_user)

    client.post(url("commitment_release", budget, commitment.pk), {"reason": "Annulé"})
    second = client.post(url("commitment_release", budget, commitment.pk), {"reason": "Annulé"})

    assert second.status_code == 302
    assert LedgerEntry.objects.filter(kind="release").count() == 1


def test_a_paying_program_shows_its_stipends_on_its_budget(login, program, manager_user):
    from .test_compensation_support import paid_decision

    paid_decision(program)
    budget = budget_of(program)
    stipend = option_of(program.organisation, category="stipend")
    services.record_spending(
        budget, actor=manager_user, option=stipend, money="300", description="Allocation"
    )
    services.record_spending(budget, actor=manager_user, money="20", description="Cartes")

    response = login(manager_user).get(url("budget_detail", budget))

    assert response.context["stipends"]["spent"] == Decimal("300.00")
    assert "$300.00" in html_of(response)


def test_a_volunteer_program_shows_no_stipends(login, program, manager_user):
    response = login(manager_user).get(url("budget_detail", budget_of(program)))

    assert response.context["stipends"] is None


def test_the_list_offers_to_create_the_missing_budgets(login, organisation, program, admin_user):
    year = this_year(organisation)

    response = login(admin_user).get(url("budgets", organisation=organisation))

    assert response.context["without_budget"] == [program]
    assert response.context["organisation_budget_missing"]
    create = url("budget_create", organisation=organisation)
    assert f"{create}?owner={program.pk}&amp;year={year}" in html_of(response)


def test_the_creation_form_is_prefilled_from_the_list(login, organisation, program, admin_user):
    response = login(admin_user).get(
        url("budget_create", organisation=organisation), {"owner": program.pk, "year": 2031}
    )

    assert response.context["form"].initial["owner"] == str(program.pk)
    assert response.context["form"].initial["fiscal_year"] == 2031


def test_the_edit_page_shows_what_is_already_used(login, program, manager_user):
    budget = budget_of(program)
    services.commit(budget, actor=manager_user, money="600", description="Gala")

    response = login(manager_user).get(url("budget_edit", budget))

    assert "$600.00" in html_of(response)


def test_the_year_filter_shows_the_current_year_by_default(login, organisation, manager_user):
    year = this_year(organisation)

    html = html_of(login(manager_user).get(url("budgets", organisation=organisation)))

    assert f'<option value="{year}" selected>' in html
