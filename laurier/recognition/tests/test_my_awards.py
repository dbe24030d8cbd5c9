"""A mentor's recognitions in their space: every one given to them, newest first, as cards."""

# The shared fixtures are imported, then named as test arguments.
# ruff: noqa: F811

import datetime

import pytest

from laurier.core.tests.test_page_markup import check_markup
from laurier.programs.models import Person
from laurier.recognition.categories import Giver
from laurier.recognition.models import Award
from laurier.testing import factories

from .test_my_awards_support import (  # noqa: F401
    award_in_database,
    free_option,
    give,
    mentor_person,
    my_award_url,
    my_awards_url,
    today,
)

pytestmark = pytest.mark.django_db


def test_the_list_shows_each_recognition_given_to_me_as_a_card(
    login, mentor_user, mentor_person, program, today
):
    give(
        program,
        mentor_person,
        message="Merci pour ta patience avec Léa.",
        giver_names="Sophie Gagnon, CEO",
    )

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert "Thank-you card" in page
    assert "Merci pour ta patience avec Léa." in page
    assert "Sophie Gagnon, CEO" in page
    assert "Relève" in page
    assert "June 30, 2026" in page


def test_the_givers_are_named_by_who_they_are_when_no_name_was_written(
    login, mentor_user, mentor_person, program, today
):
    give(program, mentor_person, givers=[Giver.EXECUTIVE, Giver.MENTEE])

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert "An executive and the mentee" in page


def test_recognitions_not_given_yet_are_not_listed(login, mentor_user, mentor_person, program):
    for status in (Award.Status.PLANNED, Award.Status.APPROVED, Award.Status.CANCELLED):
        award_in_database(
            program,
            mentor_person,
            status=status,
            option=free_option(program.organisation, name_en=f"Surprise {status}"),
        )

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert "Surprise" not in page
    assert "Your recognitions will gather here" in page


def test_other_mentors_recognitions_are_not_listed(login, mentor_user, mentor_person, program):
    colleague = factories.MentorEnrolmentFactory(program=program).person
    award_in_database(
        program, colleague, option=free_option(program.organisation, name_en="Not mine")
    )

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert "Not mine" not in page


def test_recognitions_of_every_program_are_listed_newest_first(
    login, mentor_user, mentor_person, program, organisation
):
    other_program = factories.ProgramFactory(organisation=organisation, name="Accueil")
    factories.MentorEnrolmentFactory(program=other_program, person=mentor_person)
    award_in_database(
        program,
        mentor_person,
        given_on=datetime.date(2026, 3, 1),
        option=free_option(organisation, name_en="Older one"),
    )
    award_in_database(
        other_program,
        mentor_person,
        given_on=datetime.date(2026, 5, 1),
        option=free_option(organisation, name_en="Newer one"),
    )

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert page.index("Newer one") < page.index("Older one")
    assert "Accueil" in page


def test_the_list_is_paginated(login, mentor_user, mentor_person, program):
    option = free_option(program.organisation)
    for day in range(1, 15):
        award_in_database(
            program, mentor_person, given_on=datetime.date(2026, 5, day), option=option
        )

    client = login(mentor_user)
    first = client.get(my_awards_url())
    second = client.get(my_awards_url() + "?page=2")

    assert len(first.context["page"].object_list) == 12
    assert len(second.context["page"].object_list) == 2


def test_a_card_leads_to_its_recognition(login, mentor_user, mentor_person, program):
    award = award_in_database(program, mentor_person)

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert my_award_url(award) in page


def test_someone_without_a_person_record_gets_a_polite_explanation(login, admin_user):
    response = login(admin_user).get(my_awards_url())

    assert response.status_code == 200
    assert "You are not listed as a mentor in Hydro Laurentides yet" in response.content.decode()


def test_a_mentee_with_no_recognition_sees_the_warm_empty_state(login, mentee_user):
    page = login(mentee_user).get(my_awards_url()).content.decode()

    assert "Your recognitions will gather here" in page


def test_the_list_speaks_french_to_a_french_speaking_mentor(
    login, mentor_user, mentor_person, program, today
):
    mentor_user.language = "fr-ca"
    mentor_user.save()
    give(program, mentor_person)

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert '<html lang="fr-ca">' in page
    assert "Carte de remerciement" in page
    assert "Thank-you card" not in page
    assert "30 juin 2026" in page
    assert "Mon espace" in page


@pytest.mark.parametrize("url_of", [lambda award: my_awards_url(), my_award_url])
def test_the_pages_are_accessible(login, mentor_user, mentor_person, program, url_of):
    award = award_in_database(program, mentor_person, message="Merci !", giver_names="Sophie")
    award_in_database(program, mentor_person)

    page = login(mentor_user).get(url_of(award)).content.decode()

    assert check_markup(page) == ([], [], 1)


def test_a_person_of_two_organisations_sees_only_this_ones_recognitions(
    login, mentor_user, mentor_person, program, other_organisation
):
    factories.MembershipFactory(organisation=other_organisation, user=mentor_user)
    elsewhere = factories.PersonFactory(organisation=other_organisation, user=mentor_user)
    other_program = factories.ProgramFactory(organisation=other_organisation)
    award_in_database(
        other_program, elsewhere, option=free_option(other_organisation, name_en="Elsewhere")
    )
    award_in_database(
        program, mentor_person, option=free_option(program.organisation, name_en="Here")
    )

    page = login(mentor_user).get(my_awards_url()).content.decode()

    assert "Here" in page
    assert "Elsewhere" not in page
    assert Person.objects.filter(user=mentor_user).count() == 2
