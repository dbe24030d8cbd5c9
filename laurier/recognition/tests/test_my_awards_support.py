"""What the tests of a mentor's own recognitions share: a mentor, and awards given to them."""

import datetime

import pytest
from django.urls import reverse

from laurier.programs.models import Person
from laurier.recognition.models import Award
from laurier.recognition.services import awards
from laurier.testing import factories

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def today(monkeypatch):
    """Giving refuses a day after today: the tests' days stay in the past whatever the day
    the suite runs on."""
    monkeypatch.setattr(awards, "organisation_today", lambda organisation: TODAY)
    return TODAY


@pytest.fixture
def mentor_person(mentor_user, program):
    person = Person.objects.get(user=mentor_user)
    factories.MentorEnrolmentFactory(program=program, person=person)
    return person


def free_option(organisation, **fields):
    """An option that costs nothing and counts nothing: giving it needs no budget."""
    values = {
        "organisation": organisation,
        "cost_money": "0",
        "staff_hours": "0",
        "material_items": 0,
        **fields,
    }
    return factories.RecognitionOptionFactory(**values)


def give(program, mentor, *, actor=None, given_on=TODAY, option=None, **fields):
    """An award given through the services, as a manager gives it (the `today` fixture must
    be active)."""
    option = option or free_option(
        program.organisation, name_fr="Carte de remerciement", name_en="Thank-you card"
    )
    award, _created = awards.add_award(
        program=program,
        mentor=mentor,
        option=option,
        planned_on=given_on,
        actor=actor,
        givers=fields.pop("givers", ()),
        giver_names=fields.pop("giver_names", ""),
    )
    return awards.give_award(award, actor=actor, given_on=given_on, **fields)


def award_in_database(program, mentor, *, status=Award.Status.GIVEN, given_on=TODAY, **fields):
    """An award written straight to the database, for pages that only read awards."""
    option = fields.pop("option", None) or free_option(program.organisation)
    return Award.objects.create(
        organisation=program.organisation,
        program=program,
        mentor=mentor,
        option=option,
        planned_on=given_on,
        status=status,
        given_on=given_on if status == Award.Status.GIVEN else None,
        feedback_due_on=given_on + datetime.timedelta(days=14),
        **fields,
    )


def my_awards_url(organisation_slug="hydro"):
    return reverse("recognition:my_awards", args=[organisation_slug])


def my_award_url(award, organisation_slug="hydro"):
    return reverse("recognition:my_award", args=[organisation_slug, award.pk])
