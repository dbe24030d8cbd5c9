"""What the jury's tests share: editions whose dates put them in a given phase today, a field
of nominees with a rubric, and jurors at their personal link."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from laurier.contests.models import Phase
from laurier.core.dates import organisation_today
from laurier.testing import factories

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Personal links count requests in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(program):
    """An edition in scoring today."""
    return edition_in(program, Phase.SCORING)


@pytest.fixture
def criteria(edition):
    return rubric(edition)


@pytest.fixture
def helene(edition):
    return nominee(edition)


def dates_for(phase, today):
    """An edition's timeline that puts it in `phase` on `today`."""
    offsets = {
        Phase.UPCOMING: (5, 20, 40, 50),
        Phase.NOMINATIONS: (-10, 10, 30, 40),
        Phase.SCORING: (-30, -5, 10, 20),
        Phase.DELIBERATION: (-50, -30, -5, 10),
    }[phase]
    names = ("nominations_open_on", "nominations_close_on", "scoring_close_on", "announce_on")
    return {name: today + offset * DAY for name, offset in zip(names, offsets, strict=True)}


def edition_in(program, phase=Phase.SCORING, **fields):
    today = organisation_today(program.organisation)
    return factories.EditionFactory(program=program, **dates_for(phase, today), **fields)


def set_phase(edition, phase):
    """Move an edition's dates so that it is in `phase` today."""
    for name, day in dates_for(phase, organisation_today(edition.organisation)).items():
        setattr(edition, name, day)
    edition.save()


def rubric(edition, weights=(3, 1)):
    return [
        factories.CriterionFactory(
            edition=edition,
            name_en=f"Impact {index}",
            name_fr=f"Impact {index}",
            guidance_en="Look at what changed for the mentees.",
            guidance_fr="Ce qui a changé pour les mentorés.",
            weight=weight,
            position=index,
        )
        for index, weight in enumerate(weights)
    ]


def nominee(edition, category=None, first_name="Hélène", last_name="Tremblay", **fields):
    category = category or factories.CategoryFactory(edition=edition)
    person = factories.MentorEnrolmentFactory(
        program=edition.program,
        person__first_name=first_name,
        person__last_name=last_name,
    ).person
    return factories.NomineeFactory(category=category, person=person, **fields)


def juror(edition, confirmed=True, **fields):
    return factories.JurorFactory(
        edition=edition,
        conflicts_confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )


def home_of(juror):
    return reverse("contests:juror_home", args=[juror.token])


def declare_url(juror):
    return reverse("contests:juror_declare", args=[juror.token])


def score_url(juror, nominee):
    return reverse("contests:juror_score", args=[juror.token, nominee.pk])


def evidence_url(juror, nomination):
    return reverse("contests:juror_evidence", args=[juror.token, nomination.pk])


def score_data(criteria, *values):
    return {
        f"criterion_{criterion.pk}": value
        for criterion, value in zip(criteria, values, strict=True)
    }
