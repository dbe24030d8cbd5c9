"""The warning a program that pays its mentors shows its managers, wherever it is included."""

from dataclasses import dataclass

from django import template

from laurier.core.dates import organisation_today
from laurier.organisations.tenancy import MANAGER_ROLES
from laurier.programs import figures_cache

from ..models import CompensationDecision
from ..selectors.compensation import decision_in_force, main_risks, review_is_overdue
from ..services.compensation import decision_in_words

register = template.Library()


@dataclass
class PaymentWarning:
    program: object
    decision: CompensationDecision
    review_overdue: bool
    risks: list
    more_risks: bool


@register.simple_tag(takes_context=True)
def payment_warning_for(context, program=None):
    """The warning for `program` (the request's by default), or None when it pays nobody.

    Only the program's managers see it (the pages that include it are theirs); one query
    once per change of the organisation's figures.
    """
    request = context.get("request")
    membership = getattr(request, "membership", None)
    program = program or getattr(request, "program", None)
    if program is None or membership is None or membership.role not in MANAGER_ROLES:
        return None
    # Cached with the figures: recording a decision moves their version.
    decision = figures_cache.remember(
        figures_cache.key_for(membership.organisation, ("decision_in_force", program.pk)),
        lambda: decision_in_force(program),
    )
    if decision is None or not decision.pays_mentors:
        return None
    risks, more = main_risks(decision)
    today = organisation_today(membership.organisation)
    return PaymentWarning(program, decision, review_is_overdue(decision, today), risks, more)


@register.filter
def in_words(decision, currency):
    """`{{ decision|in_words:currency }}`: the decision as a sentence, in the reader's language."""
    return decision_in_words(decision, currency)
