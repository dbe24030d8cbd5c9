"""Shared helpers of the edition pages' tests (no test here)."""

import datetime

from django.urls import reverse

from laurier.testing import factories


def open_edition(program=None, **fields):
    """An edition whose nominations are open today, whatever day the suite runs."""
    today = datetime.date.today()
    defaults = {
        "nominations_open_on": today - datetime.timedelta(days=10),
        "nominations_close_on": today + datetime.timedelta(days=10),
        "scoring_close_on": today + datetime.timedelta(days=30),
        "announce_on": today + datetime.timedelta(days=40),
        "year": today.year,
    }
    if program is None:
        return factories.EditionFactory(**{**defaults, **fields})
    return factories.EditionFactory(program=program, **{**defaults, **fields})


def edition_url(name, edition, *args):
    return reverse(f"contests:{name}", args=[edition.organisation.slug, edition.pk, *args])


def list_url(organisation, name="editions"):
    return reverse(f"contests:{name}", args=[organisation.slug])


def edition_post_data(program=None, **changes):
    today = datetime.date.today()
    data = {
        "program": program.pk if program else "",
        "year": today.year,
        "name_fr": "Mentor de l'année",
        "name_en": "Mentor of the year",
        "introduction_fr": "",
        "introduction_en": "",
        "nominations_open_on": today.isoformat(),
        "nominations_close_on": (today + datetime.timedelta(days=29)).isoformat(),
        "scoring_close_on": (today + datetime.timedelta(days=50)).isoformat(),
        "announce_on": (today + datetime.timedelta(days=57)).isoformat(),
        "active_mentors_only": "on",
        "min_hours": "",
        "min_tenure_months": "",
        "past_winners_excluded_years": "0",
        "option": "",
        "form_token": "token-1",
    }
    data.update(changes)
    return data
