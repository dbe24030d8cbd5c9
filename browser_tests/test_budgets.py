"""Budgets in a real Chromium: a manager adds an option, a budget, commits, sees what remains."""

from decimal import Decimal

import pytest

from laurier.recognition.models import Budget, LedgerEntry, RecognitionOption

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def french_manager(manager_user):
    manager_user.language = "fr-ca"
    manager_user.save()
    return manager_user


def remaining_money(page):
    cell = page.locator("table.budget-figures tr[data-resource=money] td.remaining")
    return " ".join(cell.inner_text().split()).replace("\u202f", " ")


def create_option(page, organisation):
    page.goto(f"/o/{organisation.slug}/catalog/new/")
    page.select_option("select[name=category]", "public_event")
    page.fill("input[name=name_fr]", "Souper des mentors")
    page.fill("input[name=name_en]", "Mentors' dinner")
    page.fill("input[name=cost_money]", "45.50")
    page.fill("input[name=staff_hours]", "0.5")
    page.fill("input[name=material_items]", "0")
    page.check("input[name=visibility][value=public]")
    page.check("input[name=formality][value=informal]")
    page.check("input[name=scope][value=collective]")
    page.check("input[name=nature][value=material]")
    page.check("input[name=moments][value=cycle_end]")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    return RecognitionOption.objects.get(name_fr="Souper des mentors")


def create_budget(page, organisation, program):
    page.goto(f"/o/{organisation.slug}/budgets/new/")
    page.select_option("select[name=owner]", str(program.pk))
    page.fill("input[name=money]", "1000")
    page.fill("input[name=staff_hours]", "10")
    page.fill("input[name=material_items]", "20")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    return Budget.objects.get(program=program)


def test_a_manager_commits_an_option_and_sees_the_remaining_amount_change_in_french(
    page, log_in_as, organisation, program, french_manager
):
    log_in_as(french_manager)
    option = create_option(page, organisation)
    budget = create_budget(page, organisation, program)
    assert page.locator("html").get_attribute("lang") == "fr-ca"
    assert remaining_money(page) == "1 000,00 $"

    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/commit/")
    page.select_option("select[name=option]", str(option.pk))
    page.fill("input[name=quantity]", "4")
    # The page shows the option's costs × the quantity before committing.
    assert "182,00" in page.locator("#option-costs").inner_text().replace("\u202f", " ")
    page.locator("form.budget-commit-form button[type=submit]").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/budgets/{budget.pk}/")
    assert remaining_money(page) == "818,00 $"
    assert LedgerEntry.objects.get(budget=budget).money == 182
    # Chart.js drew the burn chart, its money axis in French with the currency.
    page.wait_for_function("typeof Chart !== 'undefined'")
    assert page.evaluate(
        "Chart.getChart(document.querySelector('#budget-burn-chart')) !== undefined"
    )
    ticks = page.evaluate(
        "Chart.getChart(document.querySelector('#budget-burn-chart'))"
        ".scales.y.ticks.map(tick => tick.label)"
    )
    assert ticks and all(label.endswith("$") and "," in label for label in ticks), ticks


def test_the_cost_preview_says_hour_and_item_in_the_singular(
    page, log_in_as, organisation, program, manager_user
):
    from laurier.testing import factories

    option = factories.RecognitionOptionFactory(
        organisation=organisation,
        name_en="Thank-you card",
        cost_money="5.00",
        staff_hours="1",
        material_items=1,
    )
    log_in_as(manager_user)
    budget = create_budget(page, organisation, program)

    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/commit/")
    page.select_option("select[name=option]", str(option.pk))
    page.fill("input[name=quantity]", "1")
    single = page.locator("#option-costs").inner_text()
    page.fill("input[name=quantity]", "3")
    several = page.locator("#option-costs").inner_text()

    assert single == "Commitment: $5.00, 1 staff hour, 1 material item."
    assert several == "Commitment: $15.00, 3 staff hours, 3 material items."


def test_an_english_manager_reads_the_budget_in_english(
    page, log_in_as, organisation, program, manager_user
):
    log_in_as(manager_user)
    budget = create_budget(page, organisation, program)

    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/commit/")
    page.get_by_label("Other amounts").check()
    assert page.get_by_label("Recognition option").is_hidden()
    page.locator("input[name=money]").fill("850")
    page.get_by_label("Description").fill("Gala")
    page.locator("form.budget-commit-form button[type=submit]").click()
    page.wait_for_load_state()

    assert remaining_money(page) == "$150.00"
    assert page.get_by_text("85% used:").is_visible()
    page.wait_for_function("typeof Chart !== 'undefined'")
    ticks = page.evaluate(
        "Chart.getChart(document.querySelector('#budget-burn-chart'))"
        ".scales.y.ticks.map(tick => tick.label)"
    )
    assert ticks and all(label.startswith("$") for label in ticks), ticks


def test_on_a_phone_the_burn_chart_is_readable_and_remaining_is_in_view(
    page, log_in_as, organisation, program, french_manager
):
    log_in_as(french_manager)
    budget = create_budget(page, organisation, program)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/")
    page.wait_for_function("typeof Chart !== 'undefined'")
    page.wait_for_function("Chart.getChart(document.querySelector('#budget-burn-chart'))")
    plot_height = page.evaluate(
        "(() => { const area = Chart.getChart(document.querySelector('#budget-burn-chart'))"
        ".chartArea; return area.bottom - area.top; })()"
    )
    remaining = page.locator("table.budget-figures tr[data-resource=money] td.remaining")
    box = remaining.bounding_box()

    # It was about 10 px high at the default 2:1 ratio once the legend took its share.
    assert plot_height >= 150, plot_height
    assert box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"/o/{organisation.slug}/budgets/")
    listed = page.locator("table.budget-list td.remaining").first.bounding_box()
    assert listed["x"] + listed["width"] <= 390, listed


def test_a_french_decimal_comma_is_committed_as_cents(
    page, log_in_as, organisation, program, french_manager
):
    log_in_as(french_manager)
    budget = create_budget(page, organisation, program)

    page.goto(f"/o/{organisation.slug}/budgets/{budget.pk}/commit/")
    page.locator("input[name=source][value=free]").check()
    page.locator("input[name=money]").fill("12,50")
    page.locator("input[name=description]").fill("Cartes")
    page.locator("form.budget-commit-form button[type=submit]").click()
    page.wait_for_load_state()

    assert LedgerEntry.objects.get(budget=budget).money == Decimal("12.50")
    assert remaining_money(page) == "987,50 $"
