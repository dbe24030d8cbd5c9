"""What the budget tests share: a budget for this fiscal year, options, addresses."""

from decimal import Decimal

from django.urls import reverse

from laurier.core.dates import organisation_today
from laurier.recognition.selectors.budgets import current_fiscal_year
from laurier.testing import factories


def this_year(organisation):
    return current_fiscal_year(organisation, organisation_today(organisation))


def budget_of(program, **fields):
    """The program's budget for the current fiscal year: 1 000 $, 20 hours, 50 items."""
    values = {
        "fiscal_year": this_year(program.organisation),
        "money": Decimal("1000.00"),
        "staff_hours": Decimal("20.00"),
        "material_items": 50,
        **fields,
    }
    return factories.BudgetFactory(program=program, **values)


def organisation_budget(organisation, **fields):
    values = {"fiscal_year": this_year(organisation), **fields}
    return factories.BudgetFactory(program=None, organisation=organisation, **values)


def option_of(organisation, **fields):
    return factories.RecognitionOptionFactory(organisation=organisation, **fields)


def url(name, budget=None, *extra, organisation=None):
    organisation = organisation or budget.organisation
    args = [organisation.slug]
    if budget is not None:
        args.append(budget.pk)
    return reverse(f"recognition:{name}", args=[*args, *extra])
