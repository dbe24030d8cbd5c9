"""Fixtures for the programs pages: a manager's client and a populated program."""

import datetime

import pytest
from django.urls import reverse

from laurier.core.dates import organisation_today
from laurier.testing import factories


@pytest.fixture
def today(organisation):
    return organisation_today(organisation)


@pytest.fixture
def manager_client(login, manager_user):
    return login(manager_user)


@pytest.fixture
def admin_client(login, admin_user):
    return login(admin_user)


@pytest.fixture
def program_url(organisation, program):
    """reverse() for a page of `program`."""

    def build(name, *args):
        return reverse(f"programs:{name}", args=[organisation.slug, program.slug, *args])

    return build


@pytest.fixture
def org_url(organisation):
    def build(name, *args):
        return reverse(f"programs:{name}", args=[organisation.slug, *args])

    return build


def populate(program, size, today):
    """`size` pairings, each with its own mentor and mentee and two sessions this year."""
    cycle = factories.CycleFactory(program=program)
    for index in range(size):
        pairing = factories.PairingFactory(
            program=program, cycle=cycle, starts_on=today - datetime.timedelta(days=200)
        )
        for days_ago in (index % 5 + 1, 90 + index):
            held_on = today - datetime.timedelta(days=days_ago)
            if held_on.year == today.year:
                factories.MentoringSessionFactory(pairing=pairing, held_on=held_on)
    return cycle


@pytest.fixture
def populate_program():
    return populate
