"""Fixtures for sessions and hours: a pairing of the conftest's mentor and mentee."""

import datetime

import pytest
from django.utils import timezone

from laurier.programs.models import Person
from laurier.testing import factories


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def mentor_person(mentor_user, organisation):
    return Person.objects.get(organisation=organisation, user=mentor_user)


@pytest.fixture
def mentee_person(mentee_user, organisation):
    return Person.objects.get(organisation=organisation, user=mentee_user)


@pytest.fixture
def pairing(program, mentor_person, mentee_person, today):
    return factories.PairingFactory(
        program=program,
        mentor=mentor_person,
        mentee=mentee_person,
        starts_on=datetime.date(today.year - 2, 1, 1),
    )


@pytest.fixture
def other_pairing(program):
    """A pairing of the same program between two other people."""
    return factories.PairingFactory(program=program, starts_on=datetime.date(2020, 1, 1))


@pytest.fixture
def foreign_pairing(other_organisation):
    """A pairing in another organisation."""
    foreign_program = factories.ProgramFactory(organisation=other_organisation, slug="elsewhere")
    return factories.PairingFactory(program=foreign_program, starts_on=datetime.date(2020, 1, 1))


@pytest.fixture
def yesterday(today):
    return today - datetime.timedelta(days=1)
