"""What the recognition API tests share: a mentor, options, a budget for this fiscal year and
a way to see that a refused call wrote nothing.

Léa Tremblay mentors the program "Relève"; the card costs 10 $, half an hour and one item;
the program's budget for the fiscal year of today holds 1 000 $, 20 hours and 50 items.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from laurier.core.dates import fiscal_year_of, organisation_today
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.profiles.models import MentorProfile, ProfileSource
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.models import Award, LedgerEntry, Plan, PlanLine
from laurier.testing import factories


def enrol(program, first_name="Léa", *, status=EnrolmentStatus.ACTIVE, **fields):
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name="Tremblay",
        **fields,
    )
    factories.MentorEnrolmentFactory(program=program, person=person, status=status)
    return person


def option_of(organisation, **fields):
    values = {"name_fr": "Carte manuscrite", "name_en": "Handwritten card", **fields}
    return factories.RecognitionOptionFactory(organisation=organisation, **values)


def budget_for(program, **fields):
    today = organisation_today(program.organisation)
    values = {
        "fiscal_year": fiscal_year_of(program.organisation, today),
        "money": Decimal("1000.00"),
        "staff_hours": Decimal("20.00"),
        "material_items": 50,
        **fields,
    }
    return factories.BudgetFactory(program=program, **values)


def consent(person, answer):
    return MentorProfile.objects.create(
        organisation=person.organisation,
        person=person,
        public_consent=answer,
        source=ProfileSource.SELF,
        updated_at=timezone.now(),
    )


def make_plan(program, **fields):
    values = {
        "starts_on": datetime.date(2026, 4, 1),
        "ends_on": datetime.date(2027, 3, 31),
        "status": Plan.Status.DRAFT,
        **fields,
    }
    return Plan.objects.create(organisation=program.organisation, program=program, **values)


def add_line(plan, mentor, option, day, **fields):
    return PlanLine.objects.create(
        plan=plan,
        mentor=mentor,
        option=option,
        moment_key=f"year-end-{day.year}",
        moment_date=day,
        moment_kind="year_end",
        **fields,
    )


@pytest.fixture
def today(organisation):
    return organisation_today(organisation)


@pytest.fixture
def lea(program):
    return enrol(program)


@pytest.fixture
def card(organisation):
    return option_of(organisation)


@pytest.fixture
def budget(program):
    return budget_for(program)


def written():
    """Everything a refused call must leave as it was."""
    return {
        "awards": Award.objects.count(),
        "ledger": LedgerEntry.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "events": AuditEvent.objects.filter(object_type="recognition.award").count(),
    }
