"""What the award page tests share: today held still, mentors, options, a budget and awards.

Dates are around the real today, held still for the test: the feedback campaign an award
joins stays open after its fiscal year by the real clock. Budgets are for today's fiscal year.
"""

import datetime

import pytest
from django.urls import reverse

from laurier.core.dates import fiscal_year_of, organisation_today
from laurier.recognition.categories import Visibility
from laurier.recognition.models import Award
from laurier.recognition.services import awards as services
from laurier.recognition.views import awards as views
from laurier.testing import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture(name="today")
def held_today(organisation, monkeypatch):
    """The organisation's today, the same from the start of the test to its end."""
    day = organisation_today(organisation)
    monkeypatch.setattr(services, "organisation_today", lambda organisation: day)
    monkeypatch.setattr(views, "organisation_today", lambda organisation: day)
    return day


def enrol(program, first_name="Léa", last_name="Tremblay", **fields):
    person = factories.PersonFactory(
        organisation=program.organisation,
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name.lower()}.{last_name.lower()}@example.org",
        **fields,
    )
    factories.MentorEnrolmentFactory(
        program=program, person=person, since=datetime.date(2024, 9, 1)
    )
    return person


def offer(organisation, name_en="Handwritten card", name_fr="Carte manuscrite", **fields):
    values = {
        "cost_money": "10.00",
        "staff_hours": "0.50",
        "material_items": 1,
        "visibility": Visibility.PRIVATE,
        "moments": [],
        "usual_givers": ["manager"],
        **fields,
    }
    return factories.RecognitionOptionFactory(
        organisation=organisation, name_en=name_en, name_fr=name_fr, **values
    )


def fund(program, day, money="1000.00", staff_hours="100.00", material_items=500):
    return factories.BudgetFactory(
        program=program,
        fiscal_year=fiscal_year_of(program.organisation, day),
        money=money,
        staff_hours=staff_hours,
        material_items=material_items,
    )


def planned(program, mentor, option, day, actor=None, **fields):
    award, _created = services.add_award(
        program=program, mentor=mentor, option=option, planned_on=day, actor=actor, **fields
    )
    return award


def approved(program, mentor, option, day, actor=None, **fields):
    return services.approve_award(
        planned(program, mentor, option, day, actor, **fields), actor=actor
    )


def given(program, mentor, option, day, actor=None, **fields):
    award = approved(program, mentor, option, day, actor, **fields)
    return services.give_award(award, actor=actor, given_on=day)


def award_url(name, award, *, organisation=None, program=None):
    return reverse(
        f"recognition:{name}",
        kwargs={
            "organisation_slug": (organisation or award.organisation).slug,
            "program_slug": (program or award.program).slug,
            "pk": award.pk,
        },
    )


def list_url(program, name="awards"):
    return reverse(
        f"recognition:{name}",
        kwargs={"organisation_slug": program.organisation.slug, "program_slug": program.slug},
    )


def reload(award):
    return Award.objects.get(pk=award.pk)
