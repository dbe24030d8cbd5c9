"""Many commitments at the same moment never pass the budget (PostgreSQL, real threads).

SQLite runs one writer at a time, so this only means something on PostgreSQL, where each
commitment locks the budget's row and recomputes its use before writing.
"""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from laurier.recognition.models import BudgetAlert, LedgerEntry
from laurier.recognition.services import budgets as services

from .test_budget_support import budget_of

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 8
EACH = 10


def run_concurrently(work):
    start = threading.Barrier(THREADS)
    errors = []

    def run(number):
        start.wait()
        try:
            work(number)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_commitments_never_pass_the_budget(program, manager_user):
    # 80 commitments of 15 $ against 1 000 $: 66 fit (990 $), the other 14 are refused.
    budget = budget_of(program, money=Decimal("1000.00"))
    accepted, refused = [], []

    def commit_ten(number):
        for index in range(EACH):
            try:
                services.commit(
                    budget, actor=manager_user, money="15.00", description=f"{number}-{index}"
                )
            except ValidationError:
                refused.append((number, index))
            else:
                accepted.append((number, index))

    run_concurrently(commit_ten)

    total = sum(LedgerEntry.objects.filter(budget=budget).values_list("money", flat=True))
    assert total == Decimal("990.00")
    assert (len(accepted), len(refused)) == (66, 14)
    assert LedgerEntry.objects.filter(budget=budget).count() == 66
    # Each threshold was crossed by exactly one of the commitments.
    assert BudgetAlert.objects.filter(budget=budget).count() == 1


def test_concurrent_commitments_across_resources_stay_within_each(program, manager_user):
    budget = budget_of(program, money=Decimal("100"), staff_hours=Decimal("7.5"), material_items=5)

    def commit_ten(number):
        for index in range(EACH):
            with contextlib.suppress(ValidationError):
                services.commit(
                    budget,
                    actor=manager_user,
                    money="3",
                    staff_hours="0.25",
                    material_items=number % 2,
                    description=f"{number}-{index}",
                )

    run_concurrently(commit_ten)

    entries = LedgerEntry.objects.filter(budget=budget)
    assert sum(e.money for e in entries) <= Decimal("100")
    assert sum(e.staff_hours for e in entries) <= Decimal("7.5")
    assert sum(e.material_items for e in entries) <= 5


def test_a_commitment_settled_from_several_threads_is_settled_once(program, manager_user):
    budget = budget_of(program)
    commitment = services.commit(budget, actor=manager_user, money="100", description="Gala")
    settled = []

    def settle(number):
        try:
            if number % 2:
                services.spend_commitment(commitment, actor=manager_user)
            else:
                services.release_commitment(commitment, actor=manager_user, reason="Annulé")
        except ValidationError:
            return
        settled.append(number)

    run_concurrently(settle)

    assert len(settled) == 1
    assert LedgerEntry.objects.filter(settles=commitment, kind="release").count() == 1


def test_concurrent_commitments_of_an_option_never_pass_its_capacity(
    organisation, program, manager_user
):
    from laurier.testing import factories

    from .test_budget_support import option_of

    # Two programs' budgets share the option's five seats.
    budgets = [
        budget_of(program),
        budget_of(factories.ProgramFactory(organisation=organisation)),
    ]
    option = option_of(organisation, cost_money="1.00", capacity=5, capacity_period="year")
    accepted = []

    def commit_one(number):
        try:
            services.commit(budgets[number % 2], actor=manager_user, option=option)
        except ValidationError:
            return
        accepted.append(number)

    run_concurrently(commit_one)

    assert len(accepted) == 5
    assert LedgerEntry.objects.filter(option=option).count() == 5
