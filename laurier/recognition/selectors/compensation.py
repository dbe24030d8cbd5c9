"""Reads of compensation decisions: the one in force, the history, and what paying costs.

A program's decisions form a history; the latest (by decision date, then by recording order)
is the one in force. Decision dates are never in the future, so the latest is always current.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from laurier.core.dates import fiscal_year_label, fiscal_year_of
from laurier.core.money import to_cents
from laurier.programs.models import EnrolmentStatus, MentorEnrolment

from ..models import Budget, CompensationDecision
from .budgets import usage_and_stipends

ZERO = Decimal("0.00")
# How many lines of the risks the dashboard warning shows before pointing to the full record.
MAIN_RISKS_SHOWN = 3


def decision_in_force(program):
    """The program's compensation decision in force (the latest recorded), or None.

    One query. The planner and insights use it to know whether a program pays its mentors
    (`decision.pays_mentors`) and how much (`decision.amount_per_mentor`, per fiscal year).
    """
    return (
        CompensationDecision.objects.filter(program=program)
        .select_related("recorded_by")
        .order_by("-decided_on", "-pk")
        .first()
    )


def earlier_decisions(program, in_force):
    """The decisions the one in force replaced, newest first (every decision when none is)."""
    decisions = CompensationDecision.objects.filter(program=program).select_related("recorded_by")
    if in_force is not None:
        decisions = decisions.exclude(pk=in_force.pk)
    return decisions.order_by("-decided_on", "-pk")


def decisions_export(program):
    """(headers, rows) of every decision of the program, newest first, for a CSV or XLSX file."""
    # The page's own labels, so that the file and the page say the same in each language.
    headers = [
        _("Decided on"),
        _("Decision"),
        _("Amount per mentor per fiscal year"),
        _("Currency"),
        _("Review on"),
        _("Context"),
        _("Goals"),
        _("Stakeholders consulted"),
        _("Expected benefits"),
        _("Risks"),
        _("Recorded by"),
        _("Recorded at"),
    ]
    currency = program.organisation.currency
    rows = (
        [
            decision.decided_on,
            decision.get_decision_display(),
            decision.amount_per_mentor,
            currency if decision.amount_per_mentor is not None else "",
            decision.review_on,
            decision.context,
            decision.goals,
            decision.stakeholders,
            decision.benefits,
            decision.risks,
            str(decision.recorded_by) if decision.recorded_by else "",
            decision.recorded_at,
        ]
        for decision in earlier_decisions(program, None).iterator(chunk_size=500)
    )
    return headers, rows


def review_is_overdue(decision, today):
    """True when the decision's review date has passed without a newer decision."""
    return decision is not None and decision.review_on < today


def main_risks(decision, count=MAIN_RISKS_SHOWN):
    """The first `count` non-empty lines of the decision's risks, list markers removed."""
    lines = [line.strip().lstrip("-*•").strip() for line in decision.risks.splitlines()]
    lines = [line for line in lines if line]
    return lines[:count], len(lines) > count


@dataclass
class StipendTracking:
    """What paying the mentors costs the program in a fiscal year, against its budget."""

    fiscal_year: int
    fiscal_year_label: str
    currency: str
    active_mentors: int
    amount_per_mentor: Decimal
    # Spending entries of the program's budget for options in the stipend category.
    spent: Decimal
    budget: Budget | None = None
    # Budget money left: allocated - committed - spent (None without a budget).
    remaining: Decimal | None = None

    @property
    def projected(self):
        """Amount per mentor × active mentors: the year's cost if every active mentor is paid."""
        return to_cents(self.amount_per_mentor * self.active_mentors)

    @property
    def still_to_pay(self):
        """The projected cost not yet spent (never below zero)."""
        return max(self.projected - self.spent, ZERO)

    @property
    def shortfall(self):
        """How much the budget's remaining money lacks to pay what is still to pay (0 if none)."""
        if self.remaining is None:
            return None
        return max(self.still_to_pay - self.remaining, ZERO)

    @property
    def covered(self):
        return self.remaining is not None and self.shortfall == ZERO


def stipend_tracking(program, decision, today):
    """The stipends of `today`'s fiscal year: spent, projected and the budget's remaining money.

    Three queries whatever the size of the ledger: the program's budget for the year, the sums
    of its ledger (`usage_and_stipends`), and the count of active mentors.
    """
    organisation = program.organisation
    year = fiscal_year_of(organisation, today)
    budget = Budget.objects.filter(program=program, fiscal_year=year).first()
    spent, remaining = ZERO, None
    if budget is not None:
        usage, spent = usage_and_stipends(budget)
        remaining = to_cents(budget.money - usage.used("money"))
    active_mentors = MentorEnrolment.objects.filter(
        program=program, status=EnrolmentStatus.ACTIVE
    ).count()
    return StipendTracking(
        fiscal_year=year,
        fiscal_year_label=fiscal_year_label(organisation, year),
        currency=budget.currency if budget is not None else organisation.currency,
        active_mentors=active_mentors,
        amount_per_mentor=(decision.amount_per_mentor if decision else None) or ZERO,
        spent=spent,
        budget=budget,
        remaining=remaining,
    )
