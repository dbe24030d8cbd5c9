"""One edition per scope and year, and names nobody can mix up: a second one with the same
program (or the whole organisation) and year, or the same name, is refused with why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from laurier.contests.models import Edition
from laurier.contests.services import editions as services
from laurier.organisations.models import Membership
from laurier.testing import factories

from .test_editions_support import edition_post_data, list_url, open_edition

pytestmark = pytest.mark.django_db


def membership(user):
    return Membership.objects.select_related("organisation").get(user=user)


def fields(**changes):
    opens, closes, scoring, announce = services.default_dates(datetime.date.today())
    return {
        "year": 2031,
        "name_fr": "Prix 2031",
        "name_en": "Award 2031",
        "nominations_open_on": opens,
        "nominations_close_on": closes,
        "scoring_close_on": scoring,
        "announce_on": announce,
        **changes,
    }


def test_the_same_program_and_year_is_refused(manager_user, program):
    open_edition(program, year=2031, name_fr="Autre", name_en="Other")

    with pytest.raises(ValidationError) as refused:
        services.create_edition(membership(manager_user), program=program, **fields())

    assert "year" in refused.value.error_dict
    assert Edition.objects.count() == 1


def test_the_same_organisation_wide_year_is_refused(admin_user, organisation):
    factories.EditionFactory(
        organisation=organisation, program=None, year=2031, name_fr="A", name_en="B"
    )

    with pytest.raises(ValidationError) as refused:
        services.create_edition(membership(admin_user), program=None, **fields())

    assert "year" in refused.value.error_dict


def test_another_program_may_run_the_same_year(manager_user, program, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    open_edition(other, year=2031, name_fr="Autre", name_en="Other")

    _edition, created = services.create_edition(
        membership(manager_user), program=program, **fields()
    )

    assert created


def test_the_same_name_whatever_the_case_is_refused(manager_user, program):
    open_edition(program, year=2030, name_fr="PRIX 2031", name_en="Something else")

    with pytest.raises(ValidationError) as refused:
        services.create_edition(membership(manager_user), program=program, **fields())

    assert set(refused.value.error_dict) == {"name_fr"}


def test_another_program_may_use_the_same_name(manager_user, program, organisation):
    other = factories.ProgramFactory(organisation=organisation)
    open_edition(other, year=2031, name_fr="Prix 2031", name_en="Award 2031")

    _edition, created = services.create_edition(
        membership(manager_user), program=program, **fields()
    )

    assert created


def test_a_name_of_another_organisation_is_free(manager_user, program, other_organisation):
    factories.EditionFactory(
        organisation=other_organisation, program=None, year=2031, name_en="Award 2031"
    )

    _edition, created = services.create_edition(
        membership(manager_user), program=program, **fields()
    )

    assert created


def test_an_edition_may_keep_its_own_name_and_year(manager_user, program):
    edition, _created = services.create_edition(
        membership(manager_user), program=program, **fields()
    )

    services.edit_edition(edition, membership(manager_user), program=program, **fields())


def test_an_edit_cannot_take_another_editions_name(manager_user, program):
    open_edition(program, year=2030, name_fr="Prix 2030", name_en="Award 2030")
    edition, _created = services.create_edition(
        membership(manager_user), program=program, **fields()
    )

    with pytest.raises(ValidationError) as refused:
        services.edit_edition(
            edition, membership(manager_user), program=program, **fields(name_en="award 2030")
        )

    assert set(refused.value.error_dict) == {"name_en"}


def test_the_form_says_why_a_duplicate_is_refused(login, manager_user, program, organisation):
    today = datetime.date.today()
    open_edition(program, year=today.year, name_fr="Mentor de l'année", name_en="Other")

    with translation.override("en"):
        response = login(manager_user).post(
            list_url(organisation, "edition_create"), edition_post_data(program)
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert f"This program already has an edition for {today.year}." in html
    assert "Another edition already has this name" in html
    assert Edition.objects.count() == 1


def test_a_double_submit_still_returns_the_first_edition(
    login, manager_user, program, organisation
):
    client = login(manager_user)
    data = edition_post_data(program)

    client.post(list_url(organisation, "edition_create"), data)
    second = client.post(list_url(organisation, "edition_create"), data)

    edition = Edition.objects.get()
    assert second.status_code == 302
    assert second.url.endswith(f"/{edition.pk}/")
