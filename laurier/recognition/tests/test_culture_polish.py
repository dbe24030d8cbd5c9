"""The culture pages read the way they are titled, with dates written out."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from laurier.testing import factories

from .test_culture_pages import url

pytestmark = pytest.mark.django_db

FIRST_STEPS = {
    "public_or_private": "Strongly public",
    "formal_or_informal": "Strongly formal",
    "individual_or_collective": "Strongly individual",
    "symbolic_or_material": "Strongly symbolic",
}


def english(user):
    user.language = "en"
    user.save()
    return user


def test_each_scale_of_the_form_starts_with_the_pole_its_title_names_first(
    login, admin_user, organisation
):
    html = login(english(admin_user)).get(url("culture_edit", organisation)).content.decode()

    for field, first in FIRST_STEPS.items():
        values = re.findall(rf'name="{field}" value="(-?\d)"', html)
        assert values == ["2", "1", "0", "-1", "-2"]
        group = html[html.index(f'name="{field}"') :]
        assert group.index(first) < group.index(first.replace("Strongly", "Rather"))


def test_the_profile_page_draws_each_scale_from_its_first_pole(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)

    html = login(english(manager_user)).get(url("culture", organisation)).content.decode()
    scales = re.findall(r"<ol[^>]*>(.*?)</ol>", html, re.S)

    assert scales[0].index("Strongly public") < scales[0].index("Strongly private")
    assert scales[3].index("Strongly symbolic") < scales[3].index("Strongly material")


def test_the_last_change_is_dated_in_words(login, manager_user, admin_user, organisation):
    profile = factories.CultureProfileFactory(organisation=organisation, updated_by=admin_user)

    html = login(english(manager_user)).get(url("culture", organisation)).content.decode()

    with translation.override("en"):
        day = date_format(timezone.localtime(profile.updated_at).date(), "DATE_FORMAT")
    assert f"on {day}." in html
    assert timezone.localdate().isoformat() not in html
