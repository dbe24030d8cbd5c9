"""Budget pages keep the same number of queries whatever the number of budgets and lines."""

import pytest

from laurier.recognition.services import budgets as services
from laurier.testing import factories

from .test_budget_support import budget_of, option_of, url

pytestmark = pytest.mark.django_db


def fill(budget, actor, count):
    option = option_of(budget.organisation, cost_money="1.00", staff_hours="0", material_items=0)
    for index in range(count):
        commitment = services.commit(budget, actor=actor, option=option)
        if index % 3 == 0:
            services.spend_commitment(commitment, actor=actor)
        elif index % 3 == 1:
            services.release_commitment(commitment, actor=actor, reason="No")
        services.record_spending(budget, actor=actor, money="0.50", description=f"S{index}")


def programs_with_budgets(organisation, manager, count):
    budgets = []
    for _ in range(count):
        program = factories.ProgramFactory(organisation=organisation)
        program.managers.add(manager)
        budget = budget_of(program)
        fill(budget, manager, 2)
        budgets.append(budget)
    return budgets


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_keeps_its_queries(
    login, organisation, manager_user, django_assert_max_num_queries, count
):
    programs_with_budgets(organisation, manager_user, count)
    client = login(manager_user)

    with django_assert_max_num_queries(8):
        response = client.get(url("budgets", organisation=organisation))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 12])
def test_the_budget_page_keeps_its_queries(
    login, program, manager_user, django_assert_max_num_queries, count
):
    budget = budget_of(program)
    fill(budget, manager_user, count)
    client = login(manager_user)

    # +1 for the ledger's settled commitments, prefetched rather than joined.
    with django_assert_max_num_queries(16):
        response = client.get(url("budget_detail", budget))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_ledger_export_keeps_its_queries(
    login, program, manager_user, django_assert_max_num_queries, count
):
    budget = budget_of(program)
    fill(budget, manager_user, count)
    client = login(manager_user)

    # +1: the settled commitments are prefetched rather than joined (see selectors.ledger).
    with django_assert_max_num_queries(7):
        response = client.get(url("budget_detail", budget), {"export": "csv"})

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_commit_form_keeps_its_queries(
    login, program, manager_user, django_assert_max_num_queries, count
):
    budget = budget_of(program)
    for _ in range(count):
        option_of(program.organisation)
    client = login(manager_user)

    with django_assert_max_num_queries(8):
        response = client.get(url("budget_commit", budget))

    assert response.status_code == 200
