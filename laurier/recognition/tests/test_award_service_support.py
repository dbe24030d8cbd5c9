"""What the award service tests share: today held still, a mentor, options and a budget.

The tests run on the real day, held still for the test (`today`): the feedback campaign an
award joins stays open three months after its fiscal year, from the real clock, so a fixed
date in the past would close it one day. Budgets are for the fiscal year of today.
"""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from laurier.core.dates import fiscal_year_bounds, fiscal_year_of, organisation_today
from laurier.organisations.models import AuditEvent
from laurier.outbox.models import OutgoingEmail
from laurier.programs.models import EnrolmentStatus
from laurier.recognition.models import Award, LedgerEntry
from laurier.recognition.selectors.budgets import budget_usage
from laurier.recognition.services import awards
from laurier.testing import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today(organisation, monkeypatch):
    """The organisation's today, the same from the start of the test to its end."""
    day = organisation_today(organisation)
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: day)
    return day


def year_of(organisation, day):
    return fiscal_year_of(organisation, day)


def year_bounds(organisation, day):
    """The first and last day of `day`'s fiscal year."""
    return fiscal_year_bounds(organisation, year_of(organisation, day))


def ascii_of(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def enrol(
    program,
    first_name="Léa",
    *,
    language="fr-ca",
    status=EnrolmentStatus.ACTIVE,
    since=datetime.date(2025, 9, 1),
    **fields,
):
    """A mentor of `program`; Léa Tremblay, French-speaking, unless told otherwise."""
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name="Tremblay",
        email=f"{ascii_of(first_name).lower()}@example.org",
        language=language,
        **fields,
    )
    factories.MentorEnrolmentFactory(program=program, person=person, status=status, since=since)
    return person


def a_year_before(organisation, day):
    """A start of mentoring whose first anniversary is the first day of `day`'s fiscal year."""
    first, _last = year_bounds(organisation, day)
    return first.replace(year=first.year - 1)


@pytest.fixture
def lea(program, today):
    """Léa, who started mentoring a year before this fiscal year began."""
    return enrol(program, since=a_year_before(program.organisation, today))


def option_of(organisation, **fields):
    """A private card: 10 $, half an hour, one item, unless told otherwise."""
    values = {"name_fr": "Carte manuscrite", "name_en": "Handwritten card", **fields}
    return factories.RecognitionOptionFactory(organisation=organisation, **values)


def free_option(organisation, **fields):
    """An option that costs nothing and has no capacity: it needs no budget."""
    values = {
        "name_fr": "Mot de remerciement",
        "name_en": "Thank-you word",
        "cost_money": "0.00",
        "staff_hours": "0.00",
        "material_items": 0,
        **fields,
    }
    return option_of(organisation, **values)


@pytest.fixture
def card(organisation):
    return option_of(organisation)


def budget_for(program, day, **fields):
    """The program's budget for `day`'s fiscal year: 1 000 $, 20 hours, 50 items."""
    values = {
        "fiscal_year": year_of(program.organisation, day),
        "money": Decimal("1000.00"),
        "staff_hours": Decimal("20.00"),
        "material_items": 50,
        **fields,
    }
    return factories.BudgetFactory(program=program, **values)


@pytest.fixture
def budget(program, today):
    return budget_for(program, today)


def add(program, mentor, option, actor, *, planned_on, **fields):
    award, created = awards.add_award(
        program=program, mentor=mentor, option=option, planned_on=planned_on, actor=actor, **fields
    )
    assert created
    return award


def approved(program, mentor, option, actor, *, planned_on, **fields):
    award = add(program, mentor, option, actor, planned_on=planned_on, **fields)
    return awards.approve_award(award, actor=actor)


def give(award, actor, *, given_on, **fields):
    return awards.give_award(award, actor=actor, given_on=given_on, **fields)


def ledger(budget=None):
    """Every ledger line (of `budget`), as (kind, money, staff hours, items, settles)."""
    entries = LedgerEntry.objects.order_by("pk")
    if budget is not None:
        entries = entries.filter(budget=budget)
    return [
        (entry.kind, entry.money, entry.staff_hours, entry.material_items, entry.settles_id)
        for entry in entries
    ]


def usage(budget):
    """(committed money, spent money) of a budget, from its ledger."""
    used = budget_usage(budget)
    return used.committed("money"), used.spent("money")


def award_emails():
    return list(OutgoingEmail.objects.filter(reason__startswith="award-given:").order_by("pk"))


def award_events(award=None):
    events = AuditEvent.objects.filter(object_type="recognition.award")
    if award is not None:
        events = events.filter(object_id=str(award.pk))
    return events


def state(award=None):
    """Everything a refused write must leave as it was."""
    row = None
    if award is not None:
        row = Award.objects.filter(pk=award.pk).values().get()
        row.pop("updated_at")
    return {
        "award": row,
        "awards": Award.objects.count(),
        "ledger": ledger(),
        "emails": OutgoingEmail.objects.count(),
        "events": award_events().count(),
    }


def refusal(call, field=None):
    """The ValidationError `call` raises, and its messages in one string (checking `field`)."""
    with pytest.raises(ValidationError) as refused:
        call()
    if field is not None:
        assert field in refused.value.message_dict
    return " ".join(refused.value.messages)


def refused_with_nothing_written(call, award=None, field=None):
    before = state(award)
    message = refusal(call, field)
    assert state(award) == before
    return message
