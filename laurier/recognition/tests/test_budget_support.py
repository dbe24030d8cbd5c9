"""What the budget tests share: a budget for this fiscal year, options, addresses."""

import datetime
from decimal import Decimal

from django.urls import reverse

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.testing import factories


def this_year(organisation):
    return fiscal_year_of(organisation, organisation_today(organisation))


def in_year(budget, days=0):
    """A day (ISO, as a form posts it) inside the budget's fiscal year: its 61st, + `days`."""
    first, _last = fiscal_year_bounds(budget.organisation, budget.fiscal_year)
    return (first + datetime.timedelta(days=60 + days)).isoformat()


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
