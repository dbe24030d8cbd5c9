"""What the compensation tests share: dates around today, a sent form, addresses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from laurier.core.dates import organisation_today
from laurier.recognition.models import CompensationDecision
from laurier.testing import factories

Decision = CompensationDecision.Decision


def today_of(organisation):
    return organisation_today(organisation)


def paid_decision(program, *, decision=Decision.STIPEND, **fields):
    """A stipend decision in force since a month ago, reviewed in eleven months."""
    today = today_of(program.organisation)
    values = {
        "decision": decision,
        "risks": "Mentoring may feel bought.\nMotives may become extrinsic.",
        "amount_per_mentor": Decimal("500.00"),
        "decided_on": today - datetime.timedelta(days=30),
        "review_on": today + datetime.timedelta(days=335),
        **fields,
    }
    return factories.CompensationDecisionFactory(program=program, **values)


def volunteer_decision(program, **fields):
    today = today_of(program.organisation)
    values = {
        "decided_on": today - datetime.timedelta(days=30),
        "review_on": today + datetime.timedelta(days=335),
        **fields,
    }
    return factories.CompensationDecisionFactory(program=program, **values)


def form_data(organisation, **changes):
    """A valid stipend decision as the form sends it."""
    today = today_of(organisation)
    return {
        "decision": Decision.STIPEND,
        "context": "Mentors give four hours a month to new engineers.",
        "goals": "Keep experienced mentors in the program.",
        "stakeholders": "Mentors, mentees, HR, the union",
        "benefits": "Fewer mentors leave mid-cycle.",
        "risks": "Mentoring may come to feel like a paid service.",
        "amount_per_mentor": "750.00",
        "decided_on": today.isoformat(),
        "review_on": (today + datetime.timedelta(days=365)).isoformat(),
        **changes,
    }


@pytest.fixture
def compensation_url(organisation, program):
    def address(name="compensation", program_slug=None):
        return reverse(
            f"recognition:{name}",
            kwargs={
                "organisation_slug": organisation.slug,
                "program_slug": program_slug or program.slug,
            },
        )

    return address


@pytest.fixture
def manager_client(login, manager_user):
    return login(manager_user)
