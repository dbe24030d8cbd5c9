"""Two managers (or two workers) acting on awards at the same moment (PostgreSQL, real threads).

SQLite runs one writer at a time, so this only means something on PostgreSQL, where each step
locks the award, and the budget, before it reads what it changes.
"""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import threading
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from laurier.recognition.models import Award, LedgerEntry
from laurier.recognition.services import awards
from laurier.surveys.models import Recipient

from .test_award_service_support import (  # noqa: F401
    DAY,
    add,
    approved,
    award_emails,
    budget_for,
    card,
    enrol,
    free_option,
    give,
    lea,
    today,
    usage,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
    pytest.mark.django_db(transaction=True),
]
THREADS = 4


def at_once(*works):
    """Run each callable in its own thread, all released together; returns (results, errors)
    in the order given, a result None where it raised."""
    start = threading.Barrier(len(works))
    results, errors = [None] * len(works), [None] * len(works)

    def run(index, work):
        start.wait()
        try:
            results[index] = work()
        except Exception as error:  # noqa: BLE001 - the test reads it
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def second_waits_on_first(first, second, hold=0.5):
    """Run `first` in a transaction that stays open `hold` seconds after it, and `second`
    meanwhile from another thread: `second` waits on the locks `first` took, then reads what
    it wrote. Returns their errors (None where it succeeded)."""
    done = threading.Event()
    errors = [None, None]

    def run_first():
        try:
            with transaction.atomic():
                first()
                done.set()
                time.sleep(hold)
        except Exception as error:  # noqa: BLE001 - the test reads it
            errors[0] = error
        finally:
            done.set()
            connection.close()

    def run_second():
        done.wait()
        try:
            second()
        except Exception as error:  # noqa: BLE001 - the test reads it
            errors[1] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_an_award_given_from_several_threads_is_given_once(program, lea, card, manager_user, today):
    budget = budget_for(program, today)
    award = approved(program, lea, card, manager_user, planned_on=today)

    _results, errors = at_once(*[lambda: give(award, manager_user, given_on=today)] * THREADS)

    assert errors == [None] * THREADS
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.SPENDING).count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RELEASE).count() == 1
    assert usage(budget) == (Decimal("0"), Decimal("10.00"))
    assert len(award_emails()) == 1
    assert len(mail.outbox) == 1
    assert Award.objects.get().status == Award.Status.GIVEN


def test_a_planned_award_given_from_several_threads_is_committed_once(
    program, lea, card, manager_user, today
):
    budget = budget_for(program, today)
    award = add(program, lea, card, manager_user, planned_on=today)

    _results, errors = at_once(*[lambda: give(award, manager_user, given_on=today)] * THREADS)

    assert errors == [None] * THREADS
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT).count() == 1
    assert usage(budget) == (Decimal("0"), Decimal("10.00"))
    assert len(award_emails()) == 1


def test_two_awards_that_together_pass_the_budget_are_not_both_approved(
    program, card, manager_user, today
):
    budget = budget_for(program, today, money=Decimal("15.00"))
    first = add(program, enrol(program, "Léa"), card, manager_user, planned_on=today)
    second = add(program, enrol(program, "Marc"), card, manager_user, planned_on=today)

    _results, errors = at_once(
        lambda: awards.approve_award(first, actor=manager_user),
        lambda: awards.approve_award(second, actor=manager_user),
    )

    refused = [error for error in errors if error is not None]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert sorted(Award.objects.values_list("status", flat=True)) == [
        Award.Status.APPROVED,
        Award.Status.PLANNED,
    ]
    assert usage(budget) == (Decimal("10.00"), Decimal("0"))


def test_an_award_cancelled_while_its_approval_commits_gives_the_budget_back(
    program, lea, card, manager_user, today
):
    budget = budget_for(program, today)
    award = add(program, lea, card, manager_user, planned_on=today)

    errors = second_waits_on_first(
        lambda: awards.approve_award(award, actor=manager_user),
        lambda: awards.cancel_award(award, actor=manager_user, reason="Léa left"),
    )

    assert errors == [None, None]
    award.refresh_from_db()
    assert award.status == Award.Status.CANCELLED
    assert usage(budget) == (Decimal("0"), Decimal("0"))


def test_an_award_given_while_its_approval_commits_is_committed_and_spent_once(
    program, lea, card, manager_user, today
):
    budget = budget_for(program, today)
    award = add(program, lea, card, manager_user, planned_on=today)

    errors = second_waits_on_first(
        lambda: awards.approve_award(award, actor=manager_user),
        lambda: give(award, manager_user, given_on=today),
    )

    assert errors == [None, None]
    award.refresh_from_db()
    assert award.status == Award.Status.GIVEN
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMMITMENT).count() == 1
    assert usage(budget) == (Decimal("0"), Decimal("10.00"))


def test_the_same_form_sent_from_several_threads_adds_one_award(
    program, lea, card, manager_user, today
):
    def send():
        return awards.add_award(
            program=program,
            mentor=lea,
            option=card,
            planned_on=today,
            actor=manager_user,
            form_token="same-form",
        )

    results, errors = at_once(*[send] * THREADS)

    assert errors == [None] * THREADS
    assert Award.objects.count() == 1
    assert sorted(created for _award, created in results) == [False] * (THREADS - 1) + [True]
    assert {award.pk for award, _created in results} == {Award.objects.get().pk}


def test_feedback_asked_from_several_workers_is_asked_once(
    organisation, program, lea, manager_user, today
):
    word = free_option(organisation)
    award = give(
        approved(program, lea, word, manager_user, planned_on=today), manager_user, given_on=today
    )
    due = award.feedback_due_on

    results, errors = at_once(*[lambda: awards.ask_feedback(award, today=due)] * THREADS)

    assert errors == [None] * THREADS
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert Recipient.objects.count() == 1
