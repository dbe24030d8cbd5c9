"""The jury forms ask for every choice: nothing is preselected, and the conflict form offers
only the nominees not already kept apart from the juror."""

import re

import pytest
from django.utils import translation

from laurier.contests.models import DeclaredConflict, Juror
from laurier.testing import factories

from .test_editions_support import edition_url, open_edition

pytestmark = pytest.mark.django_db


def options_of(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def juror_page(client, edition, juror):
    with translation.override("en"):
        return client.get(edition_url("juror_detail", edition, juror.pk)).content.decode()


def test_the_conflict_reason_starts_empty(login, manager_user, program):
    edition = open_edition(program)
    factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    juror = factories.JurorFactory(edition=edition)

    html = juror_page(login(manager_user), edition, juror)

    assert options_of(html, "reason")[0] == ""
    assert "Choose a reason" in html


def test_a_conflict_without_a_reason_is_not_recorded(login, manager_user, program):
    edition = open_edition(program)
    nominee = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    juror = factories.JurorFactory(edition=edition)

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk),
        {"nominee": str(nominee.pk), "reason": "", "note": ""},
    )

    assert not DeclaredConflict.objects.exists()


def test_the_conflict_form_leaves_out_nominees_already_in_conflict(
    login, manager_user, program, organisation
):
    edition = open_edition(program)
    category = factories.CategoryFactory(edition=edition)
    juror_person = factories.PersonFactory(organisation=organisation)
    juror = factories.JurorFactory(edition=edition, person=juror_person, email=juror_person.email)
    found, declared, free = factories.NomineeFactory.create_batch(3, category=category)
    factories.PairingFactory(program=program, mentor=found.person, mentee=juror_person)
    DeclaredConflict.objects.create(juror=juror, nominee=declared, reason="family")

    html = juror_page(login(manager_user), edition, juror)

    assert options_of(html, "nominee") == ["", str(free.pk)]


def test_a_nominee_found_in_conflict_cannot_be_recorded_again(
    login, manager_user, program, organisation
):
    edition = open_edition(program)
    juror_person = factories.PersonFactory(organisation=organisation)
    juror = factories.JurorFactory(edition=edition, person=juror_person, email=juror_person.email)
    found = factories.NomineeFactory(category=factories.CategoryFactory(edition=edition))
    factories.PairingFactory(program=program, mentor=found.person, mentee=juror_person)

    login(manager_user).post(
        edition_url("juror_conflicts", edition, juror.pk),
        {"nominee": str(found.pk), "reason": "family"},
    )

    assert not DeclaredConflict.objects.exists()


def test_the_jurors_role_starts_empty(login, manager_user, program):
    edition = open_edition(program)

    with translation.override("en"):
        html = login(manager_user).get(edition_url("jury", edition)).content.decode()

    assert options_of(html, "kind")[0] == ""
    assert "Choose a role" in html


def test_a_juror_without_a_role_is_not_added(login, manager_user, program):
    edition = open_edition(program)

    with translation.override("en"):
        response = login(manager_user).post(
            edition_url("jury", edition),
            {"name": "Sophie Gagnon", "email": "sophie@example.org", "language": "en"},
        )

    assert not Juror.objects.exists()
    assert "Choose the juror&#x27;s role." in response.content.decode()
