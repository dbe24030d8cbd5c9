"""The culture profile pages: managers read it, admins describe it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from laurier.organisations.models import AuditEvent
from laurier.recognition.models import CultureProfile
from laurier.testing import factories

pytestmark = pytest.mark.django_db


def url(name, organisation):
    return reverse(f"recognition:{name}", args=[organisation.slug])


def profile_data(**changes):
    data = {
        "values_fr": "Entraide\n\n  Rigueur  \nentraide",
        "values_en": "Mutual help\nRigour",
        "norms_fr": "On remercie simplement.",
        "norms_en": "We thank people simply.",
        "public_or_private": "-2",
        "formal_or_informal": "-1",
        "individual_or_collective": "0",
        "symbolic_or_material": "2",
    }
    data.update(changes)
    return data


def test_the_first_save_creates_the_profile_and_audits_it(login, admin_user, organisation):
    response = login(admin_user).post(url("culture_edit", organisation), profile_data())

    assert response.status_code == 302
    assert response["Location"] == url("culture", organisation)
    profile = CultureProfile.objects.get(organisation=organisation)
    assert profile.values_fr == "Entraide\nRigueur"
    assert profile.public_or_private == -2
    assert profile.symbolic_or_material == 2
    assert profile.updated_by == admin_user
    assert AuditEvent.objects.filter(
        object_type="recognition.cultureprofile", action=AuditEvent.Action.CREATE
    ).exists()


def test_saving_again_updates_the_one_profile_and_audits_the_change(
    login, admin_user, organisation
):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=1)

    login(admin_user).post(url("culture_edit", organisation), profile_data())

    profile = CultureProfile.objects.get(organisation=organisation)
    assert profile.public_or_private == -2
    event = AuditEvent.objects.get(
        object_type="recognition.cultureprofile", action=AuditEvent.Action.UPDATE
    )
    assert event.changes["public_or_private"] == [1, -2]


def test_a_double_submit_keeps_one_profile(login, admin_user, organisation):
    client = login(admin_user)
    client.post(url("culture_edit", organisation), profile_data())
    client.post(url("culture_edit", organisation), profile_data())

    assert CultureProfile.objects.filter(organisation=organisation).count() == 1
    assert AuditEvent.objects.filter(object_type="recognition.cultureprofile").count() == 1


def test_a_leaning_outside_the_five_steps_is_refused_and_nothing_saved(
    login, admin_user, organisation
):
    admin_user.language = "en"
    admin_user.save()

    response = login(admin_user).post(
        url("culture_edit", organisation), profile_data(public_or_private="3")
    )

    assert response.status_code == 200
    assert "Choose one of the five steps." in response.content.decode()
    assert not CultureProfile.objects.exists()


def test_the_form_shows_the_five_steps_with_their_pole_names(login, admin_user, organisation):
    with translation.override("en"):
        admin_user.language = "en"
        admin_user.save()
        html = login(admin_user).get(url("culture_edit", organisation)).content.decode()

    for words in ("Strongly private", "Rather private", "No preference", "Strongly public"):
        assert words in html
    assert html.count('type="radio"') == 4 * 5
    assert html.count("<legend>") == 4


def test_the_form_starts_from_the_saved_leanings(login, admin_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, formal_or_informal=2)

    html = login(admin_user).get(url("culture_edit", organisation)).content.decode()

    assert re.search(r'name="formal_or_informal" value="2"[^>]* checked', html)
    assert not re.search(r'name="formal_or_informal" value="0"[^>]* checked', html)


def test_a_manager_reads_the_profile(login, manager_user, organisation):
    factories.CultureProfileFactory(organisation=organisation, public_or_private=-2)
    manager_user.language = "en"
    manager_user.save()

    response = login(manager_user).get(url("culture", organisation))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mutual help" in html and "Rigour" in html
    assert "Strongly private" in html
    assert url("culture_edit", organisation) not in html


def test_the_page_says_when_the_culture_is_not_described(login, admin_user, organisation):
    admin_user.language = "en"
    admin_user.save()

    html = login(admin_user).get(url("culture", organisation)).content.decode()

    assert "has not described its culture yet" in html
    assert url("culture_edit", organisation) in html


def test_a_manager_cannot_edit_the_profile(login, manager_user, organisation):
    client = login(manager_user)

    assert client.get(url("culture_edit", organisation)).status_code == 403
    assert client.post(url("culture_edit", organisation), profile_data()).status_code == 403
    assert not CultureProfile.objects.exists()


@pytest.mark.parametrize("name", ["culture", "culture_edit"])
def test_mentors_and_mentees_may_not_see_the_profile(
    login, mentor_user, mentee_user, organisation, name
):
    assert login(mentor_user).get(url(name, organisation)).status_code == 403
    assert login(mentee_user).get(url(name, organisation)).status_code == 403


@pytest.mark.parametrize("name", ["culture", "culture_edit"])
def test_another_organisation_gets_a_404(login, other_admin_user, organisation, name):
    assert login(other_admin_user).get(url(name, organisation)).status_code == 404
